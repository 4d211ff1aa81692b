import { audienceClock, type AudienceCadence } from '../comms/cadence.js';
import type { TaskStatus } from '../record/events.js';
import type { IncidentView } from '../record/fold.js';

/**
 * What the call-out reads of a task. Follow-ups, status times and check-backs come from the
 * tasks module (shared/tasks/tasks.ts); a task without them is judged on what it has.
 */
export interface CalloutTask {
  id: string;
  title: string;
  owner: string;
  status: TaskStatus;
  createdAt: number | null;
  kind?: string;
  /** When the task entered its current column. */
  statusAt?: number | null;
  checkBackAt?: number | null;
}

/**
 * The deputy call-out: at a steady rhythm the deputy reads out what is stuck — tasks that have
 * not moved, people who owe the commander an answer, stakeholders waiting for an update.
 */
export interface CalloutReport {
  stalled: { task: CalloutTask; sinceMs: number }[];
  checkBacks: { task: CalloutTask; overdueMs: number }[];
  updates: { audience: string; overdueMs: number }[];
}

/** The call-outs fall at whole multiples of the interval after declaration, so every laptop calls out together. */
export function calloutMoments(declaredAt: number, everyMs: number | null, now: number): { last: number | null; next: number | null } {
  if (everyMs === null || everyMs <= 0) return { last: null, next: null };
  const elapsed = now - declaredAt;
  const count = elapsed < everyMs ? 0 : Math.floor(elapsed / everyMs);
  return { last: count === 0 ? null : declaredAt + count * everyMs, next: declaredAt + (count + 1) * everyMs };
}

export function isEmpty(report: CalloutReport): boolean {
  return report.stalled.length === 0 && report.checkBacks.length === 0 && report.updates.length === 0;
}

/** What the call-out lists now; the longest-waiting first in each list. */
export function calloutReport(
  view: Pick<IncidentView, 'priority' | 'declaredAt' | 'status' | 'statusChanges' | 'comms'> & { tasks: readonly CalloutTask[] },
  audiences: readonly ({ name: string; active: boolean } & AudienceCadence)[],
  stalledAfterMs: number,
  now: number,
): CalloutReport {
  const response = view.tasks.filter((t) => t.kind !== 'followup' && t.status !== 'done');
  const stalled = response
    .filter((t) => t.status === 'doing' || t.status === 'blocked')
    .map((task) => ({ task, sinceMs: now - (task.statusAt ?? task.createdAt ?? now) }))
    .filter((s) => s.sinceMs > stalledAfterMs)
    .sort((a, b) => b.sinceMs - a.sinceMs);
  const checkBacks = response
    .flatMap((task) => (typeof task.checkBackAt === 'number' && task.checkBackAt <= now ? [{ task, overdueMs: now - task.checkBackAt }] : []))
    .sort((a, b) => b.overdueMs - a.overdueMs);
  const updates = audiences
    .filter((a) => a.active)
    .map((a) => audienceClock(view, a.name, a, now))
    .filter((c) => c.overdue && c.dueAt !== null)
    .map((c) => ({ audience: c.audience, overdueMs: now - c.dueAt! }))
    .sort((a, b) => b.overdueMs - a.overdueMs);
  return { stalled, checkBacks, updates };
}
