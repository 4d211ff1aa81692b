import type { EventEnvelope, PayloadOf, Role, Status, TaskStatus, CommsState, Category, NoteKind, TaskKind, SlaClockName } from './events.js';
import { asKnown, isReservedName, occurredAtOf, COMMS_STATES, type Briefing, type KnownEvent } from './events.js';
import { nameTable, ownEntry } from './untrusted.js';
import { priorityOf, type Level, type Priority } from '../incidents/priority.js';
import { personKey } from '../roles/roles.js';
import { isFoldedBy, type KindFoldedBy } from './kinds.js';

/**
 * The state of an incident is a pure fold of its events. Every field that can be set more
 * than once is a last-writer-wins register keyed by HLC, histories are kept sorted by HLC
 * and comms state only moves forward, so applying the same set of events in any order,
 * with any duplicates, gives the same state. The store persists this state as its projection.
 */
export interface Register<T> {
  value: T;
  hlc: string;
}

export type DeclaredFields = PayloadOf<'incident.declared'> & { declaredBy: string };

export interface Change<T> {
  eventId: string;
  value: T;
  at: number;
  hlc: string;
  actor: string;
}

export interface PauseMark {
  eventId: string;
  paused: boolean;
  reason: string;
  at: number;
  hlc: string;
}

export interface TaskState {
  id: string;
  title: Register<string> | null;
  owner: Register<string> | null;
  status: Register<TaskStatus> | null;
  created: Register<{ at: number; by: string }> | null;
  /** Written together with `status` (same stamp), so the two always agree. */
  statusAt?: Register<number> | null;
  // Optional: projections saved before these fields existed load without them.
  kind?: Register<TaskKind> | null;
  due?: Register<number | null> | null;
  checkBack?: Register<{ at: number; by: string } | null> | null;
}

export interface CommsDraftState {
  id: string;
  audience: Register<string> | null;
  channel: Register<string> | null;
  body: Register<string> | null;
  state: CommsState;
  created: Register<{ at: number; by: string }> | null;
  approval: Register<{ by: string; at: number }> | null;
  /** The words that actually went out: a later edit from another laptop cannot rewrite a sent update. */
  sending: Register<{ by: string; at: number; channel: string; body: string }> | null;
}

export interface IncidentState {
  id: string;
  declared: Register<DeclaredFields> | null;
  status: Register<Status> | null;
  severity: Register<{ impact: Level; urgency: Level }> | null;
  roles: Partial<Record<Role, Register<string>>>;
  statusChanges: Change<Status>[];
  priorityChanges: Change<Priority>[];
  pauses: PauseMark[];
  tasks: Record<string, TaskState>;
  comms: Record<string, CommsDraftState>;
  // Optional: projections saved before these fields existed load without them.
  /** Subject-matter experts keyed by personKey (shared/roles/roles.ts): a last-writer-wins element set. */
  smes?: Record<string, Register<{ person: string; speciality: string; active: boolean }>>;
  handoffs?: Record<string, HandoffState>;
  /** Time zones of the regions the incident touches, for the wall clocks. */
  timezones?: Register<string[]> | null;
  /** First breach recorded per SLA clock (first writer wins: two laptops offline may both record one). */
  breaches?: Partial<Record<SlaClockName, Register<BreachMark>>>;
  /** When each attached alert last resolved at its source, by fingerprint (from alert.resolved; the latest resolution wins, in any order). */
  alertResolutions?: Record<string, { endsAt: number }>;
}

export interface BreachMark {
  eventId: string;
  at: number;
  priority: Priority;
  targetMs: number;
  by: string;
}

export interface HandoffState {
  id: string;
  started: Register<{ from: string; to: string; briefing: Briefing; at: number; by: string }> | null;
  acknowledged: Register<{ commander: string; at: number; by: string }> | null;
}

export function emptyIncident(id: string): IncidentState {
  return {
    id,
    declared: null,
    status: null,
    severity: null,
    roles: {},
    statusChanges: [],
    priorityChanges: [],
    pauses: [],
    tasks: {},
    comms: {},
    smes: nameTable(),
    handoffs: {},
    alertResolutions: nameTable(),
  };
}

function lww<T>(current: Register<T> | null | undefined, value: T, hlc: string): Register<T> {
  return current && current.hlc >= hlc ? current : { value, hlc };
}

/** First writer wins: for facts that happen once (a send, an approval), the earliest stamp is the fact. */
function fww<T>(current: Register<T> | null | undefined, value: T, hlc: string): Register<T> {
  return current && current.hlc <= hlc ? current : { value, hlc };
}

function insertByHlc<T extends { hlc: string; eventId: string }>(list: T[], item: T): void {
  if (list.some((x) => x.eventId === item.eventId)) return;
  let i = list.length;
  while (i > 0 && list[i - 1]!.hlc > item.hlc) i--;
  list.splice(i, 0, item);
}

function addSme(state: IncidentState, person: string, speciality: string, active: boolean, hlc: string): void {
  // Keyed by a typed name: a prototype name (refused on the way in) must never reach the object's prototype here either.
  if (isReservedName(person)) return;
  const smes = (state.smes ??= nameTable());
  const key = personKey(person);
  smes[key] = lww(ownEntry(smes, key), { person: person.trim(), speciality, active }, hlc);
}

function handoff(state: IncidentState, id: string): HandoffState {
  return ((state.handoffs ??= {})[id] ??= { id, started: null, acknowledged: null });
}

function task(state: IncidentState, id: string): TaskState {
  return (state.tasks[id] ??= { id, title: null, owner: null, status: null, created: null, statusAt: null, kind: null, due: null, checkBack: null });
}

function draft(state: IncidentState, id: string): CommsDraftState {
  return (state.comms[id] ??= {
    id,
    audience: null,
    channel: null,
    body: null,
    state: 'draft',
    created: null,
    approval: null,
    sending: null,
  });
}

function advanceComms(current: CommsState, next: CommsState): CommsState {
  return COMMS_STATES.indexOf(next) > COMMS_STATES.indexOf(current) ? next : current;
}

/** The events this fold reads; the registry (shared/record/kinds.ts) names the fold of every kind. */
type IncidentEvent = Extract<KnownEvent, { kind: KindFoldedBy<'incident'> }>;

const isIncidentEvent = (event: KnownEvent): event is IncidentEvent => isFoldedBy(event.kind, 'incident');

/**
 * Apply one event in place. Returns whether the state may have changed: kinds another fold
 * reads (timeline entries and their annotations, the review, team settings, drills, alerts,
 * deliveries, the status page) and kinds this version does not know leave it untouched, so the
 * store can skip rewriting it.
 */
export function applyEvent(state: IncidentState, raw: EventEnvelope): boolean {
  if (raw.incidentId !== state.id) throw new Error(`Event ${raw.id} belongs to incident ${raw.incidentId}, not ${state.id}`);
  const event = asKnown(raw);
  if (!event || !isIncidentEvent(event)) return false;
  applyKnown(state, event);
  return true;
}

function applyKnown(state: IncidentState, event: IncidentEvent): void {
  const { hlc, actor, id: eventId } = event;
  const at = occurredAtOf(event);
  switch (event.kind) {
    case 'incident.declared': {
      const p = event.payload;
      state.declared = lww(state.declared, { ...p, declaredBy: actor }, hlc);
      state.status = lww(state.status, 'declared', hlc);
      state.severity = lww(state.severity, { impact: p.impact, urgency: p.urgency }, hlc);
      state.roles.commander = lww(state.roles.commander, p.commander, hlc);
      insertByHlc(state.statusChanges, { eventId, value: 'declared', at: p.declaredAt, hlc, actor });
      insertByHlc(state.priorityChanges, { eventId, value: priorityOf(p.impact, p.urgency), at: p.declaredAt, hlc, actor });
      return;
    }
    case 'incident.status':
      state.status = lww(state.status, event.payload.status, hlc);
      insertByHlc(state.statusChanges, { eventId, value: event.payload.status, at, hlc, actor });
      return;
    case 'incident.priority': {
      const { impact, urgency } = event.payload;
      state.severity = lww(state.severity, { impact, urgency }, hlc);
      insertByHlc(state.priorityChanges, { eventId, value: priorityOf(impact, urgency), at, hlc, actor });
      return;
    }
    case 'incident.role':
      state.roles[event.payload.role] = lww(state.roles[event.payload.role], event.payload.person, hlc);
      // An older version names one expert through the role; it joins the set like any other.
      if (event.payload.role === 'sme') addSme(state, event.payload.person, '', true, hlc);
      return;
    case 'incident.sme':
      addSme(state, event.payload.person, event.payload.speciality, event.payload.active, hlc);
      return;
    case 'command.handoff_started': {
      const h = handoff(state, event.payload.handoffId);
      const { to, briefing } = event.payload;
      h.started = fww(h.started, { from: briefing.from, to, briefing, at, by: actor }, hlc);
      return;
    }
    case 'command.handoff_acknowledged': {
      const h = handoff(state, event.payload.handoffId);
      h.acknowledged = fww(h.acknowledged, { commander: event.payload.commander, at, by: actor }, hlc);
      state.roles.commander = lww(state.roles.commander, event.payload.commander, hlc);
      return;
    }
    case 'sla.paused':
      insertByHlc(state.pauses, { eventId, paused: true, reason: event.payload.reason, at, hlc });
      return;
    case 'sla.resumed':
      insertByHlc(state.pauses, { eventId, paused: false, reason: '', at, hlc });
      return;
    case 'sla.breached': {
      const breaches = (state.breaches ??= {});
      const { clock, priority, targetMs } = event.payload;
      breaches[clock] = fww(breaches[clock], { eventId, at, priority, targetMs, by: actor }, hlc);
      return;
    }
    case 'incident.timezones':
      state.timezones = lww(state.timezones, event.payload.zones, hlc);
      return;
    case 'task.created': {
      const t = task(state, event.payload.taskId);
      t.title = lww(t.title, event.payload.title, hlc);
      t.owner = lww(t.owner, event.payload.owner, hlc);
      t.status = lww(t.status, 'todo', hlc);
      t.statusAt = lww(t.statusAt, at, hlc);
      t.created = fww(t.created, { at, by: actor }, hlc);
      t.kind = lww(t.kind, event.payload.kind ?? 'response', hlc);
      if (event.payload.dueAt !== undefined) t.due = lww(t.due, event.payload.dueAt, hlc);
      if (event.payload.checkBackAt !== undefined) t.checkBack = lww(t.checkBack, { at: event.payload.checkBackAt, by: actor }, hlc);
      return;
    }
    case 'task.retitled': {
      const t = task(state, event.payload.taskId);
      t.title = lww(t.title, event.payload.title, hlc);
      return;
    }
    case 'task.due': {
      const t = task(state, event.payload.taskId);
      t.due = lww(t.due, event.payload.dueAt, hlc);
      return;
    }
    case 'task.check_back': {
      const t = task(state, event.payload.taskId);
      const checkBackAt = event.payload.checkBackAt;
      t.checkBack = lww(t.checkBack, checkBackAt === null ? null : { at: checkBackAt, by: actor }, hlc);
      return;
    }
    case 'task.assigned': {
      const t = task(state, event.payload.taskId);
      t.owner = lww(t.owner, event.payload.owner, hlc);
      return;
    }
    case 'task.moved': {
      const t = task(state, event.payload.taskId);
      t.status = lww(t.status, event.payload.status, hlc);
      t.statusAt = lww(t.statusAt, at, hlc);
      return;
    }
    case 'comms.drafted': {
      const d = draft(state, event.payload.draftId);
      d.audience = lww(d.audience, event.payload.audience, hlc);
      d.channel = lww(d.channel, event.payload.channel, hlc);
      d.body = lww(d.body, event.payload.body, hlc);
      d.created = fww(d.created, { at, by: actor }, hlc);
      return;
    }
    case 'comms.edited': {
      const d = draft(state, event.payload.draftId);
      d.body = lww(d.body, event.payload.body, hlc);
      return;
    }
    case 'comms.approved': {
      const d = draft(state, event.payload.draftId);
      d.approval = fww(d.approval, { by: actor, at }, hlc);
      d.state = advanceComms(d.state, 'approved');
      return;
    }
    case 'comms.sent': {
      const d = draft(state, event.payload.draftId);
      d.sending = fww(d.sending, { by: actor, at, channel: event.payload.channel, body: event.payload.body }, hlc);
      d.state = advanceComms(d.state, 'sent');
      return;
    }
    case 'alert.resolved': {
      const { fingerprint, endsAt } = event.payload;
      if (isReservedName(fingerprint)) return;
      const resolutions = (state.alertResolutions ??= nameTable());
      const known = ownEntry(resolutions, fingerprint);
      if (!known || endsAt > known.endsAt) resolutions[fingerprint] = { endsAt };
      return;
    }
    default: {
      // A kind the registry gives to this fold and this switch does not handle fails the typecheck here.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Fold a set of events (any order, duplicates allowed) into the incident's state. */
export function foldIncident(incidentId: string, events: Iterable<EventEnvelope>): IncidentState {
  const state = emptyIncident(incidentId);
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    applyEvent(state, event);
  }
  return state;
}

/** Timeline order: when it happened, then causal order for entries stamped with the same time. */
export function compareTimeline(a: EventEnvelope, b: EventEnvelope): number {
  return occurredAtOf(a) - occurredAtOf(b) || (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0);
}

export interface TaskView {
  id: string;
  title: string;
  owner: string;
  status: TaskStatus;
  createdAt: number | null;
  createdBy: string | null;
  kind: TaskKind;
  /** When the task entered its current column. */
  statusAt: number | null;
  dueAt: number | null;
  checkBackAt: number | null;
  /** Who asked to be told back: the person the task is owed to. */
  checkBackBy: string | null;
}

export interface CommsDraftView {
  id: string;
  audience: string;
  channel: string;
  body: string;
  state: CommsState;
  createdAt: number | null;
  createdBy: string | null;
  approvedBy: string | null;
  approvedAt: number | null;
  sentBy: string | null;
  sentAt: number | null;
}

/** The flat shape the UI reads; derived from the state, never stored on its own. */
export interface IncidentView {
  id: string;
  title: string;
  description: string;
  occurredAt: number;
  detectedAt: number;
  declaredAt: number;
  services: string[];
  reporter: string;
  detectionSource: string;
  category: Category;
  drill: boolean;
  declaredBy: string;
  status: Status;
  impact: Level;
  urgency: Level;
  priority: Priority;
  roles: Partial<Record<Role, string>>;
  tasks: TaskView[];
  comms: CommsDraftView[];
  statusChanges: Change<Status>[];
  priorityChanges: Change<Priority>[];
  pauses: PauseMark[];
  smes: SmeView[];
  /** Oldest first. */
  handoffs: HandoffView[];
  /** The latest hand-off still waiting for the incoming commander, unless command changed hands since. */
  pendingHandoffId: string | null;
  timezones: string[];
  /** The breach kept per clock; a later one recorded by another laptop is a duplicate the timeline hides. */
  breaches: Record<SlaClockName, BreachMark | null>;
  /** Attached alerts the record says resolved at their source, and when (the latest resolution of each). */
  resolvedAlerts: { fingerprint: string; endsAt: number }[];
}

export interface SmeView {
  person: string;
  speciality: string;
}

export interface HandoffView {
  id: string;
  from: string;
  to: string;
  briefing: Briefing | null;
  startedAt: number | null;
  startedBy: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  /** Who took command by acknowledging; normally `to`. */
  commander: string | null;
}

function viewHandoffs(state: IncidentState): { handoffs: HandoffView[]; pendingHandoffId: string | null } {
  const all = Object.values(state.handoffs ?? {}).sort((a, b) => {
    const ha = a.started?.hlc ?? a.acknowledged?.hlc ?? '';
    const hb = b.started?.hlc ?? b.acknowledged?.hlc ?? '';
    return ha < hb ? -1 : ha > hb ? 1 : a.id < b.id ? -1 : 1;
  });
  const latest = all.filter((h) => h.started).at(-1);
  const commanderHlc = state.roles.commander?.hlc ?? '';
  const pending = latest?.started && !latest.acknowledged && latest.started.hlc > commanderHlc ? latest.id : null;
  const handoffs = all.map((h) => ({
    id: h.id,
    from: h.started?.value.from ?? '',
    to: h.started?.value.to ?? h.acknowledged?.value.commander ?? '',
    briefing: h.started?.value.briefing ?? null,
    startedAt: h.started?.value.at ?? null,
    startedBy: h.started?.value.by ?? null,
    acknowledgedAt: h.acknowledged?.value.at ?? null,
    acknowledgedBy: h.acknowledged?.value.by ?? null,
    commander: h.acknowledged?.value.commander ?? null,
  }));
  return { handoffs, pendingHandoffId: pending };
}

/** Null until the declaration itself has arrived (on another laptop it may come after later events). */
export function viewIncident(state: IncidentState): IncidentView | null {
  const d = state.declared?.value;
  if (!d) return null;
  const severity = state.severity?.value ?? { impact: d.impact, urgency: d.urgency };
  const roles: Partial<Record<Role, string>> = {};
  for (const [role, reg] of Object.entries(state.roles)) if (reg) roles[role as Role] = reg.value;
  const tasks = Object.values(state.tasks)
    .map((t) => ({
      id: t.id,
      title: t.title?.value ?? '',
      owner: t.owner?.value ?? '',
      status: t.status?.value ?? 'todo',
      createdAt: t.created?.value.at ?? null,
      createdBy: t.created?.value.by ?? null,
      kind: t.kind?.value ?? 'response',
      statusAt: t.statusAt?.value ?? null,
      dueAt: t.due?.value ?? null,
      checkBackAt: t.checkBack?.value?.at ?? null,
      checkBackBy: t.checkBack?.value?.by ?? null,
    }))
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : 1));
  const comms = Object.values(state.comms)
    .map((c) => ({
      id: c.id,
      audience: c.audience?.value ?? '',
      channel: c.sending?.value.channel ?? c.channel?.value ?? 'other',
      body: c.sending?.value.body ?? c.body?.value ?? '',
      state: c.state,
      createdAt: c.created?.value.at ?? null,
      createdBy: c.created?.value.by ?? null,
      approvedBy: c.approval?.value.by ?? null,
      approvedAt: c.approval?.value.at ?? null,
      sentBy: c.sending?.value.by ?? null,
      sentAt: c.sending?.value.at ?? null,
    }))
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : 1));
  return {
    id: state.id,
    title: d.title,
    description: d.description,
    occurredAt: d.occurredAt,
    detectedAt: d.detectedAt,
    declaredAt: d.declaredAt,
    services: d.services,
    reporter: d.reporter,
    detectionSource: d.detectionSource,
    category: d.category,
    drill: d.drill,
    declaredBy: d.declaredBy,
    status: state.status?.value ?? 'declared',
    impact: severity.impact,
    urgency: severity.urgency,
    priority: priorityOf(severity.impact, severity.urgency),
    roles,
    tasks,
    comms,
    statusChanges: state.statusChanges,
    priorityChanges: state.priorityChanges,
    pauses: state.pauses,
    timezones: state.timezones?.value ?? [],
    breaches: { response: state.breaches?.response?.value ?? null, resolution: state.breaches?.resolution?.value ?? null },
    resolvedAlerts: Object.entries(state.alertResolutions ?? {}).map(([fingerprint, r]) => ({ fingerprint, endsAt: r.endsAt })),
    smes: Object.values(state.smes ?? {})
      .filter((r) => r.value.active)
      .map((r) => ({ person: r.value.person, speciality: r.value.speciality }))
      .sort((a, b) => a.person.localeCompare(b.person) || (a.person < b.person ? -1 : a.person > b.person ? 1 : 0)),
    ...viewHandoffs(state),
  };
}

export type { NoteKind };
