import { describe, expect, it } from 'vitest';
import { BRIEFING_LIMITS, BriefingSchema, parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { foldIncident, viewIncident, type IncidentView } from '../record/fold.js';
import { buildBriefing, excerpt, type BriefingInput } from './handoff.js';
import { encodeHlc } from '../record/hlc.js';
import { DEFAULT_SLA_POLICY } from '../clocks/sla.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabc);
const T0 = Date.UTC(2026, 1, 3, 14, 0);
const MIN = 60_000;

let next = 1;
function ev<K extends EventKind>(kind: K, payload: PayloadOf<K>, atMin: number, actor = 'Ana'): EventEnvelope {
  const wall = T0 + atMin * MIN;
  return parseEvent({
    id: uuid(next++),
    incidentId: INCIDENT,
    kind,
    payload,
    actor,
    deviceId: 'dev-a',
    hlc: encodeHlc({ wall, counter: next, node: 'dev-a' }),
    recordedAt: wall,
  });
}

const at = (m: number) => T0 + m * MIN;
const TASKS = { ledger: uuid(0x71), dns: uuid(0x72), rollback: uuid(0x73), orphan: uuid(0x74) };
const DRAFTS = { execs: uuid(0xd1), customers: uuid(0xd2) };

function record(): EventEnvelope[] {
  return [
    ev(
      'incident.declared',
      {
        title: 'Payments failing',
        description: '',
        occurredAt: at(-5),
        detectedAt: at(-2),
        declaredAt: at(0),
        services: ['payments'],
        reporter: '',
        detectionSource: 'monitoring',
        category: 'software',
        impact: 'high',
        urgency: 'medium',
        commander: 'Ana',
        drill: false,
      },
      0,
    ),
    ev('incident.role', { role: 'scribe', person: 'Lena', occurredAt: at(1) }, 1),
    ev('incident.sme', { person: 'Bo', speciality: 'network', active: true, occurredAt: at(2) }, 2),
    ev('incident.status', { status: 'investigating', occurredAt: at(6) }, 6),
    ev('timeline.entry', { entryKind: 'hypothesis', text: 'A bad deploy of v42', occurredAt: at(7) }, 7, 'Bo'),
    ev('timeline.entry', { entryKind: 'note', text: 'Error rate at 60%', occurredAt: at(8) }, 8),
    ev('timeline.entry', { entryKind: 'hypothesis', text: 'DNS cache poisoned', occurredAt: at(9) }, 9, 'Lena'),
    ev('task.created', { taskId: TASKS.ledger, title: 'Check the ledger', owner: 'Lena', occurredAt: at(10) }, 10),
    ev('task.created', { taskId: TASKS.dns, title: 'Flush DNS', owner: '', occurredAt: at(11) }, 11),
    ev('task.created', { taskId: TASKS.rollback, title: 'Roll back to v41', owner: 'Bo', occurredAt: at(12) }, 12),
    ev('task.moved', { taskId: TASKS.rollback, status: 'done', occurredAt: at(20) }, 20),
    ev('task.moved', { taskId: TASKS.dns, status: 'blocked', occurredAt: at(21) }, 21),
    // Its creation has not arrived on this laptop yet: nothing to name it by.
    ev('task.moved', { taskId: TASKS.orphan, status: 'doing', occurredAt: at(22) }, 22),
    ev('comms.drafted', { draftId: DRAFTS.execs, audience: 'executives', channel: 'email', body: 'Status', occurredAt: at(15) }, 15),
    ev('comms.approved', { draftId: DRAFTS.execs, occurredAt: at(16) }, 16),
    ev('comms.sent', { draftId: DRAFTS.execs, channel: 'email', body: 'Status', occurredAt: at(17) }, 17),
    ev('comms.drafted', { draftId: DRAFTS.customers, audience: 'Partners', channel: 'email', body: 'Hello', occurredAt: at(18) }, 18),
  ];
}

function input(events: EventEnvelope[], over: Partial<BriefingInput> = {}): BriefingInput {
  const view = viewIncident(foldIncident(INCIDENT, events)) as IncidentView;
  return {
    view,
    entries: events,
    policy: DEFAULT_SLA_POLICY,
    now: at(30),
    note: '  Watch the DNS task  ',
    // Every hour after the last update, or after declaration: a stand-in for the team's cadence.
    nextUpdateDue: (audience) => {
      const sent = view.comms.filter((d) => d.audience === audience && d.sentAt !== null).map((d) => d.sentAt!);
      return (sent.length ? Math.max(...sent) : view.declaredAt) + 60 * MIN;
    },
    ...over,
  };
}

describe('the hand-off briefing', () => {
  it('draws status, priority, roles, hypotheses, open tasks, updates and clocks from the record', () => {
    const briefing = buildBriefing(input(record()));
    expect(BriefingSchema.parse(briefing)).toEqual(briefing);
    expect(briefing).toMatchObject({ generatedAt: at(30), from: 'Ana', status: 'investigating', priority: 'P2', impact: 'high', urgency: 'medium' });
    expect(briefing.roles).toEqual([
      { role: 'commander', person: 'Ana', speciality: '' },
      { role: 'scribe', person: 'Lena', speciality: '' },
      { role: 'sme', person: 'Bo', speciality: 'network' },
    ]);
    expect(briefing.hypotheses.map((h) => [h.text, h.by, h.state, h.at])).toEqual([
      ['A bad deploy of v42', 'Bo', 'open', at(7)],
      ['DNS cache poisoned', 'Lena', 'open', at(9)],
    ]);
    // Blocked first, done and unnamed ones left out.
    expect(briefing.openTasks.map((t) => [t.title, t.owner, t.status])).toEqual([
      ['Flush DNS', '', 'blocked'],
      ['Check the ledger', 'Lena', 'todo'],
    ]);
    expect(briefing.openTasksTotal).toBe(2);
    expect(briefing.audiences).toEqual([
      { audience: 'executives', lastSentAt: at(17), nextDueAt: at(77) },
      { audience: 'internal', lastSentAt: null, nextDueAt: at(60) },
      { audience: 'customers', lastSentAt: null, nextDueAt: at(60) },
      { audience: 'Partners', lastSentAt: null, nextDueAt: at(60) },
    ]);
    // P2: 30 min to respond, met when investigation started at minute 6; 8 h to resolve, 7.5 h left.
    expect(briefing.sla.response).toMatchObject({ phase: 'met', targetMs: 30 * MIN });
    expect(briefing.sla.resolution).toEqual({ phase: 'running', targetMs: 8 * 60 * MIN, remainingMs: 8 * 60 * MIN - 30 * MIN, deadline: at(8 * 60) });
    expect(briefing.sla.pauseReason).toBeNull();
    expect(briefing.note).toBe('Watch the DNS task');
  });

  it('marks hypotheses with the verdicts recorded on them', () => {
    const events = record();
    const dns = events.find((e) => e.payload['text'] === 'DNS cache poisoned')!;
    const briefing = buildBriefing(input(events, { verdicts: { [dns.id]: 'ruled_out' } }));
    expect(briefing.hypotheses.map((h) => h.state)).toEqual(['open', 'ruled_out']);
  });

  it('shows a breached clock with how far past it is, and a pause with its reason', () => {
    const events = [...record(), ev('sla.paused', { reason: 'Waiting on the card processor', occurredAt: at(8 * 60 + 10) }, 8 * 60 + 10)];
    const briefing = buildBriefing(input(events, { now: at(8 * 60 + 30) }));
    expect(briefing.sla.resolution.phase).toBe('breached');
    expect(briefing.sla.resolution.remainingMs).toBe(-10 * MIN);
    expect(briefing.sla.pauseReason).toBe('Waiting on the card processor');
  });

  it('stays within the size of one event: long texts cut, long lists capped with their totals', () => {
    const events = record();
    for (let i = 0; i < BRIEFING_LIMITS.hypotheses + 7; i++) {
      events.push(ev('timeline.entry', { entryKind: 'hypothesis', text: `Theory ${i} ${'x'.repeat(2000)}`, occurredAt: at(40 + i) }, 40 + i));
    }
    for (let i = 0; i < BRIEFING_LIMITS.tasks + 3; i++) {
      events.push(ev('task.created', { taskId: uuid(0x1000 + i), title: `Task ${i}`, owner: 'Bo', occurredAt: at(100 + i) }, 100 + i));
    }
    const briefing = buildBriefing(input(events, { now: at(300) }));
    expect(BriefingSchema.safeParse(briefing).success).toBe(true);
    expect(briefing.hypotheses).toHaveLength(BRIEFING_LIMITS.hypotheses);
    expect(briefing.hypothesesTotal).toBe(BRIEFING_LIMITS.hypotheses + 9);
    // The newest are kept: the oldest can be read in the timeline.
    expect(briefing.hypotheses.at(-1)!.text.startsWith(`Theory ${BRIEFING_LIMITS.hypotheses + 6} `)).toBe(true);
    expect(briefing.hypotheses.every((h) => h.text.length <= BRIEFING_LIMITS.excerpt)).toBe(true);
    expect(briefing.openTasks).toHaveLength(BRIEFING_LIMITS.tasks);
    expect(briefing.openTasksTotal).toBe(BRIEFING_LIMITS.tasks + 5);
    expect(JSON.stringify(briefing).length).toBeLessThan(100_000);
  });

  it('cuts a long text on a word boundary with an ellipsis, leaving short ones alone', () => {
    expect(excerpt('  short  ')).toBe('short');
    const cut = excerpt(`${'word '.repeat(200)}`, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('hands over an incident nobody commands yet', () => {
    const events = record();
    const view = viewIncident(foldIncident(INCIDENT, events)) as IncidentView;
    const briefing = buildBriefing({ ...input(events), view: { ...view, roles: {} } });
    expect(briefing.from).toBe('');
    expect(BriefingSchema.safeParse(briefing).success).toBe(true);
  });
});

describe('experts and hand-offs in the fold', () => {
  const declared = () => record()[0]!;
  const view = (events: EventEnvelope[]) => viewIncident(foldIncident(INCIDENT, events))!;
  const briefing = () => buildBriefing(input(record()));

  it('keeps several experts with their specialities; one spelling of a name is one person', () => {
    const events = [
      declared(),
      ev('incident.sme', { person: 'Bo', speciality: 'network', active: true, occurredAt: at(1) }, 1),
      ev('incident.sme', { person: 'Chloé', speciality: 'security', active: true, occurredAt: at(2) }, 2),
      ev('incident.sme', { person: 'bo ', speciality: 'database', active: true, occurredAt: at(3) }, 3),
      // An older version names one expert through the role.
      ev('incident.role', { role: 'sme', person: 'Dmitri', occurredAt: at(4) }, 4),
    ];
    expect(view(events).smes).toEqual([
      { person: 'bo', speciality: 'database' },
      { person: 'Chloé', speciality: 'security' },
      { person: 'Dmitri', speciality: '' },
    ]);
    const removed = [...events, ev('incident.sme', { person: 'BO', speciality: '', active: false, occurredAt: at(5) }, 5)];
    expect(view(removed).smes.map((s) => s.person)).toEqual(['Chloé', 'Dmitri']);
    expect(view([...removed].reverse()).smes).toEqual(view(removed).smes);
  });

  it('makes the incoming commander commander on acknowledgement, whichever of the two arrives first', () => {
    const handoffId = uuid(0x4a1);
    const started = ev('command.handoff_started', { handoffId, to: 'Bo', briefing: briefing(), occurredAt: at(31) }, 31);
    const pending = view([...record(), started]);
    expect(pending.roles.commander).toBe('Ana');
    expect(pending.pendingHandoffId).toBe(handoffId);
    expect(pending.handoffs).toEqual([
      expect.objectContaining({ id: handoffId, from: 'Ana', to: 'Bo', startedBy: 'Ana', startedAt: at(31), acknowledgedAt: null, commander: null }),
    ]);
    expect(pending.handoffs[0]!.briefing!.openTasks.map((t) => t.title)).toEqual(['Flush DNS', 'Check the ledger']);

    const acknowledged = ev('command.handoff_acknowledged', { handoffId, commander: 'Bo', occurredAt: at(33) }, 33, 'Bo');
    for (const events of [
      [...record(), started, acknowledged],
      [acknowledged, ...record().reverse(), started],
    ]) {
      const v = view(events);
      expect(v.roles.commander).toBe('Bo');
      expect(v.pendingHandoffId).toBeNull();
      expect(v.handoffs[0]).toMatchObject({ acknowledgedBy: 'Bo', acknowledgedAt: at(33), commander: 'Bo' });
    }
  });

  it('drops a waiting hand-off once command changes hands another way, or a newer one starts', () => {
    const first = ev('command.handoff_started', { handoffId: uuid(0x4a1), to: 'Bo', briefing: briefing(), occurredAt: at(31) }, 31);
    const second = ev('command.handoff_started', { handoffId: uuid(0x4a2), to: 'Lena', briefing: briefing(), occurredAt: at(32) }, 32);
    expect(view([...record(), first, second]).pendingHandoffId).toBe(uuid(0x4a2));
    const reassigned = ev('incident.role', { role: 'commander', person: 'Chloé', occurredAt: at(35) }, 35);
    expect(view([...record(), first, second, reassigned]).pendingHandoffId).toBeNull();
  });
});
