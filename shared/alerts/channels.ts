import { z } from 'zod';
import { CategorySchema, IdSchema, LIMITS } from '../record/events.js';
import { LevelSchema } from '../incidents/priority.js';
import { ALERT_SEVERITIES, ALERT_SOURCE_KINDS, ALERT_STATUSES, FingerprintSchema } from './events.js';
import { INBOX_STATES } from './alerts.js';

/** The alert inbox's part of the API contract (spread into `channels` in shared/api/api.ts). */
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });
const Timestamp = z.number().int().min(0);

export const AlertViewSchema = z.strictObject({
  fingerprint: z.string(),
  integration: z.string(),
  sourceKind: z.enum(ALERT_SOURCE_KINDS),
  title: z.string(),
  description: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  startsAt: Timestamp,
  endsAt: Timestamp.nullable(),
  link: z.string().nullable(),
  labels: z.array(z.strictObject({ name: z.string(), value: z.string() })),
  firstSeenAt: Timestamp,
  updatedAt: Timestamp,
  acknowledged: z.strictObject({ by: z.string(), at: Timestamp }).nullable(),
  links: z.array(z.strictObject({ incidentId: IdSchema, declared: z.boolean(), by: z.string(), at: Timestamp, hlc: z.string() })),
  state: z.enum(INBOX_STATES),
});

const channel = <I extends z.ZodType, O extends z.ZodType>(kind: 'query' | 'command', input: I, output: O) => ({ kind, input, output }) as const;

export const ALERT_CHANNELS = {
  'alerts.list': channel('query', z.strictObject({}), z.array(AlertViewSchema)),
  'alerts.acknowledge': channel('command', z.strictObject({ fingerprint: FingerprintSchema }), CommandResult),
  /** Declare an incident from an alert: detected at, occurred at and the source come from the alert; the rest is confirmed by the commander. */
  'alerts.declare': channel(
    'command',
    z.strictObject({
      fingerprint: FingerprintSchema,
      title: z.string().trim().min(1).max(LIMITS.title),
      category: CategorySchema,
      impact: LevelSchema,
      urgency: LevelSchema,
      commander: z.string().trim().min(1).max(LIMITS.name),
    }),
    CommandResult,
  ),
  /** Attach an alert to an open incident: an external entry on its timeline. */
  'alerts.attach': channel('command', z.strictObject({ fingerprint: FingerprintSchema, incidentId: IdSchema }), CommandResult),
} as const;
