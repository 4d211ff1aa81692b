import type { Status } from '../record/events.js';
import type { CommsDraftView, IncidentView } from '../record/fold.js';
import type { Priority } from '../incidents/priority.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * How often one audience hears from us. A young incident moves fast, so updates come often;
 * past `longAfterMs` from declaration the rhythm slows down (a long incident changes less
 * per hour, and nobody reads an unchanged update every twenty minutes for a day).
 */
export interface AudienceCadence {
  /** First update due this long after declaration; null = no clock for the first one. */
  firstMs: number | null;
  /** Then one update every `everyMs` while the incident is younger than `longAfterMs`; null = no clock. */
  everyMs: number | null;
  /** The long-incident rhythm; null = no clock once the incident is long. */
  longEveryMs: number | null;
  longAfterMs: number;
}

export const BUILTIN_AUDIENCES = ['customers', 'internal', 'executives'] as const;
export type BuiltinAudience = (typeof BUILTIN_AUDIENCES)[number];

/** Common practice for a major incident: customers hear first and often, executives hourly. */
export const DEFAULT_CADENCES: Record<BuiltinAudience, AudienceCadence> = {
  customers: { firstMs: 5 * MIN, everyMs: 20 * MIN, longEveryMs: 60 * MIN, longAfterMs: 2 * HOUR },
  internal: { firstMs: 30 * MIN, everyMs: 30 * MIN, longEveryMs: 60 * MIN, longAfterMs: 2 * HOUR },
  executives: { firstMs: 60 * MIN, everyMs: 60 * MIN, longEveryMs: 120 * MIN, longAfterMs: 2 * HOUR },
};

/** An audience someone adds gets the internal rhythm until they change it. */
export const NEW_AUDIENCE_CADENCE: AudienceCadence = DEFAULT_CADENCES.internal;

/**
 * Priorities whose updates run on a clock. Below these, DOMAIN.md's rule applies: an update
 * at each status change, which no countdown can predict.
 */
export const CADENCE_PRIORITIES: readonly Priority[] = ['P1', 'P2'];

const RESOLVED: readonly Status[] = ['resolved', 'closed', 'reviewed'];
const FINISHED: readonly Status[] = ['closed', 'reviewed'];

export type AudienceClockPhase =
  /** No countdown at this priority, or the cadence has none: update at the next status change. */
  | 'at_change'
  /** Waiting for the first update. */
  | 'first'
  | 'regular'
  | 'long'
  /** The incident is resolved and this audience has been told since: nothing more is due. */
  | 'done';

export interface AudienceClock {
  audience: string;
  lastSentAt: number | null;
  /** When the next update is due; null when no countdown applies. */
  dueAt: number | null;
  overdue: boolean;
  /** Time left (negative once overdue); null without a countdown. */
  remainingMs: number | null;
  phase: AudienceClockPhase;
}

/** The interval that follows an update sent at `sentAt`: regular while the incident is young, long after. */
export function intervalAfter(cadence: AudienceCadence, declaredAt: number, sentAt: number): number | null {
  return sentAt - declaredAt >= cadence.longAfterMs ? cadence.longEveryMs : cadence.everyMs;
}

/**
 * When the next update to one audience is due, from the times updates were sent to it. The
 * rhythm is chosen by when the last one went out, so a promise made in an update ("next
 * update in 20 minutes") is the one the countdown keeps, even across the long-incident switch.
 */
export function nextDueAt(
  cadence: AudienceCadence,
  declaredAt: number,
  sentTimes: readonly number[],
): { dueAt: number | null; lastSentAt: number | null; phase: AudienceClockPhase } {
  const lastSentAt = sentTimes.length ? Math.max(...sentTimes) : null;
  if (lastSentAt === null) {
    return cadence.firstMs === null ? { dueAt: null, lastSentAt, phase: 'at_change' } : { dueAt: declaredAt + cadence.firstMs, lastSentAt, phase: 'first' };
  }
  const interval = intervalAfter(cadence, declaredAt, lastSentAt);
  if (interval === null) return { dueAt: null, lastSentAt, phase: 'at_change' };
  return { dueAt: lastSentAt + interval, lastSentAt, phase: lastSentAt - declaredAt >= cadence.longAfterMs ? 'long' : 'regular' };
}

/** Since when the incident stands resolved (the open spell, in causal order); null while it is not. */
export function resolvedSince(view: Pick<IncidentView, 'statusChanges'>): number | null {
  let since: number | null = null;
  for (const change of view.statusChanges) {
    if (RESOLVED.includes(change.value)) since = since === null ? change.at : Math.min(since, change.at);
    else since = null;
  }
  return since;
}

/** Times updates went out to `audience`, oldest first. */
export function sentTimes(comms: readonly CommsDraftView[], audience: string): number[] {
  return comms
    .filter((d) => d.audience === audience && d.state === 'sent' && d.sentAt !== null)
    .map((d) => d.sentAt!)
    .sort((a, b) => a - b);
}

/**
 * The countdown of one audience for an incident as it stands now. Once the incident is
 * resolved the audience is owed one last update (the resolution itself); closed or reviewed,
 * nothing more is due.
 */
export function audienceClock(
  view: Pick<IncidentView, 'priority' | 'declaredAt' | 'status' | 'statusChanges' | 'comms'>,
  audience: string,
  cadence: AudienceCadence,
  now: number,
): AudienceClock {
  const sent = sentTimes(view.comms, audience);
  const resolved = resolvedSince(view);
  const none = (phase: AudienceClockPhase): AudienceClock => ({
    audience,
    lastSentAt: sent.length ? sent[sent.length - 1]! : null,
    dueAt: null,
    overdue: false,
    remainingMs: null,
    phase,
  });
  if (FINISHED.includes(view.status)) return none('done');
  if (resolved !== null && sent.some((at) => at >= resolved)) return none('done');
  if (!CADENCE_PRIORITIES.includes(view.priority)) return none('at_change');
  const { dueAt, lastSentAt, phase } = nextDueAt(cadence, view.declaredAt, sent);
  if (dueAt === null) return none(phase);
  return { audience, lastSentAt, dueAt, overdue: now > dueAt, remainingMs: dueAt - now, phase };
}

/**
 * When the next update will be due if one goes out at `sendAt`: what a draft promises
 * ("next update at 14:40"). Null when no countdown applies (update at the next status change).
 */
export function promisedNextAt(view: Pick<IncidentView, 'priority' | 'declaredAt'>, cadence: AudienceCadence, sendAt: number): number | null {
  if (!CADENCE_PRIORITIES.includes(view.priority)) return null;
  const interval = intervalAfter(cadence, view.declaredAt, sendAt);
  return interval === null ? null : sendAt + interval;
}

/** The most pressing countdown first: overdue ones, then the soonest due; no-countdown audiences last. */
export function byUrgency(a: AudienceClock, b: AudienceClock): number {
  if (a.dueAt === null || b.dueAt === null) return (a.dueAt === null ? 1 : 0) - (b.dueAt === null ? 1 : 0);
  return a.dueAt - b.dueAt;
}
