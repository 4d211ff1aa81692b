import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { TaskView } from '../../../shared/record/fold.js';
import { ownersOf, tasksOfKind } from '../../../shared/tasks/tasks.js';
import { useNow } from '../../ui/hooks.js';
import { isTypingTarget } from '../../app/shortcuts.js';
import { useIncidents } from '../incidents/store.js';
import { useDirectoryNames } from '../roles/people-store.js';
import { message } from '../incidents/view-sync.js';
import { OWNER_OPTIONS_ID, useTaskUi } from './store.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { TaskBoardBulk } from './TaskBoardBulk.js';
import { TaskBoardColumns } from './TaskBoardColumns.js';
import { TaskBoardNew } from './TaskBoardNew.js';
import { TaskBoardOwed, focusFirstOwed } from './TaskBoardOwed.js';
import { TaskTable } from './TaskTable.js';
import './TaskBoard.css';

const NO_TASKS: TaskView[] = [];

/**
 * The task pane: response tasks and post-incident follow-ups on separate tabs, each as a board
 * (columns by status, drag and drop or keys) or as a table (sort, filter, columns, CSV), with
 * the expired check-backs on top, because an answer someone owes the room is the first thing to chase.
 */
export function TaskBoard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const allTasks = useIncidents((s) => s.current?.tasks ?? NO_TASKS);
  const people = useIncidents(useShallow((s) => Object.values(s.current?.roles ?? {})));
  const directory = useDirectoryNames();
  const { view, kind } = useTaskUi(useShallow((s) => ({ view: s.view, kind: s.kind })));
  const now = useNow(1000);
  const [error, setError] = useState<string | null>(null);
  const tasks = useMemo(() => tasksOfKind(allTasks, kind), [allTasks, kind]);
  const counts = useMemo(() => ({ response: tasksOfKind(allTasks, 'response').length, followup: tasksOfKind(allTasks, 'followup').length }), [allTasks]);
  const owners = useMemo(
    () => [...new Set([...ownersOf(allTasks), ...people, ...directory])].sort((a, b) => a.localeCompare(b)),
    [allTasks, people, directory],
  );
  const fail = (e: unknown) => setError(t('tasks.failed', { message: message(e) }));
  const clear = () => setError(null);

  useEffect(() => useTaskUi.getState().clearSelection(), [incidentId]);
  usePaneShortcuts();
  useFocusAcrossViews(view);

  return (
    <section className="pane tasks-pane" aria-labelledby="tasks-heading">
      <div className="pane-head">
        <h2 id="tasks-heading">{t('tasks.title')}</h2>
        <KindTabs counts={counts} />
        <ViewSwitch />
        <p className="hint">{t('taskBoard.paneHint')}</p>
      </div>
      <TaskBoardOwed tasks={allTasks} now={now} incidentId={incidentId} onError={fail} onStart={clear} />
      <TaskBoardNew incidentId={incidentId} kind={kind} onError={fail} onStart={clear} />
      <ErrorNote text={error} />
      <TaskBoardBulk incidentId={incidentId} tasks={tasks} onError={fail} onStart={clear} />
      {view === 'board' ? (
        <TaskBoardColumns incidentId={incidentId} tasks={tasks} now={now} onError={fail} onStart={clear} />
      ) : (
        <TaskTable tasks={tasks} now={now} kind={kind} />
      )}
      <datalist id={OWNER_OPTIONS_ID}>
        {owners.map((owner) => (
          <option key={owner} value={owner} />
        ))}
      </datalist>
    </section>
  );
}

function KindTabs({ counts }: { counts: { response: number; followup: number } }) {
  const { t } = useTranslation();
  const kind = useTaskUi((s) => s.kind);
  const setKind = useTaskUi((s) => s.setKind);
  return (
    <div className="task-tabs" role="tablist" aria-label={t('taskBoard.tabsLabel')}>
      {(['response', 'followup'] as const).map((k) => (
        <button key={k} type="button" role="tab" aria-selected={kind === k} className={kind === k ? 'active' : ''} onClick={() => setKind(k)}>
          {t(`taskBoard.tab_${k}`)} <span className="count">{counts[k]}</span>
        </button>
      ))}
    </div>
  );
}

function ViewSwitch() {
  const { t } = useTranslation();
  const view = useTaskUi((s) => s.view);
  const setView = useTaskUi((s) => s.setView);
  return (
    <div className="view-switch" role="group" aria-label={t('taskBoard.viewLabel')}>
      {(['board', 'table'] as const).map((v) => (
        <button key={v} type="button" aria-pressed={view === v} className={view === v ? 'active' : ''} onClick={() => setView(v)}>
          {t(`taskBoard.view_${v}`)}
        </button>
      ))}
    </div>
  );
}

/** v: board ⇄ table, f: response tasks ⇄ follow-ups, g: go to the first check-back someone owes. */
function usePaneShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      const ui = useUi.getState();
      // Any open dialog owns the keyboard.
      if (ui.helpOpen || ui.declareOpen || document.querySelector('[aria-modal="true"]')) return;
      const tasks = useTaskUi.getState();
      if (event.key === 'v') tasks.toggleView();
      else if (event.key === 'f') tasks.toggleKind();
      else if (event.key === 'g') {
        if (!focusFirstOwed()) return;
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/** Switching between board and table keeps the keyboard on the same task. */
function useFocusAcrossViews(view: string): void {
  const lastTask = useRef<string | null>(null);
  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const el = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.tasks-pane [data-task-id]') : null;
      if (el) lastTask.current = el.dataset['taskId'] ?? null;
    };
    document.addEventListener('focusin', onFocus);
    return () => document.removeEventListener('focusin', onFocus);
  }, []);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // Only when the focus was lost with the view that went away.
    if (document.activeElement && document.activeElement !== document.body) return;
    const id = lastTask.current;
    const target = id ? document.querySelector<HTMLElement>(`.tasks-pane [data-task-id="${CSS.escape(id)}"]`) : null;
    (target ?? document.querySelector<HTMLElement>('.tasks-pane [data-task-id]'))?.focus();
  }, [view]);
}
