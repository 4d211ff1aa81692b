import { useDraggable } from '@dnd-kit/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskStatus } from '../../../shared/record/events.js';
import type { TaskView } from '../../../shared/record/fold.js';
import { checkBackLateBy, dueLateBy, isOpen, isOverdue, parseDelay, parseWhen, SNOOZE_MS } from '../../../shared/tasks/tasks.js';
import { neighbourColumn, shortTime } from '../../ui/format.js';
import { useDateLocale, useFormatDuration } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';
import { message } from '../incidents/view-sync.js';
import { OWNER_OPTIONS_ID, useTaskUi } from './store.js';

/** After a move the card re-mounts in its new column; focus follows it there, so it can be moved again. */
export interface FocusWish {
  taskId: string;
  status: TaskStatus;
}

type Field = 'title' | 'owner' | 'checkBack' | 'due';

/** What follows the pointer while a card is dragged. */
export function TaskCardGhost({ task, now }: { task: TaskView; now: number }) {
  const { t } = useTranslation();
  return (
    <div className={`task-card dragging-overlay${isOverdue(task, now) ? ' overdue' : ''}`}>
      <p className="task-title">{task.title}</p>
      <div className="task-meta">
        <span className={task.owner ? 'task-owner' : 'task-owner muted'}>{task.owner || t('tasks.noOwner')}</span>
        <TaskTimes task={task} now={now} />
      </div>
    </div>
  );
}

/** "back in 02:13" / "check-back overdue by 00:01:10", and "due 14:30" / "overdue by …": red once passed. */
export function TaskTimes({ task, now }: { task: TaskView; now: number }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const locale = useDateLocale();
  const checkLate = checkBackLateBy(task, now);
  const dueLate = dueLateBy(task, now);
  return (
    <>
      {task.checkBackAt !== null && (
        <span
          className={`chip chip-checkback${checkLate !== null ? ' late' : ''}`}
          data-testid="task-checkback"
          title={t('taskBoard.checkBackAt', { time: shortTime(task.checkBackAt, now, locale) })}
        >
          {checkLate !== null
            ? t('taskBoard.checkBackLate', { time: formatDuration(checkLate) })
            : isOpen(task)
              ? t('taskBoard.checkBackIn', { time: formatDuration(task.checkBackAt - now) })
              : t('taskBoard.checkBackAt', { time: shortTime(task.checkBackAt, now, locale) })}
        </span>
      )}
      {task.dueAt !== null && (
        <span
          className={`chip chip-due${dueLate !== null ? ' late' : ''}`}
          data-testid="task-due"
          title={t('taskBoard.dueAt', { time: shortTime(task.dueAt, now, locale) })}
        >
          {dueLate !== null ? t('taskBoard.dueLate', { time: formatDuration(dueLate) }) : t('taskBoard.dueAt', { time: shortTime(task.dueAt, now, locale) })}
        </span>
      )}
    </>
  );
}

/** Arrow keys walk the board: up and down within a column, left and right to the nearest card of the next column that has one. */
function focusNeighbour(card: HTMLElement, key: string): void {
  const column = card.closest('[data-column]');
  const board = card.closest('.task-columns');
  if (!column || !board) return;
  const cardsOf = (el: Element) => [...el.querySelectorAll<HTMLElement>('.task-card')];
  const mine = cardsOf(column);
  const index = mine.indexOf(card);
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    mine[index + (key === 'ArrowDown' ? 1 : -1)]?.focus();
    return;
  }
  const columns = [...board.querySelectorAll('[data-column]')];
  const step = key === 'ArrowRight' ? 1 : -1;
  for (let c = columns.indexOf(column) + step; c >= 0 && c < columns.length; c += step) {
    const cards = cardsOf(columns[c]!);
    if (cards.length) {
      cards[Math.min(index, cards.length - 1)]!.focus();
      return;
    }
  }
}

export function TaskCard({
  task,
  now,
  incidentId,
  focusWish,
  onMove,
  onError,
  onStart,
}: {
  task: TaskView;
  now: number;
  incidentId: string;
  focusWish: { current: FocusWish | null };
  onMove: (to: TaskStatus) => void;
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Field | null>(null);
  const cardRef = useRef<HTMLLIElement | null>(null);
  const selected = useTaskUi((s) => s.selected.includes(task.id));
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: task.id });
  const left = neighbourColumn(task.status, -1);
  const right = neighbourColumn(task.status, 1);
  const overdue = isOverdue(task, now);

  const attach = (el: HTMLLIElement | null) => {
    cardRef.current = el;
    setNodeRef(el);
    const wish = focusWish.current;
    if (el && wish && wish.taskId === task.id && wish.status === task.status) {
      focusWish.current = null;
      el.focus();
    }
  };

  const stopEditing = () => {
    setEditing(null);
    cardRef.current?.focus();
  };

  const snooze = async () => {
    onStart();
    try {
      await command('task.checkBack', { incidentId, taskId: task.id, extendMs: SNOOZE_MS });
    } catch (e) {
      onError(e);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    // Keys typed in an editor belong to the editor.
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    const toLeft = key === '[' || (event.shiftKey && key === 'ArrowLeft');
    const toRight = key === ']' || (event.shiftKey && key === 'ArrowRight');
    const ui = useTaskUi.getState();
    if (toLeft || toRight) {
      const to = toLeft ? left : right;
      if (to) onMove(to);
    } else if (key === 'o') setEditing('owner');
    else if (key === 'e' || key === 'F2') setEditing('title');
    else if (key === 'b') setEditing('checkBack');
    else if (key === 'd') setEditing('due');
    else if (key === '+' || key === '=') void snooze();
    else if (key === 'x' || key === ' ') ui.toggleSelected(task.id);
    else if (key === 'a') {
      if (!selected) ui.toggleSelected(task.id);
      ui.requestBulkFocus();
    } else if (key === 'Escape' && ui.selected.length > 0) ui.clearSelection();
    else if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(key) && !event.shiftKey) focusNeighbour(event.currentTarget, key);
    else return;
    event.preventDefault();
  };

  const save = async (field: Field, raw: string): Promise<string | null> => {
    const value = raw.trim();
    const base = { incidentId, taskId: task.id };
    const when = value ? parseWhen(value, Date.now()) : null;
    if ((field === 'checkBack' || field === 'due') && value && when === null) return t('taskBoard.badWhen', { value });
    if (field === 'due' && !value && task.kind === 'followup') return t('taskBoard.followUpDue');
    if (field === 'owner' && !value && task.kind === 'followup') return t('taskBoard.followUpOwner');
    try {
      if (field === 'title' && value && value !== task.title) await command('task.rename', { ...base, title: value });
      // Re-assigning the same owner is recorded too: on a bridge call it is a confirmation worth keeping.
      else if (field === 'owner') await command('task.assign', { ...base, owner: value });
      else if (field === 'checkBack' && when !== task.checkBackAt) {
        // The core reads the moment on its own clock and in its zone: "in 5 min" from its now, a clock time or a date as typed.
        const delay = value ? parseDelay(value) : null;
        await command('task.checkBack', { ...base, ...(!value ? { checkBackAt: null } : delay !== null ? { inMs: delay } : { when: value }) });
      } else if (field === 'due' && when !== task.dueAt) await command('task.setDue', { ...base, ...(value ? { dueWhen: value } : { dueAt: null }) });
      return null;
    } catch (e) {
      return message(e);
    }
  };

  const column = t(`taskStatus.${task.status}`);
  const editor = editing && (
    <InlineEdit
      key={editing}
      label={t(`taskBoard.edit_${editing}`, { title: task.title })}
      initial={editing === 'title' ? task.title : editing === 'owner' ? task.owner : ''}
      placeholder={editing === 'checkBack' || editing === 'due' ? t('taskBoard.whenPlaceholder') : ''}
      list={editing === 'owner' ? OWNER_OPTIONS_ID : undefined}
      onSave={(value) => save(editing, value)}
      onDone={stopEditing}
    />
  );
  return (
    <li
      ref={attach}
      className={`task-card${overdue ? ' overdue' : ''}${selected ? ' selected' : ''}${isDragging ? ' dragging' : ''}`}
      tabIndex={0}
      data-task-id={task.id}
      aria-label={t('tasks.cardLabel', { title: task.title, column })}
      aria-describedby={attributes['aria-describedby']}
      aria-roledescription={attributes['aria-roledescription']}
      title={t('tasks.keysHint')}
      onKeyDown={onKeyDown}
      {...listeners}
    >
      <div className="task-head">
        <input
          type="checkbox"
          className="task-select"
          tabIndex={-1}
          checked={selected}
          aria-label={t('taskBoard.selectLabel', { title: task.title })}
          onChange={() => useTaskUi.getState().toggleSelected(task.id)}
        />
        {editing === 'title' ? (
          editor
        ) : (
          <p className="task-title" title={task.title}>
            {task.title}
          </p>
        )}
      </div>
      {editing && editing !== 'title' ? (
        editor
      ) : (
        <div className="task-meta">
          <span className={task.owner ? 'task-owner' : 'task-owner muted'}>{task.owner || t('tasks.noOwner')}</span>
          <TaskTimes task={task} now={now} />
        </div>
      )}
      <div className="task-moves">
        {left && (
          <button
            type="button"
            className="icon"
            aria-label={t('tasks.moveLeft', { title: task.title, column: t(`taskStatus.${left}`) })}
            title={t('tasks.moveLeft', { title: task.title, column: t(`taskStatus.${left}`) })}
            onClick={() => onMove(left)}
          >
            {t('tasks.arrowLeft')}
          </button>
        )}
        <button type="button" className="link" onClick={() => setEditing('owner')}>
          {t('tasks.assign')}
        </button>
        <button type="button" className="link" onClick={() => setEditing('checkBack')}>
          {t('taskBoard.checkBackButton')}
        </button>
        {right && (
          <button
            type="button"
            className="icon"
            aria-label={t('tasks.moveRight', { title: task.title, column: t(`taskStatus.${right}`) })}
            title={t('tasks.moveRight', { title: task.title, column: t(`taskStatus.${right}`) })}
            onClick={() => onMove(right)}
          >
            {t('tasks.arrowRight')}
          </button>
        )}
      </div>
    </li>
  );
}

/** One field edited in place: Enter saves, Esc gives up; either way the focus goes back to the card. */
function InlineEdit({
  label,
  initial,
  placeholder,
  list,
  onSave,
  onDone,
}: {
  label: string;
  initial: string;
  placeholder: string;
  list: string | undefined;
  onSave: (value: string) => Promise<string | null>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-edit"
      // A drag must not start from inside a field being typed in.
      onPointerDown={(e) => e.stopPropagation()}
      onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        void onSave(value).then((problem) => {
          setBusy(false);
          if (problem) setError(problem);
          else onDone();
        });
      }}
    >
      <input
        autoFocus
        type="text"
        autoComplete="off"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        placeholder={placeholder}
        list={list}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onDone();
          }
        }}
      />
      <button type="submit" disabled={busy}>
        {t('tasks.save')}
      </button>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
