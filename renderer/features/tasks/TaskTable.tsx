import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type Row,
  type SortingState,
  type VisibilityState,
} from '@tanstack/react-table';
import { format } from 'date-fns';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_STATUSES, type TaskKind } from '../../../shared/record/events.js';
import type { TaskView } from '../../../shared/record/fold.js';
import { isOverdue, ownersOf } from '../../../shared/tasks/tasks.js';
import { downloadCsv, toCsv } from './csv.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale } from '../../ui/hooks.js';
import { TABLE_COLUMNS, useTaskUi, type TableColumn } from './store.js';
import { TaskTimes } from './TaskBoardCard.js';

const ALL = '';
const UNASSIGNED = '\u0000unassigned';
const CSV_TIME = 'yyyy-MM-dd HH:mm';

const csvTime = (at: number | null) => (at === null ? '' : format(at, CSV_TIME));

/**
 * The same tasks as the board, as a table: sort by any column (click or Enter on its header),
 * filter by text, status and owner, choose the columns, and export what is shown as CSV.
 */
export function TaskTable({ tasks, now, kind }: { tasks: TaskView[]; now: number; kind: TaskKind }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const hidden = useTaskUi((s) => s.hidden);
  const selected = useTaskUi((s) => s.selected);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [globalFilter, setGlobalFilter] = useState('');
  const owners = useMemo(() => ownersOf(tasks), [tasks]);
  const columnVisibility: VisibilityState = useMemo(() => Object.fromEntries(hidden.map((c) => [c, false])), [hidden]);

  const columns = useMemo<ColumnDef<TaskView>[]>(
    () => [
      {
        id: 'select',
        enableSorting: false,
        enableHiding: false,
        header: () => <span className="visually-hidden">{t('taskBoard.selectColumn')}</span>,
        cell: ({ row }) => (
          <input
            type="checkbox"
            tabIndex={-1}
            checked={useTaskUi.getState().selected.includes(row.id)}
            aria-label={t('taskBoard.selectLabel', { title: row.original.title })}
            onChange={() => useTaskUi.getState().toggleSelected(row.id)}
          />
        ),
      },
      { id: 'title', accessorFn: (task) => task.title, sortingFn: 'text', enableHiding: false, header: t('taskBoard.col_title') },
      {
        id: 'owner',
        accessorFn: (task) => task.owner,
        sortingFn: 'text',
        header: t('taskBoard.col_owner'),
        filterFn: (row, _id, value: string) => (value === UNASSIGNED ? row.original.owner === '' : row.original.owner === value),
        cell: ({ row }) => row.original.owner || <span className="muted">{t('tasks.noOwner')}</span>,
      },
      {
        id: 'status',
        // Sorted in board order (to do → done), not alphabetically.
        accessorFn: (task) => TASK_STATUSES.indexOf(task.status),
        header: t('taskBoard.col_status'),
        filterFn: (row, _id, value: string) => row.original.status === value,
        cell: ({ row }) => t(`taskStatus.${row.original.status}`),
      },
      {
        id: 'checkBack',
        accessorFn: (task) => task.checkBackAt ?? undefined,
        sortUndefined: 'last',
        header: t('taskBoard.col_checkBack'),
        cell: ({ row }) => <TaskTimes task={{ ...row.original, dueAt: null }} now={now} />,
      },
      {
        id: 'due',
        accessorFn: (task) => task.dueAt ?? undefined,
        sortUndefined: 'last',
        header: t('taskBoard.col_due'),
        cell: ({ row }) => <TaskTimes task={{ ...row.original, checkBackAt: null }} now={now} />,
      },
      {
        id: 'created',
        accessorFn: (task) => task.createdAt ?? undefined,
        sortUndefined: 'last',
        header: t('taskBoard.col_created'),
        cell: ({ row }) => (row.original.createdAt === null ? '' : shortTime(row.original.createdAt, now, locale)),
      },
    ],
    [t, now, locale],
  );

  const table = useReactTable({
    data: tasks,
    columns,
    state: { sorting, columnFilters, globalFilter, columnVisibility },
    getRowId: (task) => task.id,
    // The first click sorts A→Z, earliest first and To do first, whatever the column holds.
    sortDescFirst: false,
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onGlobalFilterChange: setGlobalFilter,
    onColumnVisibilityChange: (update) => {
      const next = typeof update === 'function' ? update(columnVisibility) : update;
      useTaskUi.getState().setHidden(TABLE_COLUMNS.filter((c) => next[c] === false));
    },
    globalFilterFn: (row, _id, value: string) => matchesText(row.original, value),
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  const filterValue = (id: string) => (columnFilters.find((f) => f.id === id)?.value as string | undefined) ?? ALL;
  const setFilter = (id: string, value: string) => table.getColumn(id)?.setFilterValue(value === ALL ? undefined : value);
  const rows = table.getRowModel().rows;

  const exportCsv = () => {
    const shown = table.getVisibleLeafColumns().filter((c) => c.id !== 'select');
    const cell = (task: TaskView, id: string): string => {
      switch (id as TableColumn) {
        case 'title':
          return task.title;
        case 'owner':
          return task.owner;
        case 'status':
          return t(`taskStatus.${task.status}`);
        case 'checkBack':
          return csvTime(task.checkBackAt);
        case 'due':
          return csvTime(task.dueAt);
        case 'created':
          return csvTime(task.createdAt);
      }
    };
    const csv = toCsv(
      shown.map((c) => t(`taskBoard.col_${c.id as TableColumn}`)),
      rows.map((row) => shown.map((c) => cell(row.original, c.id))),
    );
    downloadCsv(`warroom-${kind === 'followup' ? 'follow-ups' : 'tasks'}-${format(Date.now(), 'yyyyMMdd-HHmm')}.csv`, csv);
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: Row<TaskView>) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return;
    const ui = useTaskUi.getState();
    if (event.key === 'x' || event.key === ' ') ui.toggleSelected(row.id);
    else if (event.key === 'a') {
      if (!ui.selected.includes(row.id)) ui.toggleSelected(row.id);
      ui.requestBulkFocus();
    } else if (event.key === 'Escape' && ui.selected.length > 0) ui.clearSelection();
    else if (event.key === 'ArrowDown') (event.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
    else if (event.key === 'ArrowUp') (event.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
    else return;
    event.preventDefault();
  };

  return (
    <div className="task-table-wrap">
      <div className="table-tools">
        <label className="visually-hidden" htmlFor="task-filter">
          {t('taskBoard.filterLabel')}
        </label>
        <input
          id="task-filter"
          type="search"
          autoComplete="off"
          placeholder={t('taskBoard.filterPlaceholder')}
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.target.value)}
        />
        <select aria-label={t('taskBoard.statusFilter')} value={filterValue('status')} onChange={(e) => setFilter('status', e.target.value)}>
          <option value={ALL}>{t('taskBoard.allStatuses')}</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`taskStatus.${s}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('taskBoard.ownerFilter')} value={filterValue('owner')} onChange={(e) => setFilter('owner', e.target.value)}>
          <option value={ALL}>{t('taskBoard.allOwners')}</option>
          <option value={UNASSIGNED}>{t('tasks.noOwner')}</option>
          {owners.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <details className="column-menu">
          <summary>{t('taskBoard.columns')}</summary>
          <fieldset>
            <legend className="visually-hidden">{t('taskBoard.columns')}</legend>
            {table
              .getAllLeafColumns()
              .filter((c) => c.getCanHide())
              .map((c) => (
                <label key={c.id}>
                  <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                  {t(`taskBoard.col_${c.id as TableColumn}`)}
                </label>
              ))}
          </fieldset>
        </details>
        <span className="muted table-count">{t('taskBoard.shownOf', { shown: String(rows.length), total: String(tasks.length) })}</span>
        <button type="button" onClick={exportCsv}>
          {t('taskBoard.exportCsv')}
        </button>
      </div>
      <div className="task-table-scroll pane-scroll">
        <table className="task-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      className={`col-${header.column.id}`}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td className="empty" colSpan={table.getVisibleLeafColumns().length}>
                  {tasks.length === 0 ? t('tasks.empty') : t('taskBoard.noMatch')}
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr
                key={row.id}
                tabIndex={0}
                data-task-id={row.id}
                className={`${isOverdue(row.original, now) ? 'overdue' : ''}${selected.includes(row.id) ? ' selected' : ''}`}
                onKeyDown={(e) => onRowKeyDown(e, row)}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function matchesText(task: TaskView, filter: string): boolean {
  const needle = filter.trim().toLocaleLowerCase();
  return !needle || task.title.toLocaleLowerCase().includes(needle) || task.owner.toLocaleLowerCase().includes(needle);
}
