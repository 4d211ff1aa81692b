import { parseDuration } from './duration.js';

/**
 * A moment typed by a person ("14:32", "14h32", "-5m", "now", "in 10 min", "2026-03-14 17:00"),
 * read by the core (issue #10, item 3: the core decides what time it is): against the core's own
 * clock and in its time zone, never the window's. A wall time that the zone's clock shows twice
 * (the hour repeated when summer time ends) or never (the hour skipped when it starts) is not
 * guessed: it is refused with its reason, for the person to type it otherwise ("-20m", or the
 * other side of the change).
 */
export type TypedTime = { ok: true; at: number } | { ok: false; reason: TypedTimeRefusal };
export type TypedTimeRefusal = 'unreadable_time' | 'ambiguous_time' | 'skipped_time' | 'time_not_ahead' | 'time_not_past';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const CLOCK = /^(\d{1,2})[:h](\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2})[:h](\d{2}))?$/;

interface Wall {
  year: number;
  /** 0-based, as Date.UTC takes it. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** What the zone's clock shows at `at`. */
export function wallOf(at: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts['year']!,
    month: parts['month']! - 1,
    day: parts['day']!,
    hour: parts['hour']! % 24,
    minute: parts['minute']!,
    second: parts['second']!,
  };
}

const naiveUtc = (w: Wall) => Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `at`, in ms (whole seconds). */
function offsetAt(at: number, timeZone: string): number {
  return naiveUtc(wallOf(at, timeZone)) - Math.floor(at / 1000) * 1000;
}

/** Every instant at which the zone's clock shows `wall`: one, two in a repeated hour, none in a skipped one. */
export function instantsOf(wall: Wall, timeZone: string): number[] {
  const naive = naiveUtc(wall);
  const offsets = new Set([offsetAt(naive - DAY_MS, timeZone), offsetAt(naive, timeZone), offsetAt(naive + DAY_MS, timeZone)]);
  const shown = (at: number) => {
    const w = wallOf(at, timeZone);
    return w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute && w.second === wall.second;
  };
  return [...new Set([...offsets].map((offset) => naive - offset))].filter(shown).sort((a, b) => a - b);
}

/** The calendar day `days` after the one `wall` is on (whatever the zone does with its clocks). */
function dayAfter(wall: Wall, days: number): Wall {
  const d = new Date(Date.UTC(wall.year, wall.month, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
}

function one(wall: Wall, timeZone: string): TypedTime {
  const found = instantsOf(wall, timeZone);
  if (found.length === 0) return { ok: false, reason: 'skipped_time' };
  if (found.length > 1) return { ok: false, reason: 'ambiguous_time' };
  return { ok: true, at: found[0]! };
}

function clockOf(text: string): Pick<Wall, 'hour' | 'minute' | 'second'> | null {
  const clock = CLOCK.exec(text);
  if (!clock) return null;
  const [hour, minute, second] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
  return hour > 23 || minute > 59 || second > 59 ? null : { hour, minute, second };
}

/** "2026-03-14" with an optional "17:00" (or "T17:00", as a date-time field gives it); null when not a real date. */
function dateOf(text: string): { wall: Wall; timed: boolean } | null {
  const date = DATE.exec(text);
  if (!date) return null;
  const [year, month, day] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
  const timed = date[4] !== undefined;
  const [hour, minute] = timed ? [Number(date[4]), Number(date[5])] : [23, 59];
  if (hour > 23 || minute > 59) return null;
  // A date that does not exist (2026-02-31) is a typo, not the 3rd of March.
  const check = new Date(Date.UTC(year, month, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return null;
  return { wall: { year, month, day, hour, minute, second: 0 }, timed };
}

/**
 * When something happened: "now", "-5m" (that long ago), a clock time ("14:32", "14:32:05"):
 * today in the core's zone, or yesterday when today's is still to come (a minute's grace: "14:32"
 * typed at 14:31:40 means this minute), or a date and time ("2026-03-14 17:00", as the declaration
 * form's date-time fields give it), which must not be to come.
 */
export function resolvePastTime(input: string, now: number, timeZone: string): TypedTime {
  const text = input.trim().toLowerCase();
  if (text === 'now' || text === 'maintenant') return { ok: true, at: now };
  if (text.startsWith('-')) {
    const ms = parseDuration(text.slice(1));
    return ms === null ? { ok: false, reason: 'unreadable_time' } : { ok: true, at: now - ms };
  }
  const dated = dateOf(text);
  if (dated) {
    if (!dated.timed) return { ok: false, reason: 'unreadable_time' };
    const resolved = one(dated.wall, timeZone);
    return !resolved.ok || resolved.at <= now + MINUTE_MS ? resolved : { ok: false, reason: 'time_not_past' };
  }
  const clock = clockOf(text);
  if (!clock) return { ok: false, reason: 'unreadable_time' };
  const today = { ...wallOf(now, timeZone), ...clock };
  const candidates = instantsOf(today, timeZone);
  // Today's is still to come (beyond the grace): it was yesterday's.
  const wall = candidates.length > 0 && candidates.every((at) => at > now + MINUTE_MS) ? dayAfter(today, -1) : today;
  return one(wall, timeZone);
}

/**
 * A moment to come: a clock time (the next time the core's zone shows it), a date (the end of
 * that day) or a date and time. Delays are not read here: "in 5 min" is counted by the core on its
 * clock without any zone (shared/time/duration.ts).
 */
export function resolveFutureTime(input: string, now: number, timeZone: string, maxAheadMs: number): TypedTime {
  const text = input.trim().toLowerCase();
  const clock = clockOf(text);
  if (clock) {
    const today = { ...wallOf(now, timeZone), ...clock };
    const candidates = instantsOf(today, timeZone);
    const wall = candidates.length > 0 && candidates.every((at) => at <= now) ? dayAfter(today, 1) : today;
    return one(wall, timeZone);
  }
  const dated = dateOf(text);
  if (!dated) return { ok: false, reason: 'unreadable_time' };
  const resolved = one(dated.wall, timeZone);
  if (!resolved.ok) return resolved;
  return resolved.at > now && resolved.at - now <= maxAheadMs ? resolved : { ok: false, reason: 'time_not_ahead' };
}
