import { useMemo, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskView } from '../../../shared/record/fold.js';
import { owedToYou, SNOOZE_MS, type OwedEntry } from '../../../shared/tasks/tasks.js';
import { useFormatDuration } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';

const ENTRY = '.owed-entry';

/** Focus the longest-waiting entry; false when nobody owes anything. */
export function focusFirstOwed(): boolean {
  const first = document.querySelector<HTMLElement>(ENTRY);
  first?.focus();
  return first !== null;
}

/**
 * "Owed to you": every check-back that has run out on an open task — who, what, and how late —
 * in red above the board. On an entry, + gives five more minutes and Delete clears it.
 */
export function TaskBoardOwed({
  tasks,
  now,
  incidentId,
  onError,
  onStart,
}: {
  tasks: TaskView[];
  now: number;
  incidentId: string;
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const owed = useMemo(() => owedToYou(tasks, now), [tasks, now]);
  if (owed.length === 0) return null;

  const act = async (entry: OwedEntry, change: { checkBackAt: null } | { extendMs: number }, from: HTMLElement | null) => {
    onStart();
    // The entry leaves the list: keep the keyboard in the list, or hand it back to the board.
    const list = [...document.querySelectorAll<HTMLElement>(ENTRY)];
    const index = from ? list.indexOf(from) : -1;
    const next = list[index + 1] ?? list[index - 1] ?? null;
    try {
      await command('task.checkBack', { incidentId, taskId: entry.taskId, ...change });
      if (from && document.activeElement === from) (next ?? document.querySelector<HTMLElement>('.tasks-pane [data-task-id]'))?.focus();
    } catch (e) {
      onError(e);
    }
  };
  // The core adds the five minutes to its own clock: the window's may be wrong.
  const snooze = (entry: OwedEntry, from: HTMLElement | null) => void act(entry, { extendMs: SNOOZE_MS }, from);
  const clear = (entry: OwedEntry, from: HTMLElement | null) => void act(entry, { checkBackAt: null }, from);

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>, entry: OwedEntry) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return;
    const el = event.currentTarget;
    if (event.key === '+' || event.key === '=') snooze(entry, el);
    else if (event.key === 'Delete' || event.key === 'Backspace') clear(entry, el);
    else if (event.key === 'ArrowDown') (el.nextElementSibling as HTMLElement | null)?.focus();
    else if (event.key === 'ArrowUp') (el.previousElementSibling as HTMLElement | null)?.focus();
    else return;
    event.preventDefault();
  };

  return (
    <section className="owed" aria-labelledby="owed-heading">
      <h3 id="owed-heading">
        {t('taskBoard.owedTitle')} <span className="count">{owed.length}</span>
      </h3>
      <ul>
        {owed.map((entry) => {
          const owner = entry.owner || t('tasks.noOwner');
          const late = t('taskBoard.owedLate', { time: formatDuration(entry.lateByMs) });
          return (
            <li
              key={entry.taskId}
              className="owed-entry"
              tabIndex={0}
              data-owed-task-id={entry.taskId}
              aria-label={t('taskBoard.owedLabel', { owner, title: entry.title, late })}
              title={entry.owedTo ? t('taskBoard.owedTo', { person: entry.owedTo }) : undefined}
              onKeyDown={(e) => onKeyDown(e, entry)}
            >
              <span className="owed-owner">{owner}</span>
              <span className="owed-title">{entry.title}</span>
              <span className="owed-late">{late}</span>
              <span className="owed-actions">
                <button
                  type="button"
                  tabIndex={-1}
                  aria-label={t('taskBoard.snoozeLabel', { title: entry.title })}
                  onClick={(e) => snooze(entry, e.currentTarget.closest('li'))}
                >
                  {t('taskBoard.snooze')}
                </button>
                <button
                  type="button"
                  tabIndex={-1}
                  aria-label={t('taskBoard.clearLabel', { title: entry.title })}
                  onClick={(e) => clear(entry, e.currentTarget.closest('li'))}
                >
                  {t('taskBoard.clearCheckBack')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
