import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_STATUSES, type TaskStatus } from '../../shared/events.js';
import type { TaskView } from '../../shared/fold.js';
import { neighbourColumn } from '../format.js';
import { FOCUS_TARGETS } from '../shortcuts.js';
import { command } from '../stores/actions.js';
import { useIncidents } from '../stores/incidents.js';
import { message } from '../stores/sync.js';
import { ErrorNote } from './ErrorNote.js';

const NO_TASKS: TaskView[] = [];

/** After a move the card re-mounts in its new column; focus follows it there, so it can be moved again. */
interface FocusWish {
  taskId: string;
  status: TaskStatus;
}

export function TaskBoard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const tasks = useIncidents((s) => s.current?.tasks ?? NO_TASKS);
  const [error, setError] = useState<string | null>(null);
  const focusWish = useRef<FocusWish | null>(null);

  const fail = (e: unknown) => setError(t('tasks.failed', { message: message(e) }));
  const move = async (task: TaskView, status: TaskStatus) => {
    focusWish.current = { taskId: task.id, status };
    setError(null);
    try {
      await command('task.move', { incidentId, taskId: task.id, status });
    } catch (e) {
      focusWish.current = null;
      fail(e);
    }
  };

  return (
    <section className="pane tasks-pane" aria-labelledby="tasks-heading">
      <div className="pane-head">
        <h2 id="tasks-heading">{t('tasks.title')}</h2>
        <p className="hint">{t('tasks.keysHint')}</p>
      </div>
      <NewTask incidentId={incidentId} onError={fail} onStart={() => setError(null)} />
      <ErrorNote text={error} />
      <div className="task-columns">
        {TASK_STATUSES.map((status) => {
          const column = tasks.filter((task) => task.status === status);
          return (
            <section key={status} className={`task-column column-${status}`} aria-labelledby={`column-${status}`} data-column={status}>
              <h3 id={`column-${status}`}>
                {t(`taskStatus.${status}`)} <span className="count">{column.length}</span>
              </h3>
              <ul className="pane-scroll">
                {column.length === 0 && <li className="empty">{t('tasks.empty')}</li>}
                {column.map((task) => (
                  <TaskCard
                    key={task.id}
                    task={task}
                    incidentId={incidentId}
                    focusWish={focusWish}
                    onMove={(to) => void move(task, to)}
                    onError={fail}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}

function NewTask({ incidentId, onError, onStart }: { incidentId: string; onError: (e: unknown) => void; onStart: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !title.trim()) return;
    setBusy(true);
    onStart();
    try {
      await command('task.create', { incidentId, title, owner });
      setTitle('');
      setOwner('');
      document.getElementById(FOCUS_TARGETS.newTask)?.focus();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-task" onSubmit={(e) => void submit(e)}>
      <label className="visually-hidden" htmlFor={FOCUS_TARGETS.newTask}>
        {t('tasks.newTitle')}
      </label>
      <input
        id={FOCUS_TARGETS.newTask}
        type="text"
        autoComplete="off"
        placeholder={t('tasks.newTitlePlaceholder')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label className="visually-hidden" htmlFor="new-task-owner">
        {t('tasks.newOwner')}
      </label>
      <input
        id="new-task-owner"
        className="owner-input"
        type="text"
        autoComplete="off"
        placeholder={t('tasks.newOwnerPlaceholder')}
        value={owner}
        onChange={(e) => setOwner(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        {t('tasks.add')}
      </button>
    </form>
  );
}

function TaskCard({
  task,
  incidentId,
  focusWish,
  onMove,
  onError,
}: {
  task: TaskView;
  incidentId: string;
  focusWish: { current: FocusWish | null };
  onMove: (to: TaskStatus) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [owner, setOwner] = useState(task.owner);
  const cardRef = useRef<HTMLLIElement | null>(null);
  const left = neighbourColumn(task.status, -1);
  const right = neighbourColumn(task.status, 1);

  const attach = (el: HTMLLIElement | null) => {
    cardRef.current = el;
    const wish = focusWish.current;
    if (el && wish && wish.taskId === task.id && wish.status === task.status) {
      focusWish.current = null;
      el.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    // Keys typed in the owner field belong to the field.
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return;
    const toLeft = event.key === '[' || (event.shiftKey && event.key === 'ArrowLeft');
    const toRight = event.key === ']' || (event.shiftKey && event.key === 'ArrowRight');
    if ((toLeft && left) || (toRight && right)) {
      event.preventDefault();
      onMove((toLeft ? left : right)!);
    } else if (event.key === 'o') {
      event.preventDefault();
      startEditing();
    }
  };

  const startEditing = () => {
    setOwner(task.owner);
    setEditing(true);
  };

  const stopEditing = () => {
    setEditing(false);
    cardRef.current?.focus();
  };

  const saveOwner = async () => {
    try {
      await command('task.assign', { incidentId, taskId: task.id, owner });
      stopEditing();
    } catch (e) {
      onError(e);
    }
  };

  const column = t(`taskStatus.${task.status}`);
  return (
    <li
      ref={attach}
      className="task-card"
      tabIndex={0}
      data-task-id={task.id}
      aria-label={t('tasks.cardLabel', { title: task.title, column })}
      title={t('tasks.keysHint')}
      onKeyDown={onKeyDown}
    >
      <p className="task-title">{task.title}</p>
      {editing ? (
        <form
          className="owner-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void saveOwner();
          }}
        >
          <input
            autoFocus
            type="text"
            aria-label={t('tasks.ownerLabel', { title: task.title })}
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                stopEditing();
              }
            }}
          />
          <button type="submit">{t('tasks.save')}</button>
        </form>
      ) : (
        <div className="task-meta">
          <span className={task.owner ? 'task-owner' : 'task-owner muted'}>{task.owner || t('tasks.noOwner')}</span>
          <button type="button" className="link" onClick={startEditing}>
            {t('tasks.assign')}
          </button>
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
