import { create } from 'zustand';

export const PANES = ['timeline', 'tasks', 'comms'] as const;
export type PaneId = (typeof PANES)[number];

interface LayoutState {
  /** The pane shown large (focus mode), or null when the panes keep the sizes the user gave them. */
  focused: PaneId | null;
  /** The pane the keyboard focus was last in: Esc leaves a field, the user is still "in" its pane. */
  lastPane: PaneId;
  setFocused(pane: PaneId | null): void;
}

export const useLayout = create<LayoutState>()((set) => ({
  focused: null,
  lastPane: 'timeline',
  setFocused: (focused) => set({ focused }),
}));

const paneOf = (element: Element | null): PaneId | null => {
  const pane = element?.closest<HTMLElement>('[data-pane]')?.dataset['pane'] ?? '';
  return (PANES as readonly string[]).includes(pane) ? (pane as PaneId) : null;
};

/** Follows the focus into the panes (installed once by the panes). */
export function trackPaneFocus(): () => void {
  const onFocusIn = (event: FocusEvent) => {
    const pane = paneOf(event.target instanceof Element ? event.target : null);
    if (pane && pane !== useLayout.getState().lastPane) useLayout.setState({ lastPane: pane });
  };
  document.addEventListener('focusin', onFocusIn);
  return () => document.removeEventListener('focusin', onFocusIn);
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
