import { create } from 'zustand';

export const PANES = ['timeline', 'tasks', 'comms'] as const;
export type PaneId = (typeof PANES)[number];

interface LayoutState {
  /** The pane shown large (focus mode), or null when the panes keep the sizes the user gave them. */
  focused: PaneId | null;
  /** The pane the keyboard focus was last in: Esc leaves a field, the user is still "in" its pane. */
  lastPane: PaneId;
  /**
   * Of the two stacked panes, the one being worked in: the board has the room for its cards,
   * comms (while an update is written, edited or approved) the room for its compose area.
   */
  stackedWork: StackedPane;
  setFocused(pane: PaneId | null): void;
}

export type StackedPane = 'tasks' | 'comms';

export const useLayout = create<LayoutState>()((set) => ({
  focused: null,
  lastPane: 'timeline',
  stackedWork: 'tasks',
  setFocused: (focused) => set({ focused }),
}));

const paneOf = (element: Element | null): PaneId | null => {
  const pane = element?.closest<HTMLElement>('[data-pane]')?.dataset['pane'] ?? '';
  return (PANES as readonly string[]).includes(pane) ? (pane as PaneId) : null;
};

/**
 * Follows the focus into the panes (installed once by the panes). Moving into the board or into
 * comms gives that pane the larger share of their column; moving to the timeline changes neither
 * (a glance at the record while writing an update keeps the compose area whole).
 *
 * A press of the mouse focuses what it presses before the click lands: resizing then would move
 * the pressed button from under the pointer and the click would be lost (Approve pressed, nothing
 * approved). So a pane entered with a button held takes its room once the click is over.
 */
export function trackPaneFocus(): () => void {
  let pressed = false;
  let waiting: StackedPane | null = null;
  const work = (pane: StackedPane) => {
    if (pane !== useLayout.getState().stackedWork) useLayout.setState({ stackedWork: pane });
  };
  const onFocusIn = (event: FocusEvent) => {
    const pane = paneOf(event.target instanceof Element ? event.target : null);
    if (!pane) return;
    if (pane !== useLayout.getState().lastPane) useLayout.setState({ lastPane: pane });
    if (pane === 'timeline') return;
    if (pressed) waiting = pane;
    else work(pane);
  };
  const onPointerDown = () => {
    pressed = true;
  };
  const onPointerUp = () => {
    pressed = false;
    if (waiting === null) return;
    const pane = waiting;
    waiting = null;
    // After the click this press makes (dispatched right after pointerup, in the same task).
    setTimeout(() => work(pane), 0);
  };
  document.addEventListener('focusin', onFocusIn);
  document.addEventListener('pointerdown', onPointerDown, true);
  document.addEventListener('pointerup', onPointerUp, true);
  document.addEventListener('pointercancel', onPointerUp, true);
  return () => {
    document.removeEventListener('focusin', onFocusIn);
    document.removeEventListener('pointerdown', onPointerDown, true);
    document.removeEventListener('pointerup', onPointerUp, true);
    document.removeEventListener('pointercancel', onPointerUp, true);
  };
}

/**
 * The console was drawn for an incident (opened, switched to): comms keeps the room it took for an
 * update only while the focus is in it. An update being written in one incident is no reason to
 * open the next with the board squeezed; its text waits in that incident (renderer/ui/unsent.ts).
 */
export function workWhereFocusIs(): void {
  const pane: StackedPane = paneOf(document.activeElement) === 'comms' ? 'comms' : 'tasks';
  if (pane !== useLayout.getState().stackedWork) useLayout.setState({ stackedWork: pane });
}

/** The pane that holds the keyboard focus, else the one last focused. */
export function paneOfFocus(): PaneId {
  return paneOf(document.activeElement) ?? useLayout.getState().lastPane;
}

/** `z`: enlarge the pane being worked in, or give every pane its size back. */
export function toggleFocusMode(): void {
  const { focused, setFocused } = useLayout.getState();
  setFocused(focused ? null : paneOfFocus());
}
