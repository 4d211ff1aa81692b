import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { foldIncident, viewIncident, type IncidentView } from '../record/fold.js';
import { encodeHlc } from '../record/hlc.js';
import type { Level } from '../incidents/priority.js';
import { DEFAULT_SLA_POLICY, SLA_WARNING_FRACTION, slaClocks, type SlaPolicy } from './sla.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0x51a);
const T0 = Date.UTC(2025, 5, 2, 13, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Builds an incident the way the app does: events folded into a view. Each step is recorded
 * one second of HLC after the previous one, so causal order is the order written here, while
 * `at` (occurredAt) is what the clocks measure.
 */
type Step = { [K in EventKind]: [kind: K, at: number, payload: Omit<PayloadOf<K>, 'occurredAt'>] }[EventKind];

function incident(severity: { impact: Level; urgency: Level }, ...steps: Step[]): IncidentView {
  const events: EventEnvelope[] = [];
  const add = (kind: string, payload: Record<string, unknown>) =>
    events.push(
      parseEvent({
        id: uuid(events.length + 1),
        incidentId: INCIDENT,
        kind,
        payload,
        actor: 'Ada',
        deviceId: 'dev-a',
        hlc: encodeHlc({ wall: T0 + events.length * 1000, counter: 0, node: 'dev-a' }),
        recordedAt: T0 + events.length * 1000,
      }),
    );
  add('incident.declared', {
    title: 'Payments failing',
    description: '',
    occurredAt: T0 - 10 * MIN,
    detectedAt: T0 - 5 * MIN,
    declaredAt: T0,
    services: ['payments'],
    reporter: '',
    detectionSource: 'monitoring',
    category: 'network',
    ...severity,
    commander: 'Ada',
    drill: false,
  });
  for (const [kind, at, payload] of steps) add(kind, { ...payload, occurredAt: at });
  return viewIncident(foldIncident(INCIDENT, events))!;
}

const P1 = { impact: 'high', urgency: 'high' } as const;
const P3 = { impact: 'high', urgency: 'low' } as const;
const P5 = { impact: 'low', urgency: 'low' } as const;
const clocksAt = (view: IncidentView, now: number, policy: SlaPolicy = DEFAULT_SLA_POLICY) => slaClocks(view, policy, now);

describe('SLA clocks: breach and warning edges', () => {
  const view = incident(P1);

  it('is not breached exactly at the target, and is 1 ms later', () => {
    const atTarget = clocksAt(view, T0 + 15 * MIN).response;
    expect(atTarget).toMatchObject({ targetMs: 15 * MIN, elapsedMs: 15 * MIN, remainingMs: 0, breached: false, phase: 'running' });
    expect(atTarget.deadline).toBe(T0 + 15 * MIN);
    const over = clocksAt(view, T0 + 15 * MIN + 1).response;
    expect(over).toMatchObject({ breached: true, remainingMs: -1, phase: 'breached', warning: false });
  });

  it('turns amber at 75% of the target and not before', () => {
    const amberAt = T0 + SLA_WARNING_FRACTION * 15 * MIN;
    expect(clocksAt(view, amberAt - 1).response.warning).toBe(false);
    expect(clocksAt(view, amberAt).response).toMatchObject({ warning: true, fraction: 0.75, breached: false });
    expect(clocksAt(view, T0 + 3 * HOUR).resolution).toMatchObject({ warning: true, fraction: 0.75 });
  });

  it('counts time since declaration and never before it', () => {
    expect(clocksAt(view, T0 + 7 * MIN).sinceDeclaredMs).toBe(7 * MIN);
    const early = clocksAt(view, T0 - MIN);
    expect(early.sinceDeclaredMs).toBe(0);
    expect(early.response.elapsedMs).toBe(0);
  });

  it('P5 is best effort: no target, no breach', () => {
    const clocks = clocksAt(incident(P5), T0 + 30 * 24 * HOUR);
    for (const clock of [clocks.response, clocks.resolution]) {
      expect(clock).toMatchObject({ phase: 'none', targetMs: null, remainingMs: null, deadline: null, breached: false, warning: false });
      expect(clock.elapsedMs).toBe(30 * 24 * HOUR);
    }
  });
});

describe('SLA clocks: pauses', () => {
  it('a 10 minute pause inside the window moves the deadline by 10 minutes', () => {
    const view = incident(P1, ['sla.paused', T0 + 2 * MIN, { reason: 'waiting on the supplier' }], ['sla.resumed', T0 + 12 * MIN, {}]);
    const clocks = clocksAt(view, T0 + 20 * MIN);
    expect(clocks.response).toMatchObject({ elapsedMs: 10 * MIN, deadline: T0 + 25 * MIN, breached: false, phase: 'running' });
    expect(clocks.resolution.deadline).toBe(T0 + 4 * HOUR + 10 * MIN);
    expect(clocks).toMatchObject({ pausedMs: 10 * MIN, paused: false, pauseReason: null });
    expect(clocksAt(view, T0 + 25 * MIN).response.breached).toBe(false);
    expect(clocksAt(view, T0 + 25 * MIN + 1).response.breached).toBe(true);
  });

  it('an open pause counts until now', () => {
    const view = incident(P1, ['sla.paused', T0 + 5 * MIN, { reason: 'customer unreachable' }]);
    const clocks = clocksAt(view, T0 + 30 * MIN);
    expect(clocks).toMatchObject({ paused: true, pauseReason: 'customer unreachable', pausedMs: 25 * MIN });
    expect(clocks.response).toMatchObject({ elapsedMs: 5 * MIN, phase: 'paused', breached: false, deadline: T0 + 40 * MIN });
  });

  it('ignores a resume without a pause, and a second pause while paused', () => {
    const view = incident(
      P1,
      ['sla.resumed', T0 + MIN, {}],
      ['sla.paused', T0 + 2 * MIN, { reason: 'first' }],
      ['sla.paused', T0 + 4 * MIN, { reason: 'second' }],
      ['sla.resumed', T0 + 6 * MIN, {}],
      ['sla.resumed', T0 + 8 * MIN, {}],
    );
    const clocks = clocksAt(view, T0 + 10 * MIN);
    expect(clocks.pausedMs).toBe(4 * MIN);
    expect(clocks.response.elapsedMs).toBe(6 * MIN);
    const stillPaused = clocksAt(
      incident(P1, ['sla.paused', T0 + 2 * MIN, { reason: 'first' }], ['sla.paused', T0 + 4 * MIN, { reason: 'second' }]),
      T0 + 5 * MIN,
    );
    expect(stillPaused.pauseReason).toBe('first');
  });

  it('a policy that is not pausable ignores pauses', () => {
    const strict: SlaPolicy = { ...DEFAULT_SLA_POLICY, P1: { ...DEFAULT_SLA_POLICY.P1, pausable: false } };
    const view = incident(P1, ['sla.paused', T0 + 2 * MIN, { reason: 'waiting on the supplier' }]);
    const clocks = clocksAt(view, T0 + 16 * MIN, strict);
    expect(clocks).toMatchObject({ paused: false, pauseReason: null, pausedMs: 0 });
    expect(clocks.response).toMatchObject({ elapsedMs: 16 * MIN, breached: true, deadline: T0 + 15 * MIN });
  });

  it('a pause backdated into an earlier pause does not count the shared minutes twice', () => {
    const view = incident(
      P1,
      ['sla.paused', T0 + 10 * MIN, { reason: 'supplier' }],
      ['sla.resumed', T0 + 20 * MIN, {}],
      // Logged later, stated to have started inside the first pause.
      ['sla.paused', T0 + 15 * MIN, { reason: 'customer' }],
      ['sla.resumed', T0 + 25 * MIN, {}],
    );
    const clocks = clocksAt(view, T0 + 30 * MIN);
    expect(clocks.pausedMs).toBe(15 * MIN);
    expect(clocks.response).toMatchObject({ elapsedMs: 15 * MIN, deadline: T0 + 30 * MIN, breached: false });
  });
});

describe('SLA clocks: priority changes', () => {
  it('raising P3 to P1 after 20 minutes without a response is a response breach', () => {
    const view = incident(P3, ['incident.priority', T0 + 20 * MIN, P1]);
    const clocks = clocksAt(view, T0 + 20 * MIN);
    expect(clocks.response).toMatchObject({ targetMs: 15 * MIN, breached: true, phase: 'breached', deadline: T0 + 15 * MIN });
    expect(clocks.resolution).toMatchObject({ targetMs: 4 * HOUR, breached: false });
  });

  it('lowering P1 to P3 relaxes the target', () => {
    const asP1 = clocksAt(incident(P1), T0 + 20 * MIN);
    expect(asP1.response.breached).toBe(true);
    const lowered = clocksAt(incident(P1, ['incident.priority', T0 + 18 * MIN, P3]), T0 + 20 * MIN);
    expect(lowered.response).toMatchObject({ targetMs: 4 * HOUR, breached: false, phase: 'running', remainingMs: 4 * HOUR - 20 * MIN });
  });
});

describe('SLA clocks: what stops them', () => {
  it('the response clock stops at the first move to investigating', () => {
    const view = incident(
      P1,
      ['incident.status', T0 + 10 * MIN, { status: 'investigating' }],
      ['incident.status', T0 + 12 * MIN, { status: 'mitigated' }],
      ['incident.status', T0 + 40 * MIN, { status: 'investigating' }],
    );
    expect(clocksAt(view, T0 + HOUR).response).toMatchObject({ phase: 'met', stoppedAt: T0 + 10 * MIN, elapsedMs: 10 * MIN, breached: false, warning: false });
  });

  it('a late first response stays breached after it stops', () => {
    const view = incident(P1, ['incident.status', T0 + 20 * MIN, { status: 'investigating' }]);
    expect(clocksAt(view, T0 + HOUR).response).toMatchObject({ phase: 'breached', stoppedAt: T0 + 20 * MIN, elapsedMs: 20 * MIN, warning: false });
  });

  it('the resolution clock stops at resolved and stays stopped when closed', () => {
    const view = incident(
      P1,
      ['incident.status', T0 + 5 * MIN, { status: 'investigating' }],
      ['incident.status', T0 + HOUR, { status: 'resolved' }],
      ['incident.status', T0 + 2 * HOUR, { status: 'closed' }],
    );
    const clocks = clocksAt(view, T0 + 10 * HOUR);
    expect(clocks.resolution).toMatchObject({ phase: 'met', stoppedAt: T0 + HOUR, elapsedMs: HOUR, breached: false });
  });

  it('a reopened incident runs its resolution clock again, from where it stopped', () => {
    const view = incident(
      P1,
      ['incident.status', T0 + 5 * MIN, { status: 'investigating' }],
      ['incident.status', T0 + HOUR, { status: 'resolved' }],
      ['incident.status', T0 + 2 * HOUR, { status: 'investigating' }],
    );
    const clocks = clocksAt(view, T0 + 3 * HOUR);
    // An hour before resolving plus an hour since reopening; the hour it stood resolved does not count.
    expect(clocks.resolution).toMatchObject({ phase: 'running', stoppedAt: null, elapsedMs: 2 * HOUR, deadline: T0 + 5 * HOUR });
    expect(clocks.response).toMatchObject({ phase: 'met', stoppedAt: T0 + 5 * MIN });
    const resolvedAgain = incident(
      P1,
      ['incident.status', T0 + 5 * MIN, { status: 'investigating' }],
      ['incident.status', T0 + HOUR, { status: 'resolved' }],
      ['incident.status', T0 + 2 * HOUR, { status: 'investigating' }],
      ['incident.status', T0 + 2 * HOUR + 30 * MIN, { status: 'resolved' }],
    );
    expect(clocksAt(resolvedAgain, T0 + 5 * HOUR).resolution).toMatchObject({ phase: 'met', stoppedAt: T0 + 2 * HOUR + 30 * MIN, elapsedMs: HOUR + 30 * MIN });
  });

  it('a pause open when the incident is resolved no longer shows as paused', () => {
    const view = incident(P1, ['sla.paused', T0 + 5 * MIN, { reason: 'supplier' }], ['incident.status', T0 + HOUR, { status: 'resolved' }]);
    const clocks = clocksAt(view, T0 + 2 * HOUR);
    expect(clocks).toMatchObject({ paused: false, pauseReason: null, pausedMs: 55 * MIN });
    expect(clocks.resolution).toMatchObject({ phase: 'met', elapsedMs: 5 * MIN });
  });
});

describe('SLA clocks: invariants (property)', () => {
  const status = fc.constantFrom('investigating', 'mitigated', 'resolved', 'closed', 'investigating') as fc.Arbitrary<
    'investigating' | 'mitigated' | 'resolved' | 'closed'
  >;
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.tuple(
      fc.constant('incident.status' as const),
      fc.integer({ min: 0, max: 2 * HOUR }),
      status.map((s) => ({ status: s })),
    ),
    fc.tuple(fc.constant('sla.paused' as const), fc.integer({ min: 0, max: 2 * HOUR }), fc.constant({ reason: 'supplier' })),
    fc.tuple(fc.constant('sla.resumed' as const), fc.integer({ min: 0, max: 2 * HOUR }), fc.constant({})),
  );

  // Everything recorded happened before now; the clocks are read from then on.
  it('elapsed time is never negative, never more than the time since declaration, and never decreases as now advances', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(P1, P3, P5),
        fc.array(step, { maxLength: 12 }),
        fc.integer({ min: 2 * HOUR, max: 6 * HOUR }),
        fc.integer({ min: 0, max: HOUR }),
        (severity, steps, offset, later) => {
          const view = incident(severity, ...steps.map(([k, at, p]) => [k, T0 + at, p] as Step));
          const now = clocksAt(view, T0 + offset);
          const next = clocksAt(view, T0 + offset + later);
          for (const key of ['response', 'resolution'] as const) {
            const c = now[key];
            expect(c.elapsedMs).toBeGreaterThanOrEqual(0);
            expect(c.elapsedMs).toBeLessThanOrEqual(now.sinceDeclaredMs);
            expect(next[key].elapsedMs).toBeGreaterThanOrEqual(c.elapsedMs);
            expect(c.breached).toBe(c.targetMs !== null && c.elapsedMs > c.targetMs);
            // A clock running within its target reaches it exactly at its deadline.
            if (c.remainingMs !== null && c.remainingMs >= 0 && c.stoppedAt === null && !now.paused) {
              expect(c.deadline).toBe(T0 + offset + c.remainingMs);
            }
          }
          expect(now.pausedMs).toBeLessThanOrEqual(now.sinceDeclaredMs);
        },
      ),
      { numRuns: 500 },
    );
  });
});
