import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskView } from '../../../shared/record/fold.js';
import { command } from '../../app/actions.js';
import { OWNER_OPTIONS_ID, useTaskUi } from './store.js';

/** Shown while cards are selected (x or Space on a card, or its checkbox): one owner for all of them. */
export function TaskBoardBulk({
  incidentId,
  tasks,
  onError,
  onStart,
}: {
  incidentId: string;
  tasks: TaskView[];
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const picked = useTaskUi((s) => s.selected);
  const focusWanted = useTaskUi((s) => s.bulkFocusWanted);
  const clearSelection = useTaskUi((s) => s.clearSelection);
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Only what is on screen: a task that left this list must not be assigned blind.
  const selected = picked.filter((id) => tasks.some((task) => task.id === id));

  const shown = selected.length > 0;
  useEffect(() => {
    if (!focusWanted || !shown) return;
    input.current?.focus();
    useTaskUi.getState().bulkFocused();
  }, [focusWanted, shown]);

  if (selected.length === 0) return null;

  const backToBoard = () => document.querySelector<HTMLElement>(`.tasks-pane [data-task-id="${CSS.escape(selected[0]!)}"]`)?.focus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    setBusy(true);
    try {
      await command('task.assignMany', { incidentId, taskIds: selected, owner });
      backToBoard();
      clearSelection();
      setOwner('');
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="bulk-bar" onSubmit={(e) => void submit(e)}>
      <span className="bulk-count" data-testid="bulk-count">
        {t('taskBoard.selected', { count: selected.length })}
      </span>
      <label className="visually-hidden" htmlFor="bulk-owner">
        {t('taskBoard.bulkOwnerLabel')}
      </label>
      <input
        ref={input}
        id="bulk-owner"
        type="text"
        autoComplete="off"
        list={OWNER_OPTIONS_ID}
        placeholder={t('taskBoard.bulkOwnerPlaceholder')}
        value={owner}
        onChange={(e) => setOwner(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            backToBoard();
          }
        }}
      />
      <button type="submit" className="primary" disabled={busy}>
        {t('taskBoard.assignAll')}
      </button>
      <button type="button" onClick={clearSelection}>
        {t('taskBoard.clearSelection')}
      </button>
    </form>
  );
}
