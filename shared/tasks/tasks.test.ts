import { describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { foldIncident, viewIncident, type TaskView } from '../record/fold.js';
import { encodeHlc } from '../record/hlc.js';
import {
  MINUTE_MS,
  SNOOZE_MS,
  checkBackLateBy,
  dueLateBy,
  isOverdue,
  nextCheckBack,
  overdueBy,
  ownersOf,
  owedToYou,
  parseWhen,
  snoozeCheckBack,
  tasksOfKind,
} from './tasks.js';

const NOW = new Date(2026, 2, 14, 10, 0, 0, 0).getTime();
const MIN = MINUTE_MS;

function task(over: Partial<TaskView>): TaskView {
  return {
    id: '00000000-0000-7000-8000-000000000001',
    title: 'Check the ledger',
    owner: 'Bo',
    status: 'todo',
    createdAt: NOW - 30 * MIN,
    createdBy: 'Ana',
    kind: 'response',
    statusAt: NOW - 30 * MIN,
    dueAt: null,
    checkBackAt: null,
    checkBackBy: null,
    ...over,
  };
}

describe('overdue and check-back maths', () => {
  it('a check-back runs out at its exact time, not a millisecond before', () => {
    const t = task({ checkBackAt: NOW });
    expect(checkBackLateBy(t, NOW - 1)).toBeNull();
    expect(checkBackLateBy(t, NOW)).toBe(0);
    expect(checkBackLateBy(t, NOW + 90_000)).toBe(90_000);
    expect(isOverdue(t, NOW - 1)).toBe(false);
    expect(isOverdue(t, NOW)).toBe(true);
  });

  it('a due time is overdue once passed; overdue takes the larger lateness of the two', () => {
    const t = task({ dueAt: NOW - 10 * MIN, checkBackAt: NOW - 2 * MIN });
    expect(dueLateBy(t, NOW)).toBe(10 * MIN);
    expect(checkBackLateBy(t, NOW)).toBe(2 * MIN);
    expect(overdueBy(t, NOW)).toBe(10 * MIN);
    expect(overdueBy(task({ dueAt: NOW + MIN }), NOW)).toBeNull();
    expect(overdueBy(task({}), NOW)).toBeNull();
  });

  it('a done task is never overdue and owes nothing', () => {
    const t = task({ status: 'done', dueAt: NOW - 10 * MIN, checkBackAt: NOW - 10 * MIN });
    expect(isOverdue(t, NOW)).toBe(false);
    expect(owedToYou([t], NOW)).toEqual([]);
    // Blocked and doing still owe their answer.
    expect(isOverdue({ ...t, status: 'blocked' }, NOW)).toBe(true);
  });

  it('lists who owes what, the longest-waiting first, and only expired check-backs', () => {
    const a = task({ id: '00000000-0000-7000-8000-00000000000a', title: 'A', owner: 'Bo', checkBackAt: NOW - MIN, checkBackBy: 'Ana' });
    const b = task({ id: '00000000-0000-7000-8000-00000000000b', title: 'B', owner: '', checkBackAt: NOW - 5 * MIN, checkBackBy: 'Ana' });
    const c = task({ id: '00000000-0000-7000-8000-00000000000c', title: 'C', checkBackAt: NOW + MIN });
    const d = task({ id: '00000000-0000-7000-8000-00000000000d', title: 'D', dueAt: NOW - MIN });
    expect(owedToYou([a, b, c, d], NOW)).toEqual([
      { taskId: b.id, title: 'B', owner: '', owedTo: 'Ana', checkBackAt: NOW - 5 * MIN, lateByMs: 5 * MIN },
      { taskId: a.id, title: 'A', owner: 'Bo', owedTo: 'Ana', checkBackAt: NOW - MIN, lateByMs: MIN },
    ]);
    expect(nextCheckBack([a, b, c, d], NOW)?.id).toBe(c.id);
    expect(nextCheckBack([a, b, d], NOW)).toBeNull();
  });

  it('snoozing an expired check-back gives five minutes from now; extending a running one adds five more', () => {
    expect(snoozeCheckBack(NOW - 10 * MIN, NOW)).toBe(NOW + SNOOZE_MS);
    expect(snoozeCheckBack(NOW + 3 * MIN, NOW)).toBe(NOW + 8 * MIN);
    expect(snoozeCheckBack(null, NOW)).toBe(NOW + 5 * MIN);
    expect(snoozeCheckBack(NOW, NOW, MIN)).toBe(NOW + MIN);
  });

  it('keeps response tasks and follow-ups apart, and lists owners once', () => {
    const tasks = [task({ kind: 'followup', owner: 'Zoé' }), task({ owner: 'bo' }), task({ owner: '' }), task({ owner: 'Zoé' })];
    expect(tasksOfKind(tasks, 'followup')).toHaveLength(1);
    expect(tasksOfKind(tasks, 'response')).toHaveLength(3);
    expect(ownersOf(tasks)).toEqual(['bo', 'Zoé']);
  });
});

describe('parseWhen: what a person types for "back to me in …"', () => {
  it('reads relative durations, minutes by default', () => {
    expect(parseWhen('5m', NOW)).toBe(NOW + 5 * MIN);
    expect(parseWhen('5', NOW)).toBe(NOW + 5 * MIN);
    expect(parseWhen(' 10 min ', NOW)).toBe(NOW + 10 * MIN);
    expect(parseWhen('in 3 min', NOW)).toBe(NOW + 3 * MIN);
    expect(parseWhen('dans 3 min', NOW)).toBe(NOW + 3 * MIN);
    expect(parseWhen('+15m', NOW)).toBe(NOW + 15 * MIN);
    expect(parseWhen('90s', NOW)).toBe(NOW + 90_000);
    expect(parseWhen('1h30m', NOW)).toBe(NOW + 90 * MIN);
    expect(parseWhen('1h 30', NOW)).toBe(NOW + 90 * MIN);
    expect(parseWhen('1m30', NOW)).toBe(NOW + 90_000);
    expect(parseWhen('1h 30m', NOW)).toBe(NOW + 90 * MIN);
    expect(parseWhen('2H', NOW)).toBe(NOW + 120 * MIN);
    expect(parseWhen('2d', NOW)).toBe(NOW + 2 * 24 * 60 * MIN);
    expect(parseWhen('2j', NOW)).toBe(NOW + 2 * 24 * 60 * MIN);
  });

  it('reads a clock time as its next occurrence, local time', () => {
    expect(parseWhen('14:32', NOW)).toBe(new Date(2026, 2, 14, 14, 32).getTime());
    // The French way of writing a time, not a duration.
    expect(parseWhen('14h32', NOW)).toBe(new Date(2026, 2, 14, 14, 32).getTime());
    // 09:30 has passed at 10:00: tomorrow morning is meant.
    expect(parseWhen('09:30', NOW)).toBe(new Date(2026, 2, 15, 9, 30).getTime());
    // The very minute it is now is already gone.
    expect(parseWhen('10:00', NOW)).toBe(new Date(2026, 2, 15, 10, 0).getTime());
  });

  it('reads a date as the end of that day, or with a time', () => {
    expect(parseWhen('2026-03-20', NOW)).toBe(new Date(2026, 2, 20, 23, 59).getTime());
    expect(parseWhen('2026-03-20 17:00', NOW)).toBe(new Date(2026, 2, 20, 17, 0).getTime());
    expect(parseWhen('2026-03-14', NOW)).toBe(new Date(2026, 2, 14, 23, 59).getTime());
  });

  it('refuses what is not a future moment', () => {
    for (const text of [
      '',
      '   ',
      'soon',
      '0',
      '0m',
      '-5m',
      '25:00',
      '12:60',
      '2026-02-31',
      '2026-03-13',
      '2025-01-01 10:00',
      '5x',
      'm',
      '1h30m20',
      '=1+1',
      '9999d',
      '2099-01-01',
    ]) {
      expect(parseWhen(text, NOW), text).toBeNull();
    }
  });
});

// ---- the fold of the task events, by example (the order property is in fold.test.ts) ----

const INCIDENT = '00000000-0000-7000-8000-0000000000ff';
const TASK = '00000000-0000-7000-8000-000000007a51';
let seq = 1;
function ev<K extends EventKind>(kind: K, payload: Omit<PayloadOf<K>, 'occurredAt'>, wall: number, node = 'dev-a', actor = 'Ana'): EventEnvelope {
  return parseEvent({
    id: `00000000-0000-7000-8000-${(seq++).toString(16).padStart(12, '0')}`,
    incidentId: INCIDENT,
    kind,
    payload: kind === 'incident.declared' ? payload : { ...payload, occurredAt: wall },
    actor,
    deviceId: node,
    hlc: encodeHlc({ wall, counter: 0, node }),
    recordedAt: wall,
  });
}

const declared = ev(
  'incident.declared',
  {
    title: 'Checkout down',
    description: '',
    occurredAt: NOW - 60 * MIN,
    detectedAt: NOW - 60 * MIN,
    declaredAt: NOW - 60 * MIN,
    services: [],
    reporter: '',
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'high',
    urgency: 'high',
    commander: 'Ana',
    drill: false,
  } as Omit<PayloadOf<'incident.declared'>, 'occurredAt'>,
  NOW - 60 * MIN,
);

const taskOf = (events: EventEnvelope[]) => viewIncident(foldIncident(INCIDENT, events))!.tasks[0]!;

describe('task events fold', () => {
  it('a check-back set at creation, extended, then cleared: the latest stamp wins in any order', () => {
    const created = ev('task.created', { taskId: TASK, title: 'Call the bank', owner: 'Bo', checkBackAt: NOW }, NOW - 3 * MIN);
    const extended = ev('task.check_back', { taskId: TASK, checkBackAt: NOW + 5 * MIN }, NOW + MIN, 'dev-a', 'Cy');
    const cleared = ev('task.check_back', { taskId: TASK, checkBackAt: null }, NOW + 2 * MIN, 'dev-b');
    expect(taskOf([declared, created])).toMatchObject({ checkBackAt: NOW, checkBackBy: 'Ana', kind: 'response' });
    expect(taskOf([extended, declared, created])).toMatchObject({ checkBackAt: NOW + 5 * MIN, checkBackBy: 'Cy' });
    for (const order of [
      [declared, created, extended, cleared],
      [cleared, extended, created, declared],
      [extended, cleared, declared, created],
    ]) {
      expect(taskOf(order)).toMatchObject({ title: 'Call the bank', checkBackAt: null, checkBackBy: null });
    }
  });

  it('a follow-up keeps its kind and due date; a rename and a later due date win', () => {
    const created = ev('task.created', { taskId: TASK, title: 'Patch', owner: 'Bo', kind: 'followup', dueAt: NOW + 60 * MIN }, NOW);
    const renamed = ev('task.retitled', { taskId: TASK, title: 'Patch the VPN appliances' }, NOW + MIN);
    const moved = ev('task.due', { taskId: TASK, dueAt: NOW + 120 * MIN }, NOW + 2 * MIN, 'dev-b');
    for (const order of [
      [declared, created, renamed, moved],
      [moved, renamed, created, declared],
    ]) {
      expect(taskOf(order)).toMatchObject({ kind: 'followup', title: 'Patch the VPN appliances', dueAt: NOW + 120 * MIN, statusAt: NOW });
    }
  });

  it('statusAt follows the winning move, not the last to arrive', () => {
    const created = ev('task.created', { taskId: TASK, title: 'Fail over', owner: '' }, NOW);
    const later = ev('task.moved', { taskId: TASK, status: 'blocked' }, NOW + 4 * MIN, 'dev-b');
    const earlier = ev('task.moved', { taskId: TASK, status: 'doing' }, NOW + 2 * MIN);
    expect(taskOf([declared, created, later, earlier])).toMatchObject({ status: 'blocked', statusAt: NOW + 4 * MIN });
  });

  it('refuses task events with a bad shape', () => {
    expect(() => ev('task.check_back', { taskId: TASK, checkBackAt: -1 } as never, NOW)).toThrow();
    expect(() => ev('task.created', { taskId: TASK, title: 'x', owner: '', kind: 'later' } as never, NOW)).toThrow();
    expect(() => ev('task.retitled', { taskId: TASK, title: '   ' }, NOW)).toThrow();
  });
});
