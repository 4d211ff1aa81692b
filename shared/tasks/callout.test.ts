import { describe, expect, it } from 'vitest';
import { calloutMoments, calloutReport, isEmpty, type CalloutTask } from './callout.js';
import { DEFAULT_CADENCES } from '../comms/cadence.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4, 10, 0);

function task(over: Partial<CalloutTask>): CalloutTask {
  return {
    id: over.id ?? 'task',
    title: 'Check the ledger',
    owner: 'Bo',
    status: 'todo',
    createdAt: T0,
    kind: 'response',
    statusAt: T0,
    checkBackAt: null,
    ...over,
  };
}

const audiences = [
  { name: 'customers', active: true, ...DEFAULT_CADENCES.customers },
  { name: 'executives', active: false, ...DEFAULT_CADENCES.executives },
];
const incident = (tasks: CalloutTask[]) => ({ tasks, priority: 'P1' as const, declaredAt: T0, status: 'investigating' as const, statusChanges: [], comms: [] });

describe('deputy call-out', () => {
  it('falls every interval after declaration; off means never', () => {
    expect(calloutMoments(T0, 10 * MIN, T0 + 9 * MIN)).toEqual({ last: null, next: T0 + 10 * MIN });
    expect(calloutMoments(T0, 10 * MIN, T0 + 10 * MIN)).toEqual({ last: T0 + 10 * MIN, next: T0 + 20 * MIN });
    expect(calloutMoments(T0, 10 * MIN, T0 + 25 * MIN)).toEqual({ last: T0 + 20 * MIN, next: T0 + 30 * MIN });
    expect(calloutMoments(T0, null, T0 + 25 * MIN)).toEqual({ last: null, next: null });
  });

  it('lists tasks in doing or blocked that have not moved for longer than the threshold, longest first', () => {
    const tasks = [
      task({ id: 'a', status: 'doing', statusAt: T0 + 10 * MIN }),
      task({ id: 'b', status: 'blocked', statusAt: T0 }),
      task({ id: 'c', status: 'doing', statusAt: T0 + 20 * MIN }),
      task({ id: 'd', status: 'todo', statusAt: T0 }),
      task({ id: 'e', status: 'doing', statusAt: T0, kind: 'followup' }),
    ];
    const report = calloutReport(incident(tasks), audiences, 15 * MIN, T0 + 30 * MIN);
    expect(report.stalled.map((s) => [s.task.id, s.sinceMs])).toEqual([
      ['b', 30 * MIN],
      ['a', 20 * MIN],
    ]);
  });

  it('lists check-backs that ran out on unfinished tasks', () => {
    const tasks = [
      task({ id: 'due', checkBackAt: T0 + 3 * MIN }),
      task({ id: 'later', checkBackAt: T0 + 60 * MIN }),
      task({ id: 'done', status: 'done', checkBackAt: T0 }),
    ];
    expect(calloutReport(incident(tasks), audiences, 15 * MIN, T0 + 5 * MIN).checkBacks.map((c) => [c.task.id, c.overdueMs])).toEqual([['due', 2 * MIN]]);
  });

  it('lists overdue updates of active audiences only', () => {
    const report = calloutReport(incident([]), audiences, 15 * MIN, T0 + 70 * MIN);
    expect(report.updates).toEqual([{ audience: 'customers', overdueMs: 65 * MIN }]);
    expect(isEmpty(calloutReport(incident([]), audiences, 15 * MIN, T0 + MIN))).toBe(true);
  });
});
