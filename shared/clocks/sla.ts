import type { IncidentView, PauseMark } from '../record/fold.js';
import type { Priority } from '../incidents/priority.js';
import type { Status } from '../record/events.js';

export interface SlaTarget {
  /** Time from declaration to first response; null = best effort. */
  responseMs: number | null;
  /** Time from declaration to resolution; null = best effort. */
  resolutionMs: number | null;
  /** Whether the clocks may be paused (waiting on a supplier or a customer). */
  pausable: boolean;
}
export type SlaPolicy = Record<Priority, SlaTarget>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Defaults from DOMAIN.md; teams configure their own. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  P1: { responseMs: 15 * MIN, resolutionMs: 4 * HOUR, pausable: true },
  P2: { responseMs: 30 * MIN, resolutionMs: 8 * HOUR, pausable: true },
  P3: { responseMs: 4 * HOUR, resolutionMs: 3 * DAY, pausable: true },
  P4: { responseMs: DAY, resolutionMs: 5 * DAY, pausable: true },
  P5: { responseMs: null, resolutionMs: null, pausable: true },
};

/** Share of the target after which a clock turns amber. */
export const SLA_WARNING_FRACTION = 0.75;

const RESPONDED: readonly Status[] = ['investigating', 'mitigated', 'resolved', 'closed', 'reviewed'];
const RESOLVED: readonly Status[] = ['resolved', 'closed', 'reviewed'];

export type ClockPhase = 'none' | 'running' | 'paused' | 'met' | 'breached';

export interface SlaClock {
  targetMs: number | null;
  /** Active (unpaused) time counted against the target. */
  elapsedMs: number;
  remainingMs: number | null;
  /** elapsed / target, for colouring; null without a target. */
  fraction: number | null;
  warning: boolean;
  breached: boolean;
  /** Wall-clock moment the target was (or will be, if nothing pauses) exceeded. */
  deadline: number | null;
  /** When the clock stopped (response given, incident resolved); null while running. */
  stoppedAt: number | null;
  phase: ClockPhase;
}

export interface SlaClocks {
  sinceDeclaredMs: number;
  pausedMs: number;
  paused: boolean;
  pauseReason: string | null;
  response: SlaClock;
  resolution: SlaClock;
}

interface Interval {
  start: number;
  end: number;
}

/**
 * Sorted, non-overlapping cover of the given intervals. Occurred-at times are editable, so a
 * backdated pause can start inside an earlier one; without merging, the shared minutes would
 * be subtracted twice.
 */
function merged(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/**
 * Pause intervals (sorted, non-overlapping), read in causal order; a resume without a pause,
 * or a second pause, is ignored.
 */
export function pauseIntervals(marks: readonly PauseMark[], now: number): { intervals: Interval[]; openReason: string | null } {
  const intervals: Interval[] = [];
  let openAt: number | null = null;
  let openReason: string | null = null;
  for (const mark of marks) {
    if (mark.paused && openAt === null) {
      openAt = mark.at;
      openReason = mark.reason;
    } else if (!mark.paused && openAt !== null) {
      if (mark.at > openAt) intervals.push({ start: openAt, end: mark.at });
      openAt = null;
      openReason = null;
    }
  }
  if (openAt !== null && now > openAt) intervals.push({ start: openAt, end: now });
  return { intervals: merged(intervals), openReason: openAt !== null ? openReason : null };
}

function overlap(intervals: readonly Interval[], start: number, end: number): number {
  let total = 0;
  for (const i of intervals) total += Math.max(0, Math.min(end, i.end) - Math.max(start, i.start));
  return total;
}

/** Wall time at which `budget` ms of active time since `start` is used up, skipping the (merged) intervals. */
function deadlineOf(intervals: readonly Interval[], start: number, budget: number): number {
  let deadline = start + budget;
  for (const i of intervals) {
    if (i.start >= deadline) break;
    deadline += Math.max(0, i.end - Math.max(i.start, start));
  }
  return deadline;
}

function firstResponseAt(view: IncidentView): number | null {
  const times = view.statusChanges.filter((c) => RESPONDED.includes(c.value)).map((c) => c.at);
  return times.length ? Math.min(...times) : null;
}

/**
 * Spells the incident stood resolved, in causal order. The open one (if the latest status is
 * resolved) stops the resolution clock; closed ones are spells before a reopen, which the
 * clock skips like a pause, so a reopened incident's clock carries on from where it stopped.
 */
function resolvedSpells(view: IncidentView): { before: Interval[]; since: number | null } {
  const before: Interval[] = [];
  let since: number | null = null;
  for (const change of view.statusChanges) {
    if (RESOLVED.includes(change.value)) since = since === null ? change.at : Math.min(since, change.at);
    else if (since !== null) {
      if (change.at > since) before.push({ start: since, end: change.at });
      since = null;
    }
  }
  return { before, since };
}

function clock(start: number, stop: number | null, targetMs: number | null, intervals: readonly Interval[], now: number, paused: boolean): SlaClock {
  // A stop stamped ahead of this machine's clock (skew between laptops) counts no further than now.
  const end = Math.max(start, stop === null ? now : Math.min(stop, now));
  const elapsedMs = end - start - overlap(intervals, start, end);
  if (targetMs === null) {
    return { targetMs, elapsedMs, remainingMs: null, fraction: null, warning: false, breached: false, deadline: null, stoppedAt: stop, phase: 'none' };
  }
  const breached = elapsedMs > targetMs;
  const fraction = targetMs === 0 ? (elapsedMs > 0 ? Infinity : 0) : elapsedMs / targetMs;
  const phase: ClockPhase = breached ? 'breached' : stop !== null ? 'met' : paused ? 'paused' : 'running';
  return {
    targetMs,
    elapsedMs,
    remainingMs: targetMs - elapsedMs,
    fraction,
    warning: !breached && stop === null && fraction >= SLA_WARNING_FRACTION,
    breached,
    deadline: deadlineOf(intervals, start, targetMs),
    stoppedAt: stop,
    phase,
  };
}

/**
 * The clocks on the wall, as a pure function of the record, the policy and the time now.
 * Targets follow the incident's current priority and are measured from declaration, so
 * raising the priority mid-way tightens the target retroactively (the ITIL convention).
 */
export function slaClocks(view: IncidentView, policy: SlaPolicy, now: number): SlaClocks {
  const target = policy[view.priority];
  const start = view.declaredAt;
  const { intervals, openReason } = target.pausable ? pauseIntervals(view.pauses, now) : { intervals: [], openReason: null };
  const resolved = resolvedSpells(view);
  const responseStop = firstResponseAt(view);
  const paused = openReason !== null && resolved.since === null;
  const end = Math.max(start, resolved.since ?? now);
  return {
    sinceDeclaredMs: Math.max(0, now - start),
    pausedMs: overlap(intervals, start, end),
    paused,
    pauseReason: paused ? openReason : null,
    response: clock(start, responseStop, target.responseMs, intervals, now, paused),
    resolution: clock(start, resolved.since, target.resolutionMs, merged([...intervals, ...resolved.before]), now, paused),
  };
}
