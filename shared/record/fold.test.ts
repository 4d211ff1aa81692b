import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCES,
  COMMS_CHANNELS,
  NOTE_KINDS,
  ROLES,
  STATUSES,
  TASK_STATUSES,
  TASK_KINDS,
  parseEvent,
  type Briefing,
  type EventEnvelope,
  type EventKind,
  type PayloadOf,
} from './events.js';
import { applyEvent, compareTimeline, emptyIncident, foldIncident, viewIncident } from './fold.js';
import { HlcClock, encodeHlc } from './hlc.js';
import { LEVELS } from '../incidents/priority.js';
import { reviewAction } from '../review/review-arbitraries.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabcdef);
const OTHER_INCIDENT = uuid(0xfedcba);
const BASE = Date.UTC(2025, 2, 14, 9, 0, 0);
const MIN = 60_000;

const TASK_IDS = [uuid(0x7a51), uuid(0x7a52), uuid(0x7a53), uuid(0x7a54)];
const DRAFT_IDS = [uuid(0xd1), uuid(0xd2), uuid(0xd3)];
const HANDOFF_IDS = [uuid(0x4a1), uuid(0x4a2)];
const BRIEFINGS: Briefing[] = ['Ada', 'Bruno'].map((from) => ({
  generatedAt: BASE,
  from,
  status: 'investigating',
  priority: 'P1',
  impact: 'high',
  urgency: 'high',
  roles: [{ role: 'commander', person: from, speciality: '' }],
  hypotheses: [],
  hypothesesTotal: 0,
  openTasks: [],
  openTasksTotal: 0,
  audiences: [{ audience: 'customers', lastSentAt: null, nextDueAt: BASE + 5 * MIN }],
  sla: {
    response: { phase: 'running', targetMs: 15 * MIN, remainingMs: 15 * MIN, deadline: BASE + 15 * MIN },
    resolution: { phase: 'running', targetMs: null, remainingMs: null, deadline: null },
    pauseReason: null,
  },
  note: '',
}));
const PEOPLE = ['Ada', 'Bruno', 'Chloé', 'Dmitri'];
const WORDS = ['restart the primary', 'fail over to DC2', 'check the UPS logs', 'call the supplier'];

/** Payload of a declaration; the fold only needs it to be valid. */
function declaredPayload(over: Partial<PayloadOf<'incident.declared'>> = {}): PayloadOf<'incident.declared'> {
  return {
    title: 'Checkout is down',
    description: 'Customers cannot pay',
    occurredAt: BASE - 5 * MIN,
    detectedAt: BASE - 2 * MIN,
    declaredAt: BASE,
    services: ['checkout'],
    reporter: 'monitoring',
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'high',
    urgency: 'high',
    commander: 'Ada',
    drill: false,
    ...over,
  };
}

let nextId = 1;
/** One event with an explicit HLC (wall ms, counter, node), for the example tests. */
function ev<K extends EventKind>(
  kind: K,
  payload: Omit<PayloadOf<K>, 'occurredAt'> & { occurredAt?: number },
  stamp: { wall: number; counter?: number; node?: string; actor?: string; incidentId?: string },
): EventEnvelope {
  const occurredAt = payload.occurredAt ?? stamp.wall;
  return parseEvent({
    id: uuid(nextId++),
    incidentId: stamp.incidentId ?? INCIDENT,
    kind,
    payload: kind === 'incident.declared' ? payload : { ...payload, occurredAt },
    actor: stamp.actor ?? 'Ada',
    deviceId: stamp.node ?? 'dev-a',
    hlc: encodeHlc({ wall: stamp.wall, counter: stamp.counter ?? 0, node: stamp.node ?? 'dev-a' }),
    recordedAt: stamp.wall,
  });
}

const view = (events: EventEnvelope[]) => viewIncident(foldIncident(INCIDENT, events));
/** What a plain response task shows for the fields it was created without. */
const NO_TASK_TIMES = { kind: 'response', statusAt: null, dueAt: null, checkBackAt: null, checkBackBy: null } as const;

// ---------------------------------------------------------------------------------------------
// Random but valid event sets: a script of steps run on 1–3 devices, each with its own HLC clock
// (skewed wall clock), syncing with the others now and then so that some events are concurrent.

type Action = { kind: string; payload: Record<string, unknown> };

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const TASK_TIME = fc.integer({ min: BASE, max: BASE + 120 * MIN });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('incident.status'), payload: fc.record({ status: pick(STATUSES) }) }),
  fc.record({ kind: fc.constant('incident.priority'), payload: fc.record({ impact: pick(LEVELS), urgency: pick(LEVELS) }) }),
  fc.record({ kind: fc.constant('incident.role'), payload: fc.record({ role: pick(ROLES), person: pick(PEOPLE) }) }),
  fc.record({
    kind: fc.constant('task.created'),
    payload: fc.record(
      { taskId: pick(TASK_IDS), title: pick(WORDS), owner: pick(['', ...PEOPLE]), kind: pick(TASK_KINDS), dueAt: TASK_TIME, checkBackAt: TASK_TIME },
      { requiredKeys: ['taskId', 'title', 'owner'] },
    ),
  }),
  fc.record({ kind: fc.constant('task.assigned'), payload: fc.record({ taskId: pick(TASK_IDS), owner: pick(['', ...PEOPLE]) }) }),
  fc.record({ kind: fc.constant('task.moved'), payload: fc.record({ taskId: pick(TASK_IDS), status: pick(TASK_STATUSES) }) }),
  fc.record({ kind: fc.constant('task.retitled'), payload: fc.record({ taskId: pick(TASK_IDS), title: pick(WORDS) }) }),
  fc.record({ kind: fc.constant('task.due'), payload: fc.record({ taskId: pick(TASK_IDS), dueAt: fc.option(TASK_TIME) }) }),
  fc.record({ kind: fc.constant('task.check_back'), payload: fc.record({ taskId: pick(TASK_IDS), checkBackAt: fc.option(TASK_TIME) }) }),
  fc.record({
    kind: fc.constant('comms.drafted'),
    payload: fc.record({ draftId: pick(DRAFT_IDS), audience: pick(AUDIENCES), channel: pick(COMMS_CHANNELS), body: pick(WORDS) }),
  }),
  fc.record({ kind: fc.constant('comms.edited'), payload: fc.record({ draftId: pick(DRAFT_IDS), body: pick(WORDS) }) }),
  fc.record({ kind: fc.constant('comms.approved'), payload: fc.record({ draftId: pick(DRAFT_IDS) }) }),
  fc.record({
    kind: fc.constant('comms.sent'),
    payload: fc.record({ draftId: pick(DRAFT_IDS), channel: pick(COMMS_CHANNELS), body: pick(WORDS) }),
  }),
  fc.record({ kind: fc.constant('sla.paused'), payload: fc.record({ reason: pick(['waiting on the supplier', 'customer away']) }) }),
  fc.record({ kind: fc.constant('sla.resumed'), payload: fc.constant({}) }),
  fc.record({ kind: fc.constant('timeline.entry'), payload: fc.record({ entryKind: pick(NOTE_KINDS), text: pick(WORDS) }) }),
  // Materialised events are numbered from 1, so these name earlier (or later, or missing) entries.
  fc.record({
    kind: fc.constant('timeline.corrected'),
    payload: fc.record(
      {
        targetId: fc.nat({ max: 12 }).map((n) => uuid(n + 1)),
        newText: pick(WORDS),
        newOccurredAt: fc.integer({ min: BASE - 30 * MIN, max: BASE + 60 * MIN }),
      },
      { requiredKeys: ['targetId', 'newText'] },
    ),
  }),
  fc.record({ kind: fc.constant('timeline.redacted'), payload: fc.record({ targetId: fc.nat({ max: 12 }).map((n) => uuid(n + 1)), reason: pick(WORDS) }) }),
  fc.record({ kind: fc.constant('timeline.starred'), payload: fc.record({ targetId: fc.nat({ max: 12 }).map((n) => uuid(n + 1)), starred: fc.boolean() }) }),
  fc.record({ kind: fc.constant('incident.timezones'), payload: fc.record({ zones: fc.subarray(['Europe/Paris', 'Asia/Tokyo', 'UTC']) }) }),
  fc.record({
    kind: fc.constant('sla.breached'),
    payload: fc.record({ clock: pick(['response', 'resolution']), priority: pick(['P1', 'P2']), targetMs: pick([15 * MIN, 240 * MIN]) }),
  }),
  fc.record({
    kind: fc.constant('incident.sme'),
    payload: fc.record({ person: pick(PEOPLE), speciality: pick(['', 'network', 'security']), active: fc.boolean() }),
  }),
  fc.record({
    kind: fc.constant('command.handoff_started'),
    payload: fc.record({ handoffId: pick(HANDOFF_IDS), to: pick(PEOPLE), briefing: pick(BRIEFINGS) }),
  }),
  fc.record({ kind: fc.constant('command.handoff_acknowledged'), payload: fc.record({ handoffId: pick(HANDOFF_IDS), commander: pick(PEOPLE) }) }),
  fc.record({
    kind: fc.constant('drill.started'),
    payload: fc.record({
      source: pick(['incident', 'scenario', 'file']),
      sourceId: pick(['airline-power-outage', 'e2e-backlog']),
      sourceTitle: pick(WORDS),
      speed: pick([1, 2, 10]),
      language: pick(['en', 'fr']),
      injects: fc.nat({ max: 20 }),
      reference: fc.option(fc.record({ respondMs: fc.option(fc.nat()), mitigateMs: fc.option(fc.nat()), resolveMs: fc.option(fc.nat()) })),
    }),
  }),
  fc.record({ kind: fc.constant('drill.stopped'), payload: fc.record({ delivered: fc.nat({ max: 20 }), cancelled: fc.nat({ max: 20 }) }) }),
  reviewAction(fc.nat({ max: 12 }).map((n) => uuid(n + 1))),
  fc.record({
    kind: fc.constant('future.thing'),
    payload: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  }),
);

interface Step {
  action: Action;
  device: number;
  actor: number;
  /** How far the shared wall time moves before this step. */
  advanceMs: number;
  /** occurredAt this far before the device's clock, as when someone logs something after the fact. */
  backdateMs: number;
  /** Pull everything recorded so far before acting (a sync round). */
  sync: boolean;
}

const script = fc.record({
  skews: fc.array(fc.integer({ min: -5 * MIN, max: 5 * MIN }), { minLength: 1, maxLength: 3 }),
  declaration: fc.record({ impact: pick(LEVELS), urgency: pick(LEVELS), commander: pick(PEOPLE) }),
  steps: fc.array<Step>(
    fc.record({
      action,
      device: fc.nat({ max: 2 }),
      actor: fc.nat({ max: PEOPLE.length - 1 }),
      advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * MIN })),
      backdateMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * MIN })),
      sync: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
});

type Script = typeof script extends fc.Arbitrary<infer T> ? T : never;

function materialise({ skews, declaration, steps }: Script): EventEnvelope[] {
  let wall = BASE;
  const clocks = skews.map((skew, i) => new HlcClock(`dev-${i}`, () => wall + skew));
  const events: EventEnvelope[] = [];
  const record = (device: number, actor: string, kind: string, payload: Record<string, unknown>) => {
    const event: EventEnvelope = {
      id: uuid(events.length + 1),
      incidentId: INCIDENT,
      kind,
      payload,
      actor,
      deviceId: `dev-${device}`,
      hlc: clocks[device]!.tick(),
      recordedAt: wall + skews[device]!,
    };
    events.push(event);
    return event;
  };
  const declared = record(0, declaration.commander, 'incident.declared', declaredPayload(declaration));
  // A device learns of the incident before it can act on it.
  for (const clock of clocks.slice(1)) clock.receive(declared.hlc);
  for (const step of steps) {
    wall += step.advanceMs;
    const device = step.device % clocks.length;
    if (step.sync) for (const e of events) clocks[device]!.receive(e.hlc);
    const payload =
      // Review events have no occurred-at: they are about the record, not about the incident.
      step.action.kind === 'future.thing' || step.action.kind.startsWith('review.')
        ? step.action.payload
        : { ...step.action.payload, occurredAt: wall + skews[device]! - step.backdateMs };
    record(device, PEOPLE[step.actor]!, step.action.kind, payload);
  }
  return events;
}

/** The same events in a random order, some delivered more than once (as copies, like a retry would). */
const deliveries = (events: EventEnvelope[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 10 }),
      fc.array(fc.nat({ max: events.length + 10 }), { maxLength: 10 }),
    )
    .map(([order, duplicated, positions]) => {
      const delivered = [...order];
      duplicated.forEach((index, i) => {
        delivered.splice(Math.min(positions[i] ?? 0, delivered.length), 0, structuredClone(events[index]!));
      });
      return delivered;
    });

const eventSetWithTwoDeliveries = script.map((s) => materialise(s)).chain((events) => fc.tuple(fc.constant(events), deliveries(events), deliveries(events)));

describe('foldIncident is order-insensitive and idempotent (property)', () => {
  it('generated events are valid events', () => {
    fc.assert(
      fc.property(script, (s) => {
        for (const event of materialise(s)) expect(() => parseEvent(event)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('any delivery order with any duplicates folds to the same state and view', () => {
    fc.assert(
      fc.property(eventSetWithTwoDeliveries, ([events, first, second]) => {
        const causal = [...events].sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
        const reference = foldIncident(INCIDENT, causal);
        const a = foldIncident(INCIDENT, first);
        const b = foldIncident(INCIDENT, second);
        expect(a).toEqual(reference);
        expect(b).toEqual(reference);
        expect(viewIncident(a)).toEqual(viewIncident(reference));
        expect(viewIncident(b)).toEqual(viewIncident(reference));
      }),
      { numRuns: 1000 },
    );
  });

  it('applying events one at a time, duplicates included, gives the same state (the store applies them incrementally)', () => {
    fc.assert(
      fc.property(eventSetWithTwoDeliveries, ([events, delivered]) => {
        const incremental = emptyIncident(INCIDENT);
        for (const event of delivered) applyEvent(incremental, event);
        expect(incremental).toEqual(foldIncident(INCIDENT, events));
      }),
      { numRuns: 300 },
    );
  });

  it('events of unknown kinds never change what the fold shows', () => {
    fc.assert(
      fc.property(eventSetWithTwoDeliveries, ([events, delivered]) => {
        const known = events.filter((e) => e.kind !== 'future.thing');
        expect(viewIncident(foldIncident(INCIDENT, delivered))).toEqual(viewIncident(foldIncident(INCIDENT, known)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('foldIncident examples', () => {
  const declared = ev('incident.declared', declaredPayload(), { wall: BASE });

  it('last writer wins per field, whatever the arrival order', () => {
    const p1 = ev('incident.priority', { impact: 'medium', urgency: 'low' }, { wall: BASE + MIN, node: 'dev-a' });
    const p2 = ev('incident.priority', { impact: 'low', urgency: 'high' }, { wall: BASE + MIN, counter: 1, node: 'dev-a' });
    const s1 = ev('incident.status', { status: 'mitigated' }, { wall: BASE + 3 * MIN, node: 'dev-a' });
    // Same wall time and counter: the node id breaks the tie, so dev-b's write is the later one.
    const s2 = ev('incident.status', { status: 'investigating' }, { wall: BASE + 3 * MIN, node: 'dev-b' });
    const r1 = ev('incident.role', { role: 'scribe', person: 'Bruno' }, { wall: BASE + 4 * MIN });
    const r2 = ev('incident.role', { role: 'scribe', person: 'Chloé' }, { wall: BASE + 5 * MIN });
    const c2 = ev('incident.role', { role: 'commander', person: 'Dmitri' }, { wall: BASE + 6 * MIN });
    for (const order of [
      [declared, p1, p2, s1, s2, r1, r2, c2],
      [c2, r2, r1, s2, s1, p2, p1, declared],
      [s2, p2, declared, r2, c2, s1, r1, p1],
    ]) {
      const v = view(order)!;
      expect(v.priority).toBe('P3');
      expect([v.impact, v.urgency]).toEqual(['low', 'high']);
      expect(v.status).toBe('investigating');
      expect(v.roles).toEqual({ commander: 'Dmitri', scribe: 'Chloé' });
      // The history keeps every change, in causal order.
      expect(v.statusChanges.map((c) => c.value)).toEqual(['declared', 'mitigated', 'investigating']);
      expect(v.priorityChanges.map((c) => c.value)).toEqual(['P1', 'P4', 'P3']);
    }
  });

  it('keeps when each attached alert resolved, the latest resolution of each, in any order (issue #13: the entry says it from the record)', () => {
    const attached = ev(
      'alert.attached',
      { fingerprint: 'fp-db', title: 'DB down', severity: 'critical', integration: 'Prometheus', startsAt: BASE, link: null },
      { wall: BASE + MIN },
    );
    const first = ev('alert.resolved', { fingerprint: 'fp-db', title: 'DB down', endsAt: BASE + 10 * MIN }, { wall: BASE + 11 * MIN, node: 'dev-b' });
    const again = ev('alert.resolved', { fingerprint: 'fp-db', title: 'DB down', endsAt: BASE + 30 * MIN }, { wall: BASE + 31 * MIN });
    const other = ev('alert.resolved', { fingerprint: 'fp-web', title: 'Web slow', endsAt: BASE + 5 * MIN }, { wall: BASE + 6 * MIN });
    for (const order of [
      [declared, attached, first, again, other],
      [other, again, first, attached, declared],
      [first, declared, again, first, other],
    ]) {
      const resolved = view(order)!.resolvedAlerts;
      expect(Object.fromEntries(resolved.map((r) => [r.fingerprint, r.endsAt]))).toEqual({ 'fp-db': BASE + 30 * MIN, 'fp-web': BASE + 5 * MIN });
    }
    expect(view([declared, attached])!.resolvedAlerts).toEqual([]);
  });

  it('task fields and a draft body are last-writer-wins too', () => {
    const [taskId, draftId] = [TASK_IDS[0]!, DRAFT_IDS[0]!];
    const created = ev('task.created', { taskId, title: 'Fail over', owner: 'Ada' }, { wall: BASE + MIN });
    const assignedLate = ev('task.assigned', { taskId, owner: 'Bruno' }, { wall: BASE + 3 * MIN });
    const assignedEarly = ev('task.assigned', { taskId, owner: 'Chloé' }, { wall: BASE + 2 * MIN, node: 'dev-b' });
    const drafted = ev('comms.drafted', { draftId, audience: 'customers', channel: 'email', body: 'v1' }, { wall: BASE + MIN });
    const editedLate = ev('comms.edited', { draftId, body: 'v3' }, { wall: BASE + 4 * MIN });
    const editedEarly = ev('comms.edited', { draftId, body: 'v2' }, { wall: BASE + 2 * MIN, node: 'dev-b' });
    for (const order of [
      [declared, created, assignedEarly, assignedLate, drafted, editedEarly, editedLate],
      [editedLate, assignedLate, editedEarly, assignedEarly, drafted, created, declared],
    ]) {
      const v = view(order)!;
      expect(v.tasks).toEqual([
        { ...NO_TASK_TIMES, id: taskId, title: 'Fail over', owner: 'Bruno', status: 'todo', createdAt: BASE + MIN, createdBy: 'Ada', statusAt: BASE + MIN },
      ]);
      expect(v.comms[0]!.body).toBe('v3');
    }
  });

  it('a draft never goes back from sent to approved or draft', () => {
    const draftId = DRAFT_IDS[1]!;
    const drafted = ev('comms.drafted', { draftId, audience: 'executives', channel: 'chat', body: 'Update 1' }, { wall: BASE + MIN });
    const approved = ev('comms.approved', { draftId }, { wall: BASE + 2 * MIN, actor: 'Bruno' });
    const sent = ev('comms.sent', { draftId, channel: 'email', body: 'Update 1' }, { wall: BASE + 3 * MIN, actor: 'Chloé' });
    // A device that had not seen the approval re-approves after the send was recorded elsewhere.
    const lateApproval = ev('comms.approved', { draftId }, { wall: BASE + 4 * MIN, node: 'dev-b', actor: 'Dmitri' });
    for (const order of [
      [declared, drafted, approved, sent, lateApproval],
      [sent, lateApproval, approved, drafted, declared],
      [declared, sent, drafted, lateApproval, approved],
    ]) {
      const [draft] = view(order)!.comms;
      expect(draft).toMatchObject({ state: 'sent', channel: 'email', sentBy: 'Chloé', sentAt: BASE + 3 * MIN });
      expect(draft).toMatchObject({ approvedBy: 'Bruno', approvedAt: BASE + 2 * MIN });
    }
    // An edit stamped after the send (another laptop, offline) cannot change what went out.
    const lateEdit = ev('comms.edited', { draftId, body: 'Rewritten' }, { wall: BASE + 5 * MIN, node: 'dev-b' });
    expect(view([declared, drafted, approved, sent, lateEdit])!.comms[0]).toMatchObject({ body: 'Update 1', state: 'sent' });
    // Approval alone is not sent, and the original channel still shows.
    expect(view([declared, drafted, approved])!.comms[0]).toMatchObject({ state: 'approved', channel: 'chat', sentAt: null });
    expect(view([declared, drafted])!.comms[0]).toMatchObject({ state: 'draft', approvedBy: null });
  });

  it('a task moved before its creation arrives settles to the moved status with its title', () => {
    const taskId = TASK_IDS[2]!;
    const created = ev('task.created', { taskId, title: 'Check the UPS', owner: '' }, { wall: BASE + MIN, node: 'dev-a' });
    const moved = ev('task.moved', { taskId, status: 'doing' }, { wall: BASE + 2 * MIN, node: 'dev-b', actor: 'Bruno' });
    const done = ev('task.moved', { taskId, status: 'done' }, { wall: BASE + 3 * MIN, node: 'dev-b', actor: 'Bruno' });
    const early = view([declared, done, moved])!;
    expect(early.tasks[0]).toMatchObject({ id: taskId, status: 'done', createdAt: null });
    const settled = view([declared, done, moved, created])!;
    expect(settled.tasks).toEqual([
      { ...NO_TASK_TIMES, id: taskId, title: 'Check the UPS', owner: '', status: 'done', createdAt: BASE + MIN, createdBy: 'Ada', statusAt: BASE + 3 * MIN },
    ]);
  });

  it('the view is null until the declaration arrives, then reflects everything already received', () => {
    const status = ev('incident.status', { status: 'investigating' }, { wall: BASE + MIN });
    const state = foldIncident(INCIDENT, [status]);
    expect(viewIncident(state)).toBeNull();
    expect(viewIncident(foldIncident(INCIDENT, []))).toBeNull();
    const v = view([status, declared])!;
    expect(v).toMatchObject({ title: 'Checkout is down', status: 'investigating', priority: 'P1', declaredBy: 'Ada' });
    expect(v.roles).toEqual({ commander: 'Ada' });
  });

  it('keeps events of unknown kinds out of the state without throwing', () => {
    const future = {
      ...ev('timeline.entry', { entryKind: 'note', text: 'x' }, { wall: BASE + 9 * MIN }),
      kind: 'future.thing',
      payload: { status: 'closed', taskId: TASK_IDS[0] },
    };
    const status = ev('incident.status', { status: 'mitigated' }, { wall: BASE + 2 * MIN });
    const withFuture = foldIncident(INCIDENT, [declared, future, status]);
    const without = foldIncident(INCIDENT, [declared, status]);
    // Only the high-water HLC notices it, so the device's clock still moves past it.
    expect(withFuture).toEqual(without);
    expect(viewIncident(withFuture)!.status).toBe('mitigated');
  });

  it('refuses an event that belongs to another incident', () => {
    const stray = ev('incident.status', { status: 'resolved' }, { wall: BASE + MIN, incidentId: OTHER_INCIDENT });
    expect(() => foldIncident(INCIDENT, [declared, stray])).toThrow(/belongs to incident/);
  });

  it('orders the timeline by occurred-at, then causally for entries stamped with the same time', () => {
    const late = ev('timeline.entry', { entryKind: 'note', text: 'late', occurredAt: BASE + 5 * MIN }, { wall: BASE + 5 * MIN });
    // Logged afterwards but backdated: it sorts where it happened, not where it was typed.
    const backdated = ev('timeline.entry', { entryKind: 'finding', text: 'backdated', occurredAt: BASE + MIN }, { wall: BASE + 6 * MIN });
    const sameTimeA = ev('timeline.entry', { entryKind: 'decision', text: 'a', occurredAt: BASE + 2 * MIN }, { wall: BASE + 7 * MIN, node: 'dev-a' });
    const sameTimeB = ev('timeline.entry', { entryKind: 'action', text: 'b', occurredAt: BASE + 2 * MIN }, { wall: BASE + 7 * MIN, node: 'dev-b' });
    const sorted = [late, sameTimeB, backdated, sameTimeA, declared].sort(compareTimeline);
    expect(sorted.map((e) => e.id)).toEqual([declared, backdated, sameTimeA, sameTimeB, late].map((e) => e.id));
  });
});
