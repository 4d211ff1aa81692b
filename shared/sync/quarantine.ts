import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../record/events.js';
import { QUARANTINE_CODES } from '../record/untrusted.js';

/**
 * The quarantined view (shared/record/untrusted.ts): events this console keeps and syncs onward
 * but never folds, each with the reason, newest first. Spread into `channels` in shared/api/api.ts.
 */
export const QuarantinedEventSchema = z.strictObject({
  eventId: IdSchema,
  incidentId: IdSchema,
  kind: z.string(),
  actor: z.string(),
  deviceId: z.string(),
  hlc: z.string(),
  code: z.enum(QUARANTINE_CODES),
  reason: z.string(),
  quarantinedAt: TimestampSchema,
});
export type QuarantinedEventView = z.infer<typeof QuarantinedEventSchema>;

/** The newest this many are listed; `total` says how many there are. */
export const QUARANTINE_LIST_LIMIT = 200;

export const QUARANTINE_CHANNELS = {
  'quarantine.list': {
    kind: 'query',
    input: z.strictObject({}),
    output: z.strictObject({ events: z.array(QuarantinedEventSchema).max(QUARANTINE_LIST_LIMIT), total: z.number().int().min(0) }),
  },
} as const;
