import type { TaskKind } from '../record/events.js';
import type { TaskView } from '../record/fold.js';
import { MAX_DURATION_MS, parseDuration } from '../time/duration.js';

/**
 * Pure task maths: what is overdue, who owes the commander an answer, when a snoozed
 * check-back comes back, and what "in 5m" or "14:32" means. Every function takes `now`,
 * so the UI and the tests decide what time it is.
 */

export const MINUTE_MS = 60_000;
/** One key press on an expired check-back gives the owner this much more time. */
export const SNOOZE_MS = 5 * MINUTE_MS;

type Timed = Pick<TaskView, 'status' | 'dueAt' | 'checkBackAt'>;

/** A done task owes nobody anything, whatever its dates say. */
export function isOpen(task: Pick<TaskView, 'status'>): boolean {
  return task.status !== 'done';
}

/** How late the check-back is (0 at the very moment it runs out); null when none is due. */
export function checkBackLateBy(task: Timed, now: number): number | null {
  if (!isOpen(task) || task.checkBackAt === null || task.checkBackAt > now) return null;
  return now - task.checkBackAt;
}

export function dueLateBy(task: Timed, now: number): number | null {
  if (!isOpen(task) || task.dueAt === null || task.dueAt > now) return null;
  return now - task.dueAt;
}

/** Overdue when its due time or its check-back has passed while it is still open; by the larger lateness. */
export function overdueBy(task: Timed, now: number): number | null {
  const late = [checkBackLateBy(task, now), dueLateBy(task, now)].filter((x): x is number => x !== null);
  return late.length ? Math.max(...late) : null;
}

export function isOverdue(task: Timed, now: number): boolean {
  return overdueBy(task, now) !== null;
}

export interface OwedEntry {
  taskId: string;
  title: string;
  owner: string;
  /** Who asked to be told back (the actor who set the check-back). */
  owedTo: string | null;
  checkBackAt: number;
  lateByMs: number;
}

/** Every expired check-back on an open task, the longest-waiting first: who owes what. */
export function owedToYou(tasks: readonly TaskView[], now: number): OwedEntry[] {
  const owed: OwedEntry[] = [];
  for (const task of tasks) {
    const late = checkBackLateBy(task, now);
    if (late === null || task.checkBackAt === null) continue;
    owed.push({ taskId: task.id, title: task.title, owner: task.owner, owedTo: task.checkBackBy, checkBackAt: task.checkBackAt, lateByMs: late });
  }
  return owed.sort((a, b) => b.lateByMs - a.lateByMs || (a.taskId < b.taskId ? -1 : 1));
}

/** The next expiry still to come, for a countdown; null when nothing is pending. */
export function nextCheckBack(tasks: readonly TaskView[], now: number): TaskView | null {
  let next: TaskView | null = null;
  for (const task of tasks) {
    if (!isOpen(task) || task.checkBackAt === null || task.checkBackAt <= now) continue;
    if (!next || task.checkBackAt < next.checkBackAt!) next = task;
  }
  return next;
}

/**
 * Snooze or extend: an expired check-back comes back `byMs` from now; one still running is
 * pushed `byMs` further, so pressing + twice gives ten more minutes rather than five.
 */
export function snoozeCheckBack(checkBackAt: number | null, now: number, byMs: number = SNOOZE_MS): number {
  return Math.max(now, checkBackAt ?? now) + byMs;
}

export function tasksOfKind<T extends Pick<TaskView, 'kind'>>(tasks: readonly T[], kind: TaskKind): T[] {
  return tasks.filter((task) => task.kind === kind);
}

/** Distinct non-empty owners, sorted for a filter list. */
export function ownersOf(tasks: readonly Pick<TaskView, 'owner'>[]): string[] {
  return [...new Set(tasks.map((t) => t.owner).filter((o) => o.length > 0))].sort((a, b) => a.localeCompare(b));
}

/** "in 5 min", "dans 5 min", "+5m", "5": a delay from now in the one duration grammar (shared/time/duration.ts), or null. */
export function parseDelay(input: string): number | null {
  const text = input
    .trim()
    .toLowerCase()
    .replace(/^(in|dans)\s+/, '')
    .replace(/^\+\s*/, '');
  // "14h32" is the French way of writing a clock time, not ninety-odd minutes.
  if (CLOCK_TIME.test(text)) return null;
  return parseDuration(text);
}

const CLOCK_TIME = /^(\d{1,2})[:h](\d{2})$/;

/**
 * A future moment typed by a person on a bridge call, in local time: a delay (`parseDelay`:
 * "5m", "5" (minutes), "90s", "1h 30", "2d" / "2j", "in 10 min", "+15m"); "14:32" or "14h32"
 * (a clock time, the next time the clock shows it); "2026-03-14" (end of that day);
 * "2026-03-14 17:00". Null when it is not one of these, or not in the future.
 */
export function parseWhen(input: string, now: number): number | null {
  const text = input.trim().toLowerCase();
  if (!text) return null;

  const clock = CLOCK_TIME.exec(text);
  if (clock) {
    const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
    if (hours > 23 || minutes > 59) return null;
    const at = new Date(now);
    at.setHours(hours, minutes, 0, 0);
    if (at.getTime() <= now) at.setDate(at.getDate() + 1);
    return at.getTime();
  }

  const date = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2}))?$/.exec(text);
  if (date) {
    const [y, mo, d] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    const [h, mi] = date[4] === undefined ? [23, 59] : [Number(date[4]), Number(date[5])];
    if (h > 23 || mi > 59) return null;
    const at = new Date(y, mo, d, h, mi, 0, 0);
    // new Date rolls 2026-02-31 over into March; a date that does not exist is a typo.
    if (at.getFullYear() !== y || at.getMonth() !== mo || at.getDate() !== d) return null;
    const ms = at.getTime();
    return ms > now && ms - now <= MAX_DURATION_MS ? ms : null;
  }

  const delay = parseDelay(text);
  return delay === null ? null : now + delay;
}
