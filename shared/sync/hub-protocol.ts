import { z } from 'zod';
import { UNTRUSTED_LIMITS } from '../record/untrusted.js';

/**
 * The hub's wire contract (API version 1), in one place so a sync client can validate every
 * hub response with the same schemas the hub answers with. It imports only zod and the shared limits on purpose:
 * the sync client (electron/sync/sync.ts) validates every hub answer with it.
 */

export const HUB_API_VERSION = 'v1';

export const HUB_LIMITS = {
  /** Events per push. A client with more waiting sends several batches. */
  maxBatch: 1000,
  /** Bytes per request body; beyond it the hub answers 413 without reading further. */
  maxBodyBytes: 4 * 1024 * 1024,
  /**
   * One event's JSON. Known kinds stay far below it; it bounds the kinds this version cannot
   * check, so that a pull page can promise a size.
   */
  maxEventBytes: UNTRUSTED_LIMITS.maxEventBytes,
  /** Events per pull page. */
  maxPage: 5000,
  defaultPage: 1000,
  /**
   * Bytes of events per pull page (each event's JSON plus its separating comma). A page stops
   * early rather than exceed it, so a whole pull response is at most this plus 64 bytes.
   */
  maxPageBytes: 8 * 1024 * 1024,
} as const;

/** Position in a team's stream: the hub-assigned sequence of the last event seen. 0 = the start. */
export const CursorSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PushRequestSchema = z.strictObject({
  events: z.array(z.unknown()),
});

export const PushResponseSchema = z.strictObject({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  /** The team's head after this push; informational, never a pull cursor (see hub/README.md). */
  cursor: CursorSchema,
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** Query strings arrive as text; an absent `after` means "from the start". */
export const PullQuerySchema = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,16}$/, 'must be a non-negative integer')
    .transform(Number)
    .pipe(CursorSchema)
    .default(0),
  limit: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1).max(HUB_LIMITS.maxPage))
    .default(HUB_LIMITS.defaultPage),
});

/**
 * Events come back as the hub received them. The client validates each one with
 * `parseEvent` from shared/record/events.ts, so this schema only fixes the page shape.
 */
export const PullResponseSchema = z.strictObject({
  events: z.array(z.unknown()).max(HUB_LIMITS.maxPage),
  cursor: CursorSchema,
  more: z.boolean(),
  /** The hub's history identity (see HubStorage.epoch): when it changes, cursors from before mean nothing. */
  epoch: z.string().regex(/^[0-9a-f]{16,64}$/),
  /**
   * Id of the event this hub holds at the requested cursor (null at 0). A laptop that saw another
   * id there knows the hub was restored without `epoch rotate` and starts over. Optional so a
   * laptop still talks to a hub from before it.
   */
  cursorId: z.string().max(64).nullable().optional(),
});

export const HUB_ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'not_found',
  'cursor_ahead',
  'payload_too_large',
  'batch_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

/**
 * Every error answer. `code` is stable, so a client can translate it; `message` is English
 * detail for logs and support, and `issues` says which field of which event was refused.
 */
export const HubErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(HUB_ERROR_CODES),
    message: z.string(),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type HubErrorBody = z.infer<typeof HubErrorSchema>;
