import { z } from 'zod';
import { DeliveryFailureSchema } from './failures.js';

/**
 * Event payloads of updates going out. A laptop records `delivery.requested` when an approved
 * update is sent (in the same transaction as `comms.sent`); the hub, which alone knows the
 * team's channels and their secrets, delivers it and records one `delivery.outcome` per channel.
 * No address, URL or secret ever appears in an event: a channel is named by its id on the hub.
 */

const TimestampSchema = z.number().int().min(0).max(8_640_000_000_000_000);
const IdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');

export const CHANNEL_KINDS = ['email', 'slack', 'teams', 'mattermost', 'webhook'] as const;
export const ChannelKindSchema = z.enum(CHANNEL_KINDS);

/** A channel's id in the hub's configuration: a name, never an address. */
export const ChannelIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a channel id is 1–64 letters, digits, ".", "_" or "-"');

export const DELIVERY_PAYLOADS = {
  'delivery.requested': z.strictObject({
    draftId: IdSchema,
    audience: z.string().trim().min(1).max(120),
    /** The incident's title, for the subject line. */
    subject: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(10_000),
    language: z.enum(['en', 'fr']),
    occurredAt: TimestampSchema,
  }),
  /** Written by the hub: one per channel, final (delivered, or failed after its retries). `channelId` is null when no channel serves the audience. */
  'delivery.outcome': z.strictObject({
    draftId: IdSchema,
    channelId: ChannelIdSchema.nullable(),
    channelKind: ChannelKindSchema.nullable(),
    state: z.enum(['delivered', 'failed']),
    attempts: z.number().int().min(0).max(1000),
    /** The hub's words, in English: shown when `failure` is absent (an older hub) or its code unknown here. */
    reason: z.string().max(500),
    /** Why it failed, as a code each console says in its reader's language (./failures.ts). */
    failure: DeliveryFailureSchema.optional(),
    occurredAt: TimestampSchema,
  }),
} as const;
