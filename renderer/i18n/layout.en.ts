/** English strings of the console's layout: resizable panes, focus mode, the stale-link page. */
export const layoutEn = {
  resizeColumns: 'Resize the timeline and the side panes (← →)',
  resizeRows: 'Resize the task board and comms (↑ ↓)',
  focusOn: 'Focus mode: {{pane}} enlarged — z to give every pane its size back',
  calloutClear: 'Call-out: all clear',
  calloutDue_one: 'Call-out: {{count}} to chase',
  calloutDue_other: 'Call-out: {{count}} to chase',
  editingUpdate: 'Editing the update for {{audience}} — Ctrl+Enter saves, Esc cancels',
  editedAbove: 'Being edited in the compose area',
  palette: {
    approve: 'Approve the update for {{audience}} ({{channel}})',
    send: 'Mark sent: the update for {{audience}} ({{channel}})',
  },
  more: 'More',
  moreHint: 'Library (b), export (e), drill (x)',
  showMore: 'Show more ({{count}} characters)',
  showLess: 'Show less',
  panes: { timeline: 'timeline', tasks: 'tasks', comms: 'comms' },
  /** An incident declared while the person went on working elsewhere (the form closed before the answer). */
  declared: {
    withKey: '“{{title}}” is declared. Alt+{{n}} switches to it.',
    withList: '“{{title}}” is declared. i lists the incidents, to switch to it.',
    switch: 'Switch to it',
  },
};
