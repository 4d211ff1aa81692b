import { describe, expect, it } from 'vitest';
import { audienceClock, byUrgency, DEFAULT_CADENCES, nextDueAt, promisedNextAt, resolvedSince, type AudienceCadence } from './cadence.js';
import type { CommsDraftView } from '../record/fold.js';
import type { Status } from '../record/events.js';
import type { Priority } from '../incidents/priority.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 12, 9, 0);
const customers = DEFAULT_CADENCES.customers;

let n = 0;
function sent(audience: string, at: number): CommsDraftView {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    audience,
    channel: 'email',
    body: 'x',
    state: 'sent',
    createdAt: at - MIN,
    createdBy: 'Ada',
    approvedBy: 'Ada',
    approvedAt: at,
    sentBy: 'Ada',
    sentAt: at,
  };
}

type ClockView = Parameters<typeof audienceClock>[0];
function incident(over: { priority?: Priority; comms?: CommsDraftView[]; changes?: [Status, number][] } = {}): ClockView {
  const changes = over.changes ?? [];
  return {
    priority: over.priority ?? 'P1',
    declaredAt: T0,
    status: changes.length ? changes[changes.length - 1]![0] : 'declared',
    statusChanges: changes.map(([value, at], i) => ({ eventId: String(i), value, at, hlc: String(i).padStart(4, '0'), actor: 'Ada' })),
    comms: over.comms ?? [],
  };
}

describe('per-audience cadence', () => {
  it('customers: the first update is due five minutes after declaration, overdue one millisecond later', () => {
    expect(audienceClock(incident(), 'customers', customers, T0 + 5 * MIN)).toMatchObject({
      dueAt: T0 + 5 * MIN,
      overdue: false,
      remainingMs: 0,
      phase: 'first',
    });
    expect(audienceClock(incident(), 'customers', customers, T0 + 5 * MIN + 1)).toMatchObject({ overdue: true, remainingMs: -1 });
  });

  it('a sent update resets only its own audience: the next one is one regular interval later', () => {
    const view = incident({ comms: [sent('customers', T0 + 4 * MIN)] });
    expect(audienceClock(view, 'customers', customers, T0 + 10 * MIN)).toMatchObject({
      lastSentAt: T0 + 4 * MIN,
      dueAt: T0 + 24 * MIN,
      phase: 'regular',
      overdue: false,
    });
    expect(audienceClock(view, 'internal', DEFAULT_CADENCES.internal, T0 + 31 * MIN)).toMatchObject({ dueAt: T0 + 30 * MIN, overdue: true, phase: 'first' });
  });

  it('drafts and approved updates do not count as sent', () => {
    const draft = { ...sent('customers', T0 + 2 * MIN), state: 'approved' as const, sentAt: null, sentBy: null };
    expect(audienceClock(incident({ comms: [draft] }), 'customers', customers, T0).dueAt).toBe(T0 + 5 * MIN);
  });

  it('switches to the long-incident rhythm for updates sent two hours or more after declaration', () => {
    expect(nextDueAt(customers, T0, [T0 + 2 * HOUR - 1])).toEqual({ dueAt: T0 + 2 * HOUR - 1 + 20 * MIN, lastSentAt: T0 + 2 * HOUR - 1, phase: 'regular' });
    expect(nextDueAt(customers, T0, [T0 + 2 * HOUR])).toEqual({ dueAt: T0 + 3 * HOUR, lastSentAt: T0 + 2 * HOUR, phase: 'long' });
    expect(nextDueAt(DEFAULT_CADENCES.executives, T0, [T0 + 3 * HOUR]).dueAt).toBe(T0 + 5 * HOUR);
  });

  it('the latest send counts, whatever order the updates are listed in', () => {
    const view = incident({ comms: [sent('internal', T0 + 50 * MIN), sent('internal', T0 + 20 * MIN)] });
    expect(audienceClock(view, 'internal', DEFAULT_CADENCES.internal, T0).dueAt).toBe(T0 + 80 * MIN);
  });

  it('below P2 updates follow status changes: no countdown', () => {
    expect(audienceClock(incident({ priority: 'P3' }), 'customers', customers, T0 + HOUR)).toMatchObject({ dueAt: null, overdue: false, phase: 'at_change' });
    expect(promisedNextAt({ priority: 'P3', declaredAt: T0 }, customers, T0)).toBeNull();
  });

  it('a cadence without clocks never turns overdue', () => {
    const none: AudienceCadence = { firstMs: null, everyMs: null, longEveryMs: null, longAfterMs: HOUR };
    expect(audienceClock(incident(), 'regulators', none, T0 + 10 * HOUR)).toMatchObject({ dueAt: null, overdue: false, phase: 'at_change' });
    const firstOnly: AudienceCadence = { ...none, firstMs: 10 * MIN };
    expect(audienceClock(incident({ comms: [sent('regulators', T0 + 9 * MIN)] }), 'regulators', firstOnly, T0 + 10 * HOUR).dueAt).toBeNull();
  });

  it('resolved: one last update is owed, then the audience is done; closed: nothing is due', () => {
    const resolved = incident({
      changes: [
        ['investigating', T0 + 10 * MIN],
        ['resolved', T0 + HOUR],
      ],
      comms: [sent('customers', T0 + 50 * MIN)],
    });
    expect(audienceClock(resolved, 'customers', customers, T0 + 80 * MIN)).toMatchObject({ dueAt: T0 + 70 * MIN, overdue: true });
    const told = { ...resolved, comms: [...resolved.comms, sent('customers', T0 + HOUR + MIN)] };
    expect(audienceClock(told, 'customers', customers, T0 + 5 * HOUR)).toMatchObject({ phase: 'done', dueAt: null, overdue: false });
    const closed = incident({
      changes: [
        ['resolved', T0 + HOUR],
        ['closed', T0 + 2 * HOUR],
      ],
    });
    expect(audienceClock(closed, 'customers', customers, T0 + 5 * HOUR).phase).toBe('done');
  });

  it('a reopened incident owes updates again', () => {
    const reopened = incident({
      changes: [
        ['resolved', T0 + HOUR],
        ['investigating', T0 + 2 * HOUR],
      ],
      comms: [sent('customers', T0 + HOUR + MIN)],
    });
    expect(resolvedSince(reopened)).toBeNull();
    expect(audienceClock(reopened, 'customers', customers, T0 + 3 * HOUR)).toMatchObject({ dueAt: T0 + HOUR + 21 * MIN, overdue: true });
  });

  it('promises the interval that will apply after a send now', () => {
    const view = { priority: 'P1' as const, declaredAt: T0 };
    expect(promisedNextAt(view, customers, T0 + 10 * MIN)).toBe(T0 + 30 * MIN);
    expect(promisedNextAt(view, customers, T0 + 2 * HOUR)).toBe(T0 + 3 * HOUR);
  });

  it('orders countdowns by urgency, the ones without a clock last', () => {
    const base = { audience: 'x', lastSentAt: null, overdue: false, remainingMs: null, phase: 'regular' as const };
    const list = [
      { ...base, audience: 'none', dueAt: null },
      { ...base, audience: 'later', dueAt: T0 + 2 },
      { ...base, audience: 'soon', dueAt: T0 + 1 },
    ];
    expect([...list].sort(byUrgency).map((c) => c.audience)).toEqual(['soon', 'later', 'none']);
  });
});
