import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { jsonStorage } from '../../ui/persist-storage.js';
import type { TaskKind } from '../../../shared/record/events.js';

export type TaskViewMode = 'board' | 'table';
export const TABLE_COLUMNS = ['title', 'owner', 'status', 'checkBack', 'due', 'created'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

const STORAGE_KEY = 'warroom.tasks';
/** The <datalist> of known owners that every owner field of the pane offers. */
export const OWNER_OPTIONS_ID = 'task-owner-options';

interface Saved {
  view: TaskViewMode;
  kind: TaskKind;
  hidden: TableColumn[];
}

/** What comes back from storage, checked field by field: anything unexpected falls back on the default. */
function restore(raw: unknown): Saved {
  const saved = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof Saved, unknown>>;
  return {
    view: saved.view === 'table' ? 'table' : 'board',
    kind: saved.kind === 'followup' ? 'followup' : 'response',
    hidden: Array.isArray(saved.hidden) ? saved.hidden.filter((c): c is TableColumn => (TABLE_COLUMNS as readonly unknown[]).includes(c) && c !== 'title') : [],
  };
}

interface TaskUiState extends Saved {
  /** Cards picked for a bulk action, in the order they were picked. */
  selected: string[];
  setView(view: TaskViewMode): void;
  toggleView(): void;
  setKind(kind: TaskKind): void;
  toggleKind(): void;
  toggleSelected(taskId: string): void;
  clearSelection(): void;
  setHidden(hidden: TableColumn[]): void;
  /** The a key on a card asks the bulk-assign field to take the focus; the field says when it has. */
  bulkFocusWanted: boolean;
  requestBulkFocus(): void;
  bulkFocused(): void;
}

/** How the task pane is shown (board or table, response tasks or follow-ups, columns) and what is selected. */
export const useTaskUi = create<TaskUiState>()(
  persist(
    (set, get) => ({
      ...restore(null),
      selected: [],
      bulkFocusWanted: false,
      setView(view) {
        set({ view });
      },
      toggleView() {
        get().setView(get().view === 'board' ? 'table' : 'board');
      },
      setKind(kind) {
        // A selection from the other list would be assigned out of sight.
        set({ kind, selected: [] });
      },
      toggleKind() {
        get().setKind(get().kind === 'response' ? 'followup' : 'response');
      },
      toggleSelected(taskId) {
        const selected = get().selected;
        set({ selected: selected.includes(taskId) ? selected.filter((id) => id !== taskId) : [...selected, taskId] });
      },
      clearSelection: () => set({ selected: [] }),
      setHidden(hidden) {
        // The title names the row: a table without it cannot be read.
        set({ hidden: hidden.filter((c) => c !== 'title') });
      },
      requestBulkFocus: () => set({ bulkFocusWanted: true }),
      bulkFocused: () => set({ bulkFocusWanted: false }),
    }),
    {
      name: STORAGE_KEY,
      storage: jsonStorage<Saved>(),
      partialize: ({ view, kind, hidden }) => ({ view, kind, hidden }),
      merge: (stored, current) => ({ ...current, ...restore(stored) }),
    },
  ),
);
