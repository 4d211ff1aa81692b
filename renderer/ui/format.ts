import { format, isSameDay, isSameYear, parse } from 'date-fns';
import type { Locale } from 'date-fns';
import { TASK_STATUSES, type TaskStatus } from '../../shared/record/events.js';
import type { SlaClock } from '../../shared/clocks/sla.js';

const SECOND = 1000;

/** A duration as whole days plus a zero-padded hh:mm:ss, e.g. 93_784_000 → { days: 1, hms: '02:03:04' }. */
export function splitDuration(ms: number): { days: number; hms: string } {
  const total = Math.floor(Math.max(0, ms) / SECOND);
  const days = Math.floor(total / 86_400);
  const rest = total - days * 86_400;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { days, hms: `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}` };
}

/** Timeline time: the clock time alone for today, with the date otherwise (a long incident crosses midnight). */
export function entryTime(at: number, now: number, locale: Locale): string {
  if (isSameDay(at, now)) return format(at, 'HH:mm:ss', { locale });
  if (isSameYear(at, now)) return format(at, 'd MMM HH:mm:ss', { locale });
  return format(at, 'd MMM yyyy HH:mm:ss', { locale });
}

export function shortTime(at: number, now: number, locale: Locale): string {
  return isSameDay(at, now) ? format(at, 'HH:mm', { locale }) : format(at, 'd MMM HH:mm', { locale });
}

/** Where room is short (the header's sync state): the time today, the day alone before today (the whole time is in its tooltip). */
export function timeOrDay(at: number, now: number, locale: Locale): string {
  return isSameDay(at, now) ? format(at, 'HH:mm', { locale }) : format(at, 'd MMM', { locale });
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 6 * DAY_MS;

/**
 * A deadline in a narrow place (the header's SLA clocks, beside the time left or overdue): the time
 * alone within a day either way (the next or the last 00:17), the weekday with the time within the
 * week ("ven. 00:17"), else the date. An evening P1's four-hour deadline falls after midnight:
 * "échéance 4 déc. 00:17" put the French clocks, in large type at 1366 px, on a line of their own.
 */
export function deadlineTime(at: number, now: number, locale: Locale): string {
  const away = Math.abs(at - now);
  if (isSameDay(at, now) || away < DAY_MS) return format(at, 'HH:mm', { locale });
  return away < WEEK_MS ? format(at, 'EEE HH:mm', { locale }) : format(at, 'd MMM HH:mm', { locale });
}

const LOCAL_INPUT = "yyyy-MM-dd'T'HH:mm";

/** Value for <input type="datetime-local">, which shows and returns the user's local wall time. */
export function toLocalInput(at: number): string {
  return format(at, LOCAL_INPUT);
}

/** Back to UTC milliseconds; null when the field is empty or not a date. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const parsed = parse(value, LOCAL_INPUT, new Date());
  const ms = parsed.getTime();
  return Number.isNaN(ms) ? null : ms;
}

export function splitServices(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The column a task moves to; null at either edge of the board. */
export function neighbourColumn(status: TaskStatus, direction: -1 | 1): TaskStatus | null {
  return TASK_STATUSES[TASK_STATUSES.indexOf(status) + direction] ?? null;
}

export type ClockTone = 'ok' | 'warning' | 'breached' | 'met' | 'none' | 'paused';

/** What an SLA clock says, before translation: which sentence, which colour, and the time in it. */
export function describeClock(clock: SlaClock): { key: 'left' | 'breachedBy' | 'met' | 'bestEffort' | 'paused'; ms: number; tone: ClockTone } {
  if (clock.phase === 'none' || clock.targetMs === null || clock.remainingMs === null) return { key: 'bestEffort', ms: 0, tone: 'none' };
  if (clock.breached) return { key: 'breachedBy', ms: clock.elapsedMs - clock.targetMs, tone: 'breached' };
  if (clock.phase === 'met') return { key: 'met', ms: clock.elapsedMs, tone: 'met' };
  if (clock.phase === 'paused') return { key: 'paused', ms: clock.remainingMs, tone: 'paused' };
  return { key: 'left', ms: clock.remainingMs, tone: clock.warning ? 'warning' : 'ok' };
}
