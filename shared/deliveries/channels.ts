import { z } from 'zod';
import { IdSchema, LIMITS } from '../record/events.js';
import { PublicStatusSchema } from '../status/events.js';
import { CHANNEL_KINDS } from './events.js';
import { DeliveryFailureSchema } from './failures.js';

/** Updates going out and the public status page: their part of the API contract (spread into `channels`). */
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });
const Timestamp = z.number().int().min(0);

/**
 * Where one update's delivery stands, as this laptop knows it: the request still in its outbox
 * (waiting on this laptop), acknowledged by the hub (handed to the hub), then one outcome per
 * channel as the hub records them.
 */
export const DeliveryViewSchema = z.strictObject({
  draftId: IdSchema,
  requestedAt: Timestamp,
  local: z.enum(['waiting', 'handed']),
  outcomes: z.array(
    z.strictObject({
      channelId: z.string().nullable(),
      channelKind: z.enum(CHANNEL_KINDS).nullable(),
      state: z.enum(['delivered', 'failed']),
      attempts: z.number().int(),
      reason: z.string(),
      failure: DeliveryFailureSchema.optional(),
      at: Timestamp,
    }),
  ),
});
export type DeliveryView = z.infer<typeof DeliveryViewSchema>;

export const PublicViewSchema = z.strictObject({
  visible: z.boolean(),
  title: z.string(),
  services: z.array(z.string()),
  published: z.array(z.strictObject({ draftId: IdSchema, status: PublicStatusSchema, at: Timestamp })),
});
export type PublicView = z.infer<typeof PublicViewSchema>;

const channel = <I extends z.ZodType, O extends z.ZodType>(kind: 'query' | 'command', input: I, output: O) => ({ kind, input, output }) as const;

export const DELIVERY_CHANNELS = {
  'deliveries.state': channel(
    'query',
    z.strictObject({ incidentId: IdSchema }),
    z.strictObject({ deliveries: z.array(DeliveryViewSchema), publicPage: PublicViewSchema }),
  ),
  /** Show the incident on the public status page (with the words customers may see), or take it off. */
  'status.setVisibility': channel(
    'command',
    z.strictObject({
      incidentId: IdSchema,
      visible: z.boolean(),
      title: z.string().trim().min(1).max(LIMITS.title),
      services: z.array(z.string().trim().min(1).max(LIMITS.shortText)).max(LIMITS.list),
    }),
    CommandResult,
  ),
  /** Publish an approved customer update on the status page: the only way anything reaches it. */
  'status.publish': channel('command', z.strictObject({ incidentId: IdSchema, draftId: IdSchema, status: PublicStatusSchema }), CommandResult),
} as const;
