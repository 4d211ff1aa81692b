import { useEffect } from 'react';
import type { Translation } from '../i18n/en.js';
import { usePalette } from '../features/palette/palette.js';
import { useIncidents } from '../features/incidents/store.js';
import { useOverview } from '../features/incidents/overview-store.js';
import { useRolesUi } from '../features/roles/store.js';
import { useUi } from './ui-store.js';
import { useSyncStatus } from '../features/sync/store.js';
import { CLOCK_KEYS, openClocksDialog, toggleCallout, togglePause } from '../features/clocks/clock-actions.js';
import { jumpToNow } from '../features/timeline/store.js';
import { openLibraryPanel } from '../features/library/store.js';
import { useAlerts } from '../features/alerts/store.js';
import { toggleFocusMode } from './layout-store.js';

/** Element ids the global shortcuts move focus to; the panes put them on their inputs. */
export const FOCUS_TARGETS = {
  quickEntry: 'quick-entry',
  newTask: 'new-task-title',
  commsBody: 'comms-body',
  status: 'status-select',
} as const;

/** A shortcut the help overlay lists: keys.<id> shows the key, help.<id> says what it does. */
export type ShortcutId = keyof Translation['keys'] & keyof Translation['help'];

export interface Shortcut {
  id: ShortcutId;
  /**
   * Handled here, on a key press anywhere in the window. Without it the key belongs to a pane
   * or a field (the task card, the quick-entry bar…), which handles it; it is listed all the same.
   */
  handle?: {
    match(event: KeyboardEvent): boolean;
    run(event: KeyboardEvent): void;
    /** Chords that work even while typing in a field or with a dialog open. */
    anywhere?: boolean;
  };
}

const plain = (key: string) => (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey && e.key === key;
const focusOn = (id: string) => () => document.getElementById(id)?.focus();

function openForIncident(dialog: 'roles' | 'handoff'): void {
  const incident = useIncidents.getState().current;
  if (!incident) return;
  useRolesUi.getState().open(dialog === 'handoff' && incident.pendingHandoffId ? 'acknowledge' : dialog);
}

/**
 * Every keyboard shortcut of the console, in the order the help overlay lists them. The
 * overlay and the key handler both read this list, so what is documented is what works.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'palette',
    handle: {
      match: (e) => (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k',
      // Closes the list of actions; anywhere else (a question, an answer still running) it opens
      // a fresh list, which is what someone pressing it again on a bridge call wants.
      run: () => {
        const palette = usePalette.getState();
        if (palette.open && palette.step === null) palette.close();
        else palette.show();
      },
      anywhere: true,
    },
  },
  { id: 'n', handle: { match: plain('n'), run: focusOn(FOCUS_TARGETS.quickEntry) } },
  { id: 't', handle: { match: plain('t'), run: focusOn(FOCUS_TARGETS.newTask) } },
  { id: 'c', handle: { match: plain('c'), run: focusOn(FOCUS_TARGETS.commsBody) } },
  { id: 's', handle: { match: plain('s'), run: focusOn(FOCUS_TARGETS.status) } },
  { id: 'r', handle: { match: plain('r'), run: () => openForIncident('roles') } },
  { id: 'h', handle: { match: plain('h'), run: () => openForIncident('handoff') } },
  { id: 'y', handle: { match: plain('y'), run: () => useSyncStatus.getState().setSettingsOpen(true) } },
  { id: 'pause', handle: { match: plain(CLOCK_KEYS.pause), run: togglePause } },
  { id: 'zones', handle: { match: plain(CLOCK_KEYS.zones), run: () => openClocksDialog('zones') } },
  { id: 'teamSettings', handle: { match: plain(CLOCK_KEYS.settings), run: () => openClocksDialog('settings') } },
  { id: 'callout', handle: { match: plain(CLOCK_KEYS.callout), run: toggleCallout } },
  { id: 'copyUpdate' },
  { id: 'library', handle: { match: plain('b'), run: () => openLibraryPanel('library') } },
  { id: 'exportReport', handle: { match: plain('e'), run: () => openLibraryPanel('export') } },
  { id: 'drill', handle: { match: plain('x'), run: () => openLibraryPanel('drill') } },
  { id: 'alerts', handle: { match: plain('a'), run: () => useAlerts.getState().setOpen(true) } },
  { id: 'focusPane', handle: { match: plain('z'), run: toggleFocusMode } },
  {
    id: 'i',
    handle: {
      match: plain('i'),
      run: () => {
        if (useIncidents.getState().list.length > 1) useOverview.getState().setListOpen(true);
      },
    },
  },
  {
    id: 'switchIncident',
    handle: {
      // By physical key: Alt+1 types "¡" on a Mac, but its code is still Digit1.
      match: (e) => e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code),
      run: (e) => {
        const target = useIncidents.getState().list[Number(e.code.slice(5)) - 1];
        if (target) useUi.getState().selectIncident(target.id);
      },
      anywhere: true,
    },
  },
  { id: 'question', handle: { match: (e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey, run: () => useUi.getState().setHelpOpen(true) } },
  { id: 'esc' },
  { id: 'enter' },
  { id: 'slash' },
  { id: 'filter', handle: { match: plain('/'), run: focusOn('timeline-filter') } },
  { id: 'jumpToNow', handle: { match: plain('j'), run: () => void jumpToNow(true) } },
  { id: 'entryKeys' },
  { id: 'move' },
  { id: 'owner' },
  // The task pane handles these itself (TaskBoard.tsx): v, f and g act on what it shows.
  { id: 'taskView' },
  { id: 'taskKind' },
  { id: 'owed' },
  { id: 'taskCard' },
  { id: 'ctrlEnter' },
];

/** True when a key press belongs to what the user is typing (or choosing) rather than to the console. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return false;
}

/** The window-wide key handler for SHORTCUTS, plus Esc (close the help, or leave a text field). */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const ui = useUi.getState();
      if (event.key === 'Escape') {
        if (ui.helpOpen) {
          ui.setHelpOpen(false);
          event.preventDefault();
        } else if (isTypingTarget(event.target) && event.target instanceof HTMLElement) {
          // Esc leaves the field, so the single-key shortcuts work again without reaching for the mouse.
          event.target.blur();
          event.preventDefault();
        }
        return;
      }
      // Letters belong to the field being typed in, and to an open dialog.
      const busy = isTypingTarget(event.target) || ui.declareOpen || document.querySelector('[aria-modal="true"]') !== null;
      const shortcut = SHORTCUTS.find((s) => s.handle && (s.handle.anywhere || !busy) && s.handle.match(event));
      if (!shortcut?.handle) return;
      // Without this the letter would also be typed into the field that just got focus.
      event.preventDefault();
      shortcut.handle.run(event);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
