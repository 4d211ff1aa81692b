import { z } from 'zod';

/**
 * Event payloads of the public status page (served by the hub without a token, hub/status/).
 * Nothing reaches it but these two explicit acts: marking an incident public (with the title
 * and services customers may see) and publishing an approved customer update.
 */

const TimestampSchema = z.number().int().min(0).max(8_640_000_000_000_000);
const IdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');

/** What the public sees of the incident's status; internal nuances (declared, investigating…) are folded into these. */
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const PublicStatusSchema = z.enum(PUBLIC_STATUSES);
export type PublicStatus = z.infer<typeof PublicStatusSchema>;

export const STATUS_PAYLOADS = {
  'status.visibility': z.strictObject({
    public: z.boolean(),
    title: z.string().trim().min(1).max(200),
    services: z.array(z.string().trim().min(1).max(200)).max(50),
    occurredAt: TimestampSchema,
  }),
  'status.published': z.strictObject({
    draftId: IdSchema,
    status: PublicStatusSchema,
    body: z.string().trim().min(1).max(10_000),
    occurredAt: TimestampSchema,
  }),
} as const;
