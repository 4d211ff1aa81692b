import { useEffect } from 'react';
import { useUi } from './stores/ui.js';
import { useSyncStatus } from './stores/syncStatus.js';
import { CLOCK_KEYS, openClocksDialog, toggleCallout, togglePause } from './clock-actions.js';
import { jumpToNow } from './stores/timeline.js';
import { openLibraryPanel, type LibraryPanel } from './stores/library.js';

/** Element ids the global shortcuts move focus to; the panes put them on their inputs. */
export const FOCUS_TARGETS = {
  quickEntry: 'quick-entry',
  newTask: 'new-task-title',
  commsBody: 'comms-body',
  status: 'status-select',
} as const;

/** The clocks' keys: pause/resume, wall clocks, team settings, deputy call-out. */
const CLOCK_ACTIONS: Record<string, () => void> = {
  [CLOCK_KEYS.pause]: togglePause,
  [CLOCK_KEYS.zones]: () => openClocksDialog('zones'),
  [CLOCK_KEYS.settings]: () => openClocksDialog('settings'),
  [CLOCK_KEYS.callout]: toggleCallout,
};

/** b: the incident library; e: export; x: run a drill. */
const LIBRARY_KEYS: Record<string, LibraryPanel> = { b: 'library', e: 'export', x: 'drill' };

const KEY_TARGETS: Record<string, string> = {
  n: FOCUS_TARGETS.quickEntry,
  t: FOCUS_TARGETS.newTask,
  c: FOCUS_TARGETS.commsBody,
  s: FOCUS_TARGETS.status,
  '/': 'timeline-filter',
};

/** True when a key press belongs to what the user is typing (or choosing) rather than to the console. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return false;
}

/** Single-key shortcuts (n, t, c, s, y, ?) and Esc, listed in the help overlay. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
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
      if (isTypingTarget(event.target)) return;
      if (event.key === '?') {
        ui.setHelpOpen(!ui.helpOpen);
        event.preventDefault();
        return;
      }
      if (ui.helpOpen || ui.declareOpen) return;
      if (event.key === 'y') {
        useSyncStatus.getState().setSettingsOpen(true);
        event.preventDefault();
        return;
      }
      if (event.key === 'j') {
        event.preventDefault();
        void jumpToNow(true);
        return;
      }
      const clockAction = CLOCK_ACTIONS[event.key];
      if (clockAction && !document.querySelector('[aria-modal="true"]')) {
        event.preventDefault();
        clockAction();
        return;
      }
      const libraryPanel = LIBRARY_KEYS[event.key];
      if (libraryPanel && !document.querySelector('[aria-modal="true"]')) {
        event.preventDefault();
        openLibraryPanel(libraryPanel);
        return;
      }
      const id = KEY_TARGETS[event.key];
      const element = id ? document.getElementById(id) : null;
      if (element) {
        // Without this the letter would also be typed into the field that just got focus.
        event.preventDefault();
        element.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
