import { describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { foldIncident, viewIncident, type IncidentView } from '../record/fold.js';
import { encodeHlc } from '../record/hlc.js';
import { computeMetrics, type IncidentMetrics } from './metrics.js';
import { sampleDrillEvents } from '../drills/sample-drill.js';
import { DEFAULT_SLA_POLICY } from '../clocks/sla.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabc);
const T0 = Date.UTC(2025, 4, 6, 10, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * A small recorder: events are stamped in the order they are recorded (HLC), while their
 * occurred-at time is whatever the test says — which is how a backdated entry looks.
 */
function recorder() {
  const events: EventEnvelope[] = [];
  let n = 0;
  const record = <K extends EventKind>(kind: K, payload: PayloadOf<K>): string => {
    n++;
    const event = parseEvent({
      id: uuid(0x1000 + n),
      incidentId: INCIDENT,
      kind,
      payload,
      actor: 'Ada',
      deviceId: 'dev-a',
      hlc: encodeHlc({ wall: T0 + n, counter: 0, node: 'dev-a' }),
      recordedAt: T0 + n,
    });
    events.push(event);
    return event.id;
  };
  return {
    events,
    declare: (over: Partial<PayloadOf<'incident.declared'>> = {}) =>
      record('incident.declared', {
        title: 'Checkout down',
        description: '',
        occurredAt: T0 - 10 * MIN,
        detectedAt: T0 - 4 * MIN,
        declaredAt: T0,
        services: [],
        reporter: '',
        detectionSource: 'monitoring',
        category: 'software',
        impact: 'high',
        urgency: 'high',
        commander: 'Ada',
        drill: false,
        ...over,
      }),
    status: (status: PayloadOf<'incident.status'>['status'], at: number) => record('incident.status', { status, occurredAt: at }),
    priority: (impact: PayloadOf<'incident.priority'>['impact'], urgency: PayloadOf<'incident.priority'>['urgency'], at: number) =>
      record('incident.priority', { impact, urgency, occurredAt: at }),
    pause: (at: number) => record('sla.paused', { reason: 'waiting on the supplier', occurredAt: at }),
    resume: (at: number) => record('sla.resumed', { occurredAt: at }),
    /** Draft, approve and send an update; returns the id of the send. */
    send: (draftId: string, audience: string, at: number) => {
      record('comms.drafted', { draftId, audience, channel: 'email', body: 'update', occurredAt: at });
      record('comms.approved', { draftId, occurredAt: at });
      return record('comms.sent', { draftId, channel: 'email', body: 'update', occurredAt: at });
    },
    draft: (draftId: string, audience: string, at: number) => record('comms.drafted', { draftId, audience, channel: 'email', body: 'update', occurredAt: at }),
  };
}

function metricsOf(events: EventEnvelope[], now = T0 + 10 * HOUR): { metrics: IncidentMetrics; view: IncidentView } {
  const view = viewIncident(foldIncident(INCIDENT, events));
  if (!view) throw new Error('not declared');
  return { metrics: computeMetrics(view, events, { policy: DEFAULT_SLA_POLICY, now }), view };
}

describe('review metrics', () => {
  it('measures every phase of a clean incident and links each figure to its entries', () => {
    const r = recorder();
    const declared = r.declare();
    const investigating = r.status('investigating', T0 + 5 * MIN);
    const mitigated = r.status('mitigated', T0 + 40 * MIN);
    const resolved = r.status('resolved', T0 + 2 * HOUR);
    const closed = r.status('closed', T0 + 3 * HOUR);
    const { metrics } = metricsOf(r.events);

    expect(metrics.timeToDetect).toEqual({ from: 'occurred', to: 'detected', ms: 6 * MIN, eventIds: [declared], problems: [] });
    expect(metrics.timeToRespond).toEqual({ from: 'declared', to: 'responded', ms: 5 * MIN, eventIds: [declared, investigating], problems: [] });
    expect(metrics.timeToMitigate).toEqual({ from: 'detected', to: 'mitigated', ms: 44 * MIN, eventIds: [declared, mitigated], problems: [] });
    expect(metrics.timeToResolve).toEqual({ from: 'detected', to: 'resolved', ms: 2 * HOUR + 4 * MIN, eventIds: [declared, resolved], problems: [] });
    expect(metrics.milestones.closed).toEqual({ milestone: 'closed', at: T0 + 3 * HOUR, eventId: closed });
    expect(metrics.end).toBe(T0 + 2 * HOUR);

    // P1: respond within 15 min, resolve within 4 h.
    expect(metrics.sla.response).toMatchObject({ priority: 'P1', targetMs: 15 * MIN, elapsedMs: 5 * MIN, outcome: 'met', marginMs: 10 * MIN, problems: [] });
    expect(metrics.sla.response.eventIds).toEqual([declared, investigating]);
    expect(metrics.sla.resolution).toMatchObject({ outcome: 'met', elapsedMs: 2 * HOUR, marginMs: 2 * HOUR, deadline: T0 + 4 * HOUR });
    expect(metrics.priority.totals).toEqual([{ priority: 'P1', ms: 2 * HOUR, eventIds: [declared] }]);
    expect(metrics.priority.problems).toEqual([]);
  });

  it('reports a breach and by how much', () => {
    const r = recorder();
    r.declare();
    r.status('investigating', T0 + 20 * MIN);
    r.status('resolved', T0 + 5 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.sla.response).toMatchObject({ outcome: 'breached', elapsedMs: 20 * MIN, marginMs: -5 * MIN });
    expect(metrics.sla.resolution).toMatchObject({ outcome: 'breached', marginMs: -HOUR });
  });

  it('says a milestone is missing instead of guessing it (no mitigation recorded)', () => {
    const r = recorder();
    r.declare();
    r.status('investigating', T0 + 5 * MIN);
    r.status('resolved', T0 + HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.timeToMitigate.ms).toBeNull();
    expect(metrics.timeToMitigate.problems).toEqual([{ code: 'missing', milestone: 'mitigated' }]);
    expect(metrics.milestones.mitigated).toEqual({ milestone: 'mitigated', at: null, eventId: null });
    expect(metrics.timeToResolve.ms).toBe(HOUR + 4 * MIN);
  });

  it('counts an open incident up to now and says it is still open', () => {
    const r = recorder();
    r.declare();
    r.send(uuid(1), 'customers', T0 + 10 * MIN);
    const now = T0 + 50 * MIN;
    const { metrics } = metricsOf(r.events, now);
    expect(metrics.timeToRespond).toMatchObject({ ms: null, problems: [{ code: 'missing', milestone: 'responded' }] });
    expect(metrics.timeToResolve.problems).toEqual([{ code: 'missing', milestone: 'resolved' }]);
    expect(metrics.end).toBe(now);
    // Nobody responded within 15 minutes: breached by the time that has passed since.
    expect(metrics.sla.response).toMatchObject({ outcome: 'breached', marginMs: -35 * MIN });
    expect(metrics.sla.resolution).toMatchObject({ outcome: 'open', marginMs: 4 * HOUR - 50 * MIN });
    expect(metrics.sla.resolution.problems).toEqual([{ code: 'missing', milestone: 'resolved' }]);
    expect(metrics.priority.problems).toEqual([{ code: 'still_open' }]);
    expect(metrics.updates[0]!.problems).toEqual([{ code: 'still_open' }]);
    // Customers expect a first word within 5 minutes, then one every 20 (shared/comms/cadence.ts): both late.
    expect(metrics.updates[0]!.cadence).toMatchObject({ due: 2, kept: 0 });
  });

  it('flags out-of-order timestamps and gives no figure for them', () => {
    const r = recorder();
    r.declare();
    // Backdated by hand to before the incident was even declared or detected.
    r.status('mitigated', T0 - 30 * MIN);
    r.status('resolved', T0 + HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.timeToMitigate).toMatchObject({ ms: null, problems: [{ code: 'out_of_order', milestone: 'mitigated', after: 'detected' }] });
    // The first response is the mitigation; the SLA clock would read zero and call it met.
    expect(metrics.timeToRespond.problems).toEqual([{ code: 'out_of_order', milestone: 'responded', after: 'declared' }]);
    expect(metrics.sla.response).toMatchObject({ outcome: 'unknown', elapsedMs: null, marginMs: null });
    expect(metrics.sla.response.problems).toContainEqual({ code: 'out_of_order', milestone: 'responded', after: 'declared' });
  });

  it('flags detection stamped before occurrence', () => {
    const r = recorder();
    r.declare({ occurredAt: T0 - MIN, detectedAt: T0 - 5 * MIN });
    const { metrics } = metricsOf(r.events);
    expect(metrics.timeToDetect).toMatchObject({ ms: null, problems: [{ code: 'out_of_order', milestone: 'detected', after: 'occurred' }] });
  });

  it('measures a reopened incident to its last resolution and says it was reopened', () => {
    const r = recorder();
    r.declare();
    r.status('investigating', T0 + 5 * MIN);
    r.status('resolved', T0 + HOUR);
    r.status('investigating', T0 + 2 * HOUR);
    const last = r.status('resolved', T0 + 3 * HOUR);
    r.status('closed', T0 + 4 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.milestones.resolved).toEqual({ milestone: 'resolved', at: T0 + 3 * HOUR, eventId: last });
    expect(metrics.timeToResolve.ms).toBe(3 * HOUR + 4 * MIN);
    expect(metrics.timeToResolve.problems).toEqual([{ code: 'reopened', times: 1 }]);
    // The spell it stood resolved does not count against the resolution target.
    expect(metrics.sla.resolution.elapsedMs).toBe(2 * HOUR);
  });

  it('does not count pauses against the SLA, and lists them with their entries', () => {
    const r = recorder();
    r.declare();
    r.status('investigating', T0 + 5 * MIN);
    const paused = r.pause(T0 + HOUR);
    const resumed = r.resume(T0 + 3 * HOUR);
    r.status('resolved', T0 + 5 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.sla.resolution).toMatchObject({ outcome: 'met', elapsedMs: 3 * HOUR, marginMs: HOUR, deadline: T0 + 6 * HOUR });
    expect(metrics.sla.resolution.eventIds).toEqual(expect.arrayContaining([paused, resumed]));
    expect(metrics.pauses).toEqual([{ from: T0 + HOUR, to: T0 + 3 * HOUR, reason: 'waiting on the supplier', eventIds: [paused, resumed] }]);
    expect(metrics.pausedMs).toBe(2 * HOUR);
    // Time to resolve is wall time: the customers waited through the pause too.
    expect(metrics.timeToResolve.ms).toBe(5 * HOUR + 4 * MIN);
  });

  it('keeps a pause that was never resumed open', () => {
    const r = recorder();
    r.declare();
    r.pause(T0 + HOUR);
    r.resume(T0 + 30 * MIN); // a resume stamped before the pause: ignored by the clocks, shown as is
    const { metrics } = metricsOf(r.events, T0 + 2 * HOUR);
    expect(metrics.pauses).toHaveLength(1);
    expect(metrics.pauses[0]!.from).toBe(T0 + HOUR);
  });

  it('splits time by priority and applies the current priority to the SLA, saying so', () => {
    const r = recorder();
    const declared = r.declare({ impact: 'high', urgency: 'medium' }); // P2
    r.status('investigating', T0 + 20 * MIN);
    const raised = r.priority('high', 'high', T0 + HOUR); // P1
    r.status('resolved', T0 + 3 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.priority.totals).toEqual([
      { priority: 'P1', ms: 2 * HOUR, eventIds: [raised] },
      { priority: 'P2', ms: HOUR, eventIds: [declared] },
    ]);
    // P1 answers within 15 minutes; 20 minutes was fine for a P2 but is late against the raised priority.
    expect(metrics.sla.response).toMatchObject({ priority: 'P1', outcome: 'breached', marginMs: -5 * MIN });
    expect(metrics.sla.response.problems).toEqual([{ code: 'priority_changed', priority: 'P1' }]);
    expect(metrics.sla.response.eventIds).toContain(raised);
  });

  it('flags a backdated priority change and still spends time in time order', () => {
    const r = recorder();
    r.declare(); // P1 at T0
    const lowered = r.priority('medium', 'medium', T0 + 2 * HOUR); // P3
    const backdated = r.priority('high', 'medium', T0 + HOUR); // P2, recorded later but stamped earlier
    r.status('resolved', T0 + 3 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.priority.problems).toEqual([{ code: 'backdated', eventIds: [backdated] }]);
    expect(metrics.priority.spells.map((s) => [s.priority, s.to - s.from, s.eventId])).toEqual([
      ['P1', HOUR, expect.any(String)],
      ['P2', HOUR, backdated],
      ['P3', HOUR, lowered],
    ]);
  });

  it('counts updates per audience and how often the promised cadence was kept', () => {
    const r = recorder();
    r.declare(); // P1: customers first within 5 min then every 20; executives hourly; internal every 30
    const c1 = r.send(uuid(1), 'customers', T0 + 4 * MIN);
    const c2 = r.send(uuid(2), 'customers', T0 + 20 * MIN);
    const c3 = r.send(uuid(3), 'customers', T0 + 50 * MIN); // 30 min after the last: late
    const c4 = r.send(uuid(4), 'customers', T0 + 65 * MIN);
    const c5 = r.send(uuid(5), 'customers', T0 + 85 * MIN); // exactly 20 min: on time
    const e1 = r.send(uuid(6), 'executives', T0 + 30 * MIN);
    r.draft(uuid(7), 'internal', T0 + 5 * MIN); // written, never sent
    r.status('resolved', T0 + 100 * MIN);
    const after = r.send(uuid(8), 'customers', T0 + 105 * MIN); // the resolution notice: after the period
    const { metrics } = metricsOf(r.events);

    const byAudience = Object.fromEntries(metrics.updates.map((u) => [u.audience, u]));
    expect(metrics.updates.map((u) => u.audience)).toEqual(['customers', 'executives', 'internal']);
    expect(byAudience['customers']!.eventIds).toEqual([c1, c2, c3, c4, c5, after]);
    expect(byAudience['customers']!.cadence).toEqual({
      due: 5,
      kept: 4,
      misses: [{ from: T0 + 20 * MIN, to: T0 + 50 * MIN, gapMs: 30 * MIN, limitMs: 20 * MIN, eventId: c3 }],
    });
    // The first on time, then silence for 70 minutes until resolution.
    expect(byAudience['executives']!.eventIds).toEqual([e1]);
    expect(byAudience['executives']!.cadence).toEqual({
      due: 2,
      kept: 1,
      misses: [{ from: T0 + 30 * MIN, to: T0 + 100 * MIN, gapMs: 70 * MIN, limitMs: 60 * MIN, eventId: null }],
    });
    expect(byAudience['internal']!.sent).toEqual([]);
    expect(byAudience['internal']!.cadence.misses).toEqual([{ from: T0, to: T0 + 100 * MIN, gapMs: 100 * MIN, limitMs: 30 * MIN, eventId: null }]);
  });

  it('takes the cadence it is given (a team may promise its own rhythm)', () => {
    const r = recorder();
    r.declare();
    r.send(uuid(1), 'regulator', T0 + 50 * MIN);
    r.status('resolved', T0 + 60 * MIN);
    const view = viewIncident(foldIncident(INCIDENT, r.events))!;
    const hourly = { firstMs: HOUR, everyMs: HOUR, longEveryMs: HOUR, longAfterMs: 2 * HOUR };
    const metrics = computeMetrics(view, r.events, { policy: DEFAULT_SLA_POLICY, now: T0 + HOUR, cadence: () => hourly });
    expect(metrics.updates[0]!.cadence).toEqual({ due: 1, kept: 1, misses: [] });
  });

  it('follows the cadence of the priority in force, and has none below P2', () => {
    const r = recorder();
    r.declare({ impact: 'medium', urgency: 'medium' }); // P3: updates at status changes, no clock
    r.send(uuid(1), 'customers', T0 + 3 * HOUR);
    r.priority('high', 'medium', T0 + 4 * HOUR); // P2: every 60 minutes from here
    const onTime = r.send(uuid(2), 'customers', T0 + 4 * HOUR + 50 * MIN); // 110 min after the last one, 50 after P2 began
    const late = r.send(uuid(3), 'customers', T0 + 6 * HOUR);
    r.status('resolved', T0 + 6 * HOUR + 30 * MIN);
    const { metrics } = metricsOf(r.events);
    const customers = metrics.updates[0]!;
    expect(customers.eventIds).toHaveLength(3);
    // Nothing was due while at P3; from the raise to P2 the customers' long-incident clock (hourly) runs.
    expect(customers.cadence).toEqual({
      due: 2,
      kept: 1,
      misses: [{ from: T0 + 4 * HOUR + 50 * MIN, to: T0 + 6 * HOUR, gapMs: 70 * MIN, limitMs: 60 * MIN, eventId: late }],
    });
    expect(customers.eventIds[1]).toBe(onTime);
  });

  it('says when an update is stamped before the declaration', () => {
    const r = recorder();
    r.declare();
    const early = r.send(uuid(1), 'customers', T0 - 2 * MIN);
    r.status('resolved', T0 + 10 * MIN);
    const { metrics } = metricsOf(r.events);
    expect(metrics.updates[0]!.problems).toEqual([{ code: 'before_declared', eventIds: [early] }]);
  });

  it('gives no target for best-effort priorities', () => {
    const r = recorder();
    r.declare({ impact: 'low', urgency: 'low' }); // P5
    r.status('resolved', T0 + 10 * HOUR);
    const { metrics } = metricsOf(r.events);
    expect(metrics.sla.resolution).toMatchObject({ outcome: 'no_target', targetMs: null, marginMs: null });
    expect(metrics.sla.resolution.problems).toEqual([{ code: 'no_target', priority: 'P5' }]);
  });

  it('gives the same metrics whatever order the events arrive in', () => {
    const r = recorder();
    r.declare();
    r.status('investigating', T0 + 5 * MIN);
    r.send(uuid(1), 'customers', T0 + 10 * MIN);
    r.priority('high', 'medium', T0 + 20 * MIN);
    r.status('resolved', T0 + HOUR);
    const forward = metricsOf(r.events).metrics;
    const reversed = metricsOf([...r.events].reverse()).metrics;
    expect(reversed).toEqual(forward);
  });

  it('reads the sample drill once it is resolved', () => {
    let tick = 0;
    let id = 0;
    const now = T0;
    const events = sampleDrillEvents({
      incidentId: INCIDENT,
      newId: () => uuid(0x5000 + id++),
      deviceId: 'dev-a',
      actor: 'Ada',
      now,
      clock: (offset) => encodeHlc({ wall: now + offset, counter: tick++, node: 'dev-a' }),
    });
    const resolved = parseEvent({
      id: uuid(0x9999),
      incidentId: INCIDENT,
      kind: 'incident.status',
      payload: { status: 'resolved', occurredAt: now },
      actor: 'Ada',
      deviceId: 'dev-a',
      hlc: encodeHlc({ wall: now + 1, counter: 0, node: 'dev-a' }),
      recordedAt: now,
    });
    const { metrics } = metricsOf([...events, resolved], now + MIN);
    expect(metrics.timeToDetect.ms).toBe(2 * MIN);
    expect(metrics.timeToRespond.ms).toBe(3 * MIN);
    expect(metrics.timeToMitigate.ms).toBe(35 * MIN);
    expect(metrics.timeToResolve.ms).toBe(50 * MIN);
    expect(metrics.sla.response.outcome).toBe('met');
    // Customers heard first 14 minutes in (5 promised), then nothing for 34 minutes (20 promised);
    // executives were owed their first update only an hour in, and it was resolved before.
    expect(metrics.updates.map((u) => [u.audience, u.sent.length, u.cadence.due, u.cadence.kept])).toEqual([
      ['customers', 1, 2, 0],
      ['executives', 0, 0, 0],
    ]);
  });
});
