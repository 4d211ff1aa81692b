import type { CommsDraftView } from '../shared/fold.js';
import type { Priority } from '../shared/priority.js';

const MIN = 60_000;

/**
 * How often a status update is due (DOMAIN.md: every 30 min for P1, 60 for P2, at each
 * status change otherwise). Null means "no clock: at the next status change".
 */
export const UPDATE_CADENCE_MS: Record<Priority, number | null> = { P1: 30 * MIN, P2: 60 * MIN, P3: null, P4: null, P5: null };

/** When the next status update is due: one cadence after the last one sent, or after declaration. */
export function nextUpdateDue(priority: Priority, declaredAt: number, comms: readonly CommsDraftView[]): number | null {
  const cadence = UPDATE_CADENCE_MS[priority];
  if (cadence === null) return null;
  const lastSent = comms.reduce<number | null>((last, d) => (d.sentAt !== null && (last === null || d.sentAt > last) ? d.sentAt : last), null);
  return (lastSent ?? declaredAt) + cadence;
}
