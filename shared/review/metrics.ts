import { CADENCE_PRIORITIES, DEFAULT_CADENCES, NEW_AUDIENCE_CADENCE, intervalAfter, type AudienceCadence } from '../comms/cadence.js';
import type { EventEnvelope, Status } from '../record/events.js';
import type { Change, IncidentView } from '../record/fold.js';
import type { Priority } from '../incidents/priority.js';
import { slaClocks, type SlaClock, type SlaPolicy } from '../clocks/sla.js';

/**
 * Review metrics, computed from the record alone. Every figure names the events it was
 * computed from (so the review can point at them in the timeline), and where a timestamp is
 * missing or out of order it says so in `problems` and gives no figure rather than a guess.
 */

export const MILESTONES = ['occurred', 'detected', 'declared', 'responded', 'mitigated', 'resolved', 'closed'] as const;
export type Milestone = (typeof MILESTONES)[number];

export type MetricProblem =
  /** The milestone was never recorded. */
  | { code: 'missing'; milestone: Milestone }
  /** `milestone` is stamped earlier than `after`, which it cannot precede. */
  | { code: 'out_of_order'; milestone: Milestone; after: Milestone }
  /** Resolved, reopened, resolved again: measured to the last resolution. */
  | { code: 'reopened'; times: number }
  /** SLA targets follow the current priority, applied from declaration (the ITIL convention). */
  | { code: 'priority_changed'; priority: Priority }
  /** Best effort: the policy sets no target for this priority. */
  | { code: 'no_target'; priority: Priority }
  /** Recorded later than another change yet stamped earlier: the order in time and the order of record disagree. */
  | { code: 'backdated'; eventIds: string[] }
  /** A sent update stamped before the incident was declared. */
  | { code: 'before_declared'; eventIds: string[] }
  /** Not resolved yet: spells and cadence are counted up to `now`. */
  | { code: 'still_open' };

export interface MilestoneMark {
  milestone: Milestone;
  at: number | null;
  /** The event that recorded it (the declaration for occurred, detected and declared). */
  eventId: string | null;
}

export interface DurationMetric {
  from: Milestone;
  to: Milestone;
  ms: number | null;
  eventIds: string[];
  problems: MetricProblem[];
}

export type SlaOutcome = 'met' | 'breached' | 'open' | 'no_target' | 'unknown';

export interface SlaMetric {
  priority: Priority;
  targetMs: number | null;
  /** Active time counted against the target (pauses excluded); null when it cannot be known. */
  elapsedMs: number | null;
  outcome: SlaOutcome;
  /** target − elapsed: positive = met with that much to spare, negative = breached by that much. */
  marginMs: number | null;
  deadline: number | null;
  eventIds: string[];
  problems: MetricProblem[];
}

export interface SentUpdate {
  at: number;
  eventId: string;
  channel: string;
}

export interface CadenceMiss {
  /** The last update (or the declaration) before the gap. */
  from: number;
  /** The next update, or the end of the period when none came. */
  to: number;
  gapMs: number;
  limitMs: number;
  /** The late update; null when the period ended without one. */
  eventId: string | null;
}

export interface AudienceUpdates {
  audience: string;
  sent: SentUpdate[];
  /** Deadlines that fell before resolution; kept = an update came in time. */
  cadence: { due: number; kept: number; misses: CadenceMiss[] };
  eventIds: string[];
  problems: MetricProblem[];
}

export interface PrioritySpell {
  priority: Priority;
  from: number;
  to: number;
  eventId: string;
}

export interface PriorityTime {
  priority: Priority;
  ms: number;
  eventIds: string[];
}

export interface PauseSpell {
  from: number;
  /** Null while still paused. */
  to: number | null;
  reason: string;
  eventIds: string[];
}

export interface IncidentMetrics {
  milestones: Record<Milestone, MilestoneMark>;
  /** When the measured period ends: the last resolution, or `now` while the incident is open. */
  end: number;
  timeToDetect: DurationMetric;
  timeToRespond: DurationMetric;
  timeToMitigate: DurationMetric;
  timeToResolve: DurationMetric;
  sla: { response: SlaMetric; resolution: SlaMetric };
  updates: AudienceUpdates[];
  priority: { spells: PrioritySpell[]; totals: PriorityTime[]; eventIds: string[]; problems: MetricProblem[] };
  pauses: PauseSpell[];
  /** Time the SLA clocks stood paused between declaration and resolution. */
  pausedMs: number;
}

/** The rhythm promised to an audience (shared/comms/cadence.ts); teams may configure their own. */
export type CadenceOf = (audience: string) => AudienceCadence;

export const defaultCadenceOf: CadenceOf = (audience) =>
  Object.prototype.hasOwnProperty.call(DEFAULT_CADENCES, audience) ? DEFAULT_CADENCES[audience as keyof typeof DEFAULT_CADENCES] : NEW_AUDIENCE_CADENCE;

export interface MetricsOptions {
  policy: SlaPolicy;
  /** The review's "now": only matters for an incident that is still open. */
  now: number;
  cadence?: CadenceOf;
}

const RESPONDED: readonly Status[] = ['investigating', 'mitigated', 'resolved', 'closed', 'reviewed'];
const RESOLVED: readonly Status[] = ['resolved', 'closed', 'reviewed'];

/** The earliest-stamped change among those matching, ties by record order. */
function earliest<T>(changes: readonly Change<T>[], match: (value: T) => boolean): Change<T> | null {
  let best: Change<T> | null = null;
  for (const c of changes) if (match(c.value) && (best === null || c.at < best.at)) best = c;
  return best;
}

/**
 * Spells the incident stood resolved, read in record (HLC) order like the SLA clock does:
 * a later non-resolved status reopens it. The final spell, if still open, is the resolution.
 */
function resolution(changes: readonly Change<Status>[]): { final: Change<Status>[] | null; reopened: number } {
  let spell: Change<Status>[] | null = null;
  let spells = 0;
  for (const c of changes) {
    if (RESOLVED.includes(c.value)) {
      if (spell === null) {
        spell = [];
        spells++;
      }
      spell.push(c);
    } else spell = null;
  }
  return { final: spell, reopened: spell === null ? spells : spells - 1 };
}

function mark(milestone: Milestone, change: { at: number; eventId: string } | null): MilestoneMark {
  return { milestone, at: change?.at ?? null, eventId: change?.eventId ?? null };
}

/** The declaration that won (highest HLC), so occurred/detected/declared link to it. */
function declarationId(events: readonly EventEnvelope[]): string | null {
  let best: EventEnvelope | null = null;
  for (const e of events) if (e.kind === 'incident.declared' && (best === null || e.hlc > best.hlc)) best = e;
  return best?.id ?? null;
}

export function milestonesOf(view: IncidentView, events: readonly EventEnvelope[]): { marks: Record<Milestone, MilestoneMark>; reopened: number } {
  const declared = declarationId(events);
  const { final, reopened } = resolution(view.statusChanges);
  const resolvedAt = final ? earliest(final, () => true) : null;
  const closedAt = final ? earliest(final, (s) => s === 'closed' || s === 'reviewed') : null;
  const marks: Record<Milestone, MilestoneMark> = {
    occurred: { milestone: 'occurred', at: view.occurredAt, eventId: declared },
    detected: { milestone: 'detected', at: view.detectedAt, eventId: declared },
    declared: { milestone: 'declared', at: view.declaredAt, eventId: declared },
    responded: mark(
      'responded',
      earliest(view.statusChanges, (s) => RESPONDED.includes(s)),
    ),
    mitigated: mark(
      'mitigated',
      earliest(view.statusChanges, (s) => s === 'mitigated'),
    ),
    resolved: mark('resolved', resolvedAt),
    closed: mark('closed', closedAt),
  };
  return { marks, reopened };
}

function ids(...values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

function duration(from: MilestoneMark, to: MilestoneMark, extra: MetricProblem[] = []): DurationMetric {
  const problems: MetricProblem[] = [];
  if (from.at === null) problems.push({ code: 'missing', milestone: from.milestone });
  if (to.at === null) problems.push({ code: 'missing', milestone: to.milestone });
  let ms: number | null = null;
  if (from.at !== null && to.at !== null) {
    if (to.at < from.at) problems.push({ code: 'out_of_order', milestone: to.milestone, after: from.milestone });
    else ms = to.at - from.at;
  }
  return { from: from.milestone, to: to.milestone, ms, eventIds: ids(from.eventId, to.eventId), problems: [...problems, ...extra] };
}

function slaMetric(view: IncidentView, clock: SlaClock, start: MilestoneMark, stop: MilestoneMark, pauseIds: string[], priorityIds: string[]): SlaMetric {
  const problems: MetricProblem[] = [];
  const distinct = new Set(view.priorityChanges.map((c) => c.value));
  if (distinct.size > 1) problems.push({ code: 'priority_changed', priority: view.priority });
  let outcome: SlaOutcome;
  let elapsedMs: number | null = clock.elapsedMs;
  if (clock.targetMs === null) {
    problems.push({ code: 'no_target', priority: view.priority });
    outcome = 'no_target';
  } else if (stop.at !== null && start.at !== null && stop.at < start.at) {
    // The clock would read zero and call it met: that is a guess, not a measurement.
    problems.push({ code: 'out_of_order', milestone: stop.milestone, after: start.milestone });
    outcome = 'unknown';
    elapsedMs = null;
  } else if (clock.breached) outcome = 'breached';
  else if (stop.at !== null) outcome = 'met';
  else outcome = 'open';
  if (stop.at === null) problems.push({ code: 'missing', milestone: stop.milestone });
  return {
    priority: view.priority,
    targetMs: clock.targetMs,
    elapsedMs,
    outcome,
    marginMs: clock.targetMs !== null && elapsedMs !== null ? clock.targetMs - elapsedMs : null,
    deadline: clock.deadline,
    eventIds: ids(start.eventId, stop.eventId, ...pauseIds, ...(distinct.size > 1 ? priorityIds : [])),
    problems,
  };
}

/** Which comms.sent event carried each draft out: the first stamp is the fact, as in the fold. */
function sendEvents(events: readonly EventEnvelope[]): Map<string, EventEnvelope> {
  const byDraft = new Map<string, EventEnvelope>();
  for (const e of events) {
    if (e.kind !== 'comms.sent') continue;
    const draftId = e.payload['draftId'];
    if (typeof draftId !== 'string') continue;
    const current = byDraft.get(draftId);
    if (!current || e.hlc < current.hlc) byDraft.set(draftId, e);
  }
  return byDraft;
}

interface Span {
  from: number;
  to: number;
}

/** When updates ran on a clock: the spells at a priority that has a cadence, adjacent ones merged. */
function cadenceWindows(spells: readonly PrioritySpell[]): Span[] {
  const out: Span[] = [];
  for (const s of spells) {
    if (!CADENCE_PRIORITIES.includes(s.priority)) continue;
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ from: s.from, to: s.to });
  }
  return out;
}

/**
 * Whether an update was overdue between `from` and `to`, given the interval promised then.
 * Only time spent at a priority with a cadence counts; raising the priority into one starts
 * the clock afresh, since that is when the promise was made. Null when no clock ran at all.
 */
function overdue(windows: readonly Span[], from: number, to: number, limit: number | null): { limit: number; late: boolean } | null {
  if (limit === null) return null;
  let ran = false;
  for (const w of windows) {
    const start = Math.max(from, w.from);
    const stop = Math.min(to, w.to);
    if (stop <= start) continue;
    if (start + limit < stop) return { limit, late: true };
    ran = true;
  }
  return ran ? { limit, late: false } : null;
}

function updatesOf(
  view: IncidentView,
  events: readonly EventEnvelope[],
  spells: readonly PrioritySpell[],
  end: number,
  open: boolean,
  cadenceOf: CadenceOf,
): AudienceUpdates[] {
  const windows = cadenceWindows(spells);
  const sent = sendEvents(events);
  // An audience someone wrote to counts even if nothing reached it: that is a cadence missed.
  const byAudience = new Map<string, SentUpdate[]>();
  for (const draft of view.comms) {
    if (!byAudience.has(draft.audience)) byAudience.set(draft.audience, []);
    if (draft.sentAt === null) continue;
    const event = sent.get(draft.id);
    if (!event) continue;
    byAudience.get(draft.audience)!.push({ at: draft.sentAt, eventId: event.id, channel: draft.channel });
  }
  const out: AudienceUpdates[] = [];
  for (const [audience, list] of byAudience) {
    list.sort((a, b) => a.at - b.at || (a.eventId < b.eventId ? -1 : 1));
    const problems: MetricProblem[] = [];
    const early = list.filter((u) => u.at < view.declaredAt);
    if (early.length) problems.push({ code: 'before_declared', eventIds: early.map((u) => u.eventId) });
    if (open) problems.push({ code: 'still_open' });
    const misses: CadenceMiss[] = [];
    const cadence = cadenceOf(audience);
    let kept = 0;
    let last = view.declaredAt;
    let sentBefore = false;
    const check = (to: number, eventId: string | null) => {
      const limit = sentBefore ? intervalAfter(cadence, view.declaredAt, last) : cadence.firstMs;
      const due = overdue(windows, last, to, limit);
      if (due?.late) misses.push({ from: last, to, gapMs: to - last, limitMs: due.limit, eventId });
      else if (due && eventId !== null) kept++;
      last = Math.max(last, to);
      sentBefore = true;
    };
    for (const u of list) if (u.at >= view.declaredAt && u.at <= end) check(u.at, u.eventId);
    check(end, null);
    out.push({
      audience,
      sent: list,
      cadence: { due: kept + misses.length, kept, misses },
      eventIds: list.map((u) => u.eventId),
      problems,
    });
  }
  const firstAt = (u: AudienceUpdates) => u.sent[0]?.at ?? Infinity;
  return out.sort((a, b) => firstAt(a) - firstAt(b) || a.audience.localeCompare(b.audience));
}

function priorityTimes(view: IncidentView, end: number, open: boolean): IncidentMetrics['priority'] {
  const problems: MetricProblem[] = [];
  const inRecordOrder = view.priorityChanges;
  const backdated: string[] = [];
  let latest = -Infinity;
  for (const c of inRecordOrder) {
    if (c.at < latest) backdated.push(c.eventId);
    latest = Math.max(latest, c.at);
  }
  if (backdated.length) problems.push({ code: 'backdated', eventIds: backdated });
  if (open) problems.push({ code: 'still_open' });
  // Time is spent in time order, whatever order the changes were recorded in.
  const inTime = [...inRecordOrder].sort((a, b) => a.at - b.at || (a.hlc < b.hlc ? -1 : 1));
  const spells: PrioritySpell[] = inTime.map((c, i) => ({
    priority: c.value,
    from: c.at,
    to: Math.max(c.at, Math.min(end, inTime[i + 1]?.at ?? end)),
    eventId: c.eventId,
  }));
  const totals = new Map<Priority, PriorityTime>();
  for (const s of spells) {
    const t = totals.get(s.priority) ?? { priority: s.priority, ms: 0, eventIds: [] };
    t.ms += s.to - s.from;
    t.eventIds.push(s.eventId);
    totals.set(s.priority, t);
  }
  return {
    spells,
    totals: [...totals.values()].sort((a, b) => a.priority.localeCompare(b.priority)),
    eventIds: inRecordOrder.map((c) => c.eventId),
    problems,
  };
}

/** Pause spells read in record order, as the SLA clock reads them (a second pause or a stray resume is ignored). */
function pausesOf(view: IncidentView): PauseSpell[] {
  const out: PauseSpell[] = [];
  let open: PauseSpell | null = null;
  for (const m of view.pauses) {
    if (m.paused && open === null) {
      open = { from: m.at, to: null, reason: m.reason, eventIds: [m.eventId] };
      out.push(open);
    } else if (!m.paused && open !== null) {
      open.to = m.at;
      open.eventIds.push(m.eventId);
      open = null;
    }
  }
  return out;
}

export function computeMetrics(view: IncidentView, events: readonly EventEnvelope[], options: MetricsOptions): IncidentMetrics {
  const { marks, reopened } = milestonesOf(view, events);
  const open = marks.resolved.at === null;
  const end = marks.resolved.at ?? options.now;
  const priority = priorityTimes(view, end, open);
  const clocks = slaClocks(view, options.policy, options.now);
  const pauseIds = options.policy[view.priority].pausable ? view.pauses.map((p) => p.eventId) : [];
  const reopenedProblem: MetricProblem[] = reopened > 0 ? [{ code: 'reopened', times: reopened }] : [];
  return {
    milestones: marks,
    end,
    timeToDetect: duration(marks.occurred, marks.detected),
    timeToRespond: duration(marks.declared, marks.responded),
    timeToMitigate: duration(marks.detected, marks.mitigated),
    timeToResolve: duration(marks.detected, marks.resolved, reopenedProblem),
    sla: {
      response: slaMetric(view, clocks.response, marks.declared, marks.responded, pauseIds, priority.eventIds),
      resolution: slaMetric(view, clocks.resolution, marks.declared, marks.resolved, pauseIds, priority.eventIds),
    },
    updates: updatesOf(view, events, priority.spells, end, open, options.cadence ?? defaultCadenceOf),
    priority,
    pauses: pausesOf(view),
    pausedMs: clocks.pausedMs,
  };
}
