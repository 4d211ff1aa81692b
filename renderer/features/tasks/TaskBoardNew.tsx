import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskKind } from '../../../shared/record/events.js';
import { parseDelay, parseWhen } from '../../../shared/tasks/tasks.js';
import { FOCUS_TARGETS } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { OWNER_OPTIONS_ID } from './store.js';
import { useUnsentText } from '../../ui/unsent.js';

/**
 * One line to add a task: title, owner, and "back to me in …" (5m, 1h, 14:30). On the
 * follow-ups tab the check-back gives way to a due date, and owner and date are required.
 */
export function TaskBoardNew({
  incidentId,
  kind,
  onError,
  onStart,
}: {
  incidentId: string;
  kind: TaskKind;
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  // Kept per incident: a switch and back, or a reload, finds a half-typed task again.
  const [title, setTitle] = useUnsentText(incidentId, 'taskTitle');
  const [owner, setOwner] = useUnsentText(incidentId, 'taskOwner');
  const [when, setWhen] = useUnsentText(incidentId, 'taskWhen');
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const followUp = kind === 'followup';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !title.trim()) return;
    onStart();
    const at = when.trim() ? parseWhen(when, Date.now()) : null;
    if (when.trim() && at === null) return setInvalid(t('taskBoard.badWhen', { value: when.trim() }));
    if (followUp && !owner.trim()) return setInvalid(t('taskBoard.followUpOwner'));
    if (followUp && at === null) return setInvalid(t('taskBoard.followUpDue'));
    setInvalid(null);
    setBusy(true);
    try {
      // The window only checks that it can read the time; the core reads the moment on its own clock
      // and in its zone: a delay ("5m") from its now, a clock time or a date as typed.
      const delay = parseDelay(when);
      const typed = when.trim();
      const times = at === null ? {} : followUp ? { dueWhen: typed } : delay !== null ? { checkBackInMs: delay } : { checkBackWhen: typed };
      await command('task.create', { incidentId, title, owner, kind, ...times });
      setTitle('');
      setOwner('');
      setWhen('');
      document.getElementById(FOCUS_TARGETS.newTask)?.focus();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-task" onSubmit={(e) => void submit(e)} aria-describedby={invalid ? 'new-task-invalid' : undefined}>
      <label className="visually-hidden" htmlFor={FOCUS_TARGETS.newTask}>
        {followUp ? t('taskBoard.newFollowUp') : t('tasks.newTitle')}
      </label>
      <input
        id={FOCUS_TARGETS.newTask}
        type="text"
        autoComplete="off"
        placeholder={followUp ? t('taskBoard.newFollowUpPlaceholder') : t('tasks.newTitlePlaceholder')}
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          setInvalid(null);
        }}
      />
      <label className="visually-hidden" htmlFor="new-task-owner">
        {followUp ? t('taskBoard.ownerRequired') : t('tasks.newOwner')}
      </label>
      <input
        id="new-task-owner"
        className="owner-input"
        type="text"
        autoComplete="off"
        list={OWNER_OPTIONS_ID}
        placeholder={t('tasks.newOwnerPlaceholder')}
        value={owner}
        onChange={(e) => {
          setOwner(e.target.value);
          setInvalid(null);
        }}
      />
      <label className="visually-hidden" htmlFor="new-task-when">
        {followUp ? t('taskBoard.dueLabel') : t('taskBoard.checkBackLabel')}
      </label>
      <input
        id="new-task-when"
        className="when-input"
        type="text"
        autoComplete="off"
        placeholder={followUp ? t('taskBoard.duePlaceholder') : t('taskBoard.checkBackPlaceholder')}
        title={followUp ? t('taskBoard.dueLabel') : t('taskBoard.checkBackLabel')}
        aria-invalid={invalid ? true : undefined}
        value={when}
        onChange={(e) => {
          setWhen(e.target.value);
          setInvalid(null);
        }}
      />
      <button type="submit" disabled={busy}>
        {t('tasks.add')}
      </button>
      {invalid && (
        <p id="new-task-invalid" className="error-note" role="alert">
          {invalid}
        </p>
      )}
    </form>
  );
}
