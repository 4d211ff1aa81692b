/** English strings of the console's layout: resizable panes, focus mode, the stale-link page. */
export const layoutEn = {
  resizeColumns: 'Resize the timeline and the side panes (← →)',
  resizeRows: 'Resize the task board and comms (↑ ↓)',
  focusOn: 'Focus mode: {{pane}} enlarged — z to give every pane its size back',
  panes: { timeline: 'timeline', tasks: 'tasks', comms: 'comms' },
};
