import {
  DndContext,
  DragOverlay,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/record/events.js';
import type { TaskView } from '../../../shared/record/fold.js';
import { command } from '../../app/actions.js';
import { TaskCard, TaskCardGhost, type FocusWish } from './TaskBoardCard.js';

const isStatus = (value: unknown): value is TaskStatus => (TASK_STATUSES as readonly unknown[]).includes(value);
/** How long a card rests in a column after a key move before the move is recorded: ] ] ] is one move, to Done. */
export const MOVE_SETTLE_MS = 600;

/**
 * Columns by status. A card moves by dragging it with the mouse (dnd-kit's pointer sensor, so a
 * plain click on its buttons still works) or by keys on the focused card ([ ] or Shift+←/→).
 * Keyboard dragging is left out on purpose: Space selects a card for bulk assignment.
 */
export function TaskBoardColumns({
  incidentId,
  tasks,
  now,
  onError,
  onStart,
}: {
  incidentId: string;
  tasks: TaskView[];
  now: number;
  onError: (e: unknown) => void;
  onStart: () => void;
}) {
  const { t } = useTranslation();
  const focusWish = useRef<FocusWish | null>(null);
  const [dragging, setDragging] = useState<TaskView | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const byId = useMemo(() => new Map(tasks.map((task) => [task.id, task])), [tasks]);
  const latest = useRef(byId);
  latest.current = byId;
  /** Columns cards were moved to by keys and not recorded yet: shown at once, recorded once they settle. */
  const [moving, setMoving] = useState<ReadonlyMap<string, TaskStatus>>(new Map());
  const settling = useRef(new Map<string, { to: TaskStatus; timer: ReturnType<typeof setTimeout> }>());

  const move = async (task: TaskView, status: TaskStatus, keepFocus: boolean) => {
    if (task.status === status) return;
    focusWish.current = keepFocus ? { taskId: task.id, status } : null;
    onStart();
    try {
      await command('task.move', { incidentId, taskId: task.id, status });
    } catch (e) {
      focusWish.current = null;
      onError(e);
    }
  };

  const forget = (taskId: string) =>
    setMoving((current) => {
      if (!current.has(taskId)) return current;
      const next = new Map(current);
      next.delete(taskId);
      return next;
    });

  /** Record where a card came to rest, if that is not where the record has it. */
  const settle = (taskId: string) => {
    const pending = settling.current.get(taskId);
    if (!pending) return;
    clearTimeout(pending.timer);
    settling.current.delete(taskId);
    const task = latest.current.get(taskId);
    if (!task || task.status === pending.to) return forget(taskId);
    onStart();
    command('task.move', { incidentId, taskId, status: pending.to }).catch((e: unknown) => {
      forget(taskId);
      onError(e);
    });
  };

  /** ] [ and the arrow buttons: the card moves on screen now; one move to the last column is recorded when the keys stop. */
  const moveByKey = (task: TaskView, to: TaskStatus) => {
    focusWish.current = { taskId: task.id, status: to };
    setMoving((current) => new Map(current).set(task.id, to));
    clearTimeout(settling.current.get(task.id)?.timer);
    settling.current.set(task.id, { to, timer: setTimeout(() => settle(task.id), MOVE_SETTLE_MS) });
  };

  // A card shown where the record now has it needs no override; leaving the board records what is pending.
  useEffect(() => {
    setMoving((current) => {
      const stale = [...current].filter(([id, to]) => !settling.current.has(id) && byId.get(id)?.status === to);
      if (stale.length === 0) return current;
      const next = new Map(current);
      stale.forEach(([id]) => next.delete(id));
      return next;
    });
  }, [byId]);
  const settleAll = useRef(() => {});
  settleAll.current = () => [...settling.current.keys()].forEach(settle);
  useEffect(() => () => settleAll.current(), []);

  const titleOf = (id: string | number) => byId.get(String(id))?.title ?? '';
  const columnOf = (id: string | number | undefined) => (isStatus(id) ? t(`taskStatus.${id}`) : '');
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('taskBoard.dragStart', { title: titleOf(active.id) }),
    onDragOver: ({ active, over }) => (over ? t('taskBoard.dragOver', { title: titleOf(active.id), column: columnOf(over.id) }) : undefined),
    onDragEnd: ({ active, over }) =>
      over ? t('taskBoard.dragEnd', { title: titleOf(active.id), column: columnOf(over.id) }) : t('taskBoard.dragCancel', { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => t('taskBoard.dragCancel', { title: titleOf(active.id) }),
  };

  const shownTasks = moving.size === 0 ? tasks : tasks.map((task) => (moving.has(task.id) ? { ...task, status: moving.get(task.id)! } : task));

  const onDragStart = ({ active }: DragStartEvent) => setDragging(byId.get(String(active.id)) ?? null);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    const task = byId.get(String(active.id));
    if (task && over && isStatus(over.id)) {
      if (settling.current.has(task.id)) settle(task.id);
      void move(task, over.id, false);
    }
  };

  return (
    <DndContext
      sensors={sensors}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('taskBoard.dragInstructions') } }}
    >
      <div className="task-columns">
        {TASK_STATUSES.map((status) => (
          <Column key={status} status={status}>
            {shownTasks
              .filter((task) => task.status === status)
              .map((task) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  now={now}
                  incidentId={incidentId}
                  focusWish={focusWish}
                  onMove={(to) => moveByKey(task, to)}
                  onError={onError}
                  onStart={onStart}
                />
              ))}
          </Column>
        ))}
      </div>
      <DragOverlay dropAnimation={null}>{dragging ? <TaskCardGhost task={dragging} now={now} /> : null}</DragOverlay>
    </DndContext>
  );
}

function Column({ status, children }: { status: TaskStatus; children: ReactNode[] }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: status });
  return (
    <section
      ref={setNodeRef}
      className={`task-column column-${status}${isOver ? ' drop-target' : ''}`}
      aria-labelledby={`column-${status}`}
      data-column={status}
    >
      <h3 id={`column-${status}`}>
        {t(`taskStatus.${status}`)} <span className="count">{children.length}</span>
      </h3>
      <ul className="pane-scroll">
        {children.length === 0 && <li className="empty">{t('tasks.empty')}</li>}
        {children}
      </ul>
    </section>
  );
}
