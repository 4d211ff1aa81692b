import { z } from 'zod';
import { EventEnvelopeSchema, IdSchema, LIMITS, TimestampSchema } from '../record/events.js';
import { TIMELINE_BADGES } from './timeline.js';

/**
 * The timeline's part of the API contract (spread into `channels` in shared/api/api.ts). The UI
 * reads the timeline a window at a time, already filtered and ordered by the store, so an
 * incident of 100,000 entries costs the renderer only the rows on screen.
 */
const IncidentRef = z.strictObject({ incidentId: IdSchema });
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });

export const TimelineBadgeSchema = z.enum(TIMELINE_BADGES);

/** Every part narrows; an empty filter shows everything. */
export const TimelineFilterSchema = z.strictObject({
  text: z.string().trim().max(LIMITS.shortText).default(''),
  kinds: z.array(TimelineBadgeSchema).max(TIMELINE_BADGES.length).default([]),
  actors: z.array(z.string().trim().min(1).max(LIMITS.name)).max(LIMITS.list).default([]),
  starred: z.boolean().default(false),
});
export type TimelineFilter = z.output<typeof TimelineFilterSchema>;

export const RedactionSchema = z.strictObject({ reason: z.string(), by: z.string(), at: TimestampSchema });

/** A row as shown: a redacted entry's event comes without its payload, so its words never reach a screen. */
export const TimelineRowSchema = z.strictObject({
  event: EventEnvelopeSchema,
  badge: TimelineBadgeSchema,
  occurredAt: TimestampSchema,
  text: z.string().nullable(),
  starred: z.boolean(),
  edits: z.number().int().min(0),
  redaction: RedactionSchema.nullable(),
});
export type TimelineRow = z.infer<typeof TimelineRowSchema>;

export const TIMELINE_WINDOW_MAX = 1000;

export const TimelineQueryInputSchema = z.strictObject({
  incidentId: IdSchema,
  filter: TimelineFilterSchema.prefault({}),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(TIMELINE_WINDOW_MAX).default(200),
  /** The last `limit` rows, whatever their offset: what a view following the newest entries needs. */
  fromEnd: z.boolean().default(false),
  /** Centre the window on this entry and say where it is (after an edit moved it, or to show it from elsewhere). */
  aroundId: IdSchema.optional(),
});

export const TimelineWindowSchema = z.strictObject({
  rows: z.array(TimelineRowSchema),
  /** Index of the first row within the filtered timeline. */
  offset: z.number().int().min(0),
  /** Rows matching the filter. */
  total: z.number().int().min(0),
  /** Rows of the whole timeline, filter or not. */
  all: z.number().int().min(0),
  /** Where `aroundId` stands in the filtered timeline; null when it is not in it. */
  index: z.number().int().min(0).nullable(),
});
export type TimelineWindow = z.infer<typeof TimelineWindowSchema>;

export const EntryVersionSchema = z.strictObject({
  eventId: IdSchema,
  change: z.enum(['original', 'corrected', 'redacted', 'starred', 'unstarred']),
  actor: z.string(),
  recordedAt: TimestampSchema,
  text: z.string().nullable(),
  occurredAt: TimestampSchema.nullable(),
  reason: z.string().nullable(),
});

const Target = IncidentRef.extend({ targetId: IdSchema });

export const TIMELINE_CHANNELS = {
  'timeline.query': { kind: 'query', input: TimelineQueryInputSchema, output: TimelineWindowSchema },
  'timeline.history': {
    kind: 'query',
    input: Target,
    output: z.strictObject({ row: TimelineRowSchema, versions: z.array(EntryVersionSchema) }),
  },
  /** Everyone who wrote in this incident's timeline, for the author filter. */
  'timeline.authors': { kind: 'query', input: IncidentRef, output: z.array(z.string()) },
  'timeline.correct': {
    kind: 'command',
    input: Target.extend({
      text: z.string().trim().min(1).max(LIMITS.text).optional(),
      occurredAt: TimestampSchema.optional(),
      /** The corrected time as typed ("14:32", "-5m", "now"): the core reads it on its clock and in its zone. */
      occurredAtWhen: z.string().trim().min(1).max(40).optional(),
    }).refine(
      (input) =>
        (input.text !== undefined || input.occurredAt !== undefined || input.occurredAtWhen !== undefined) &&
        !(input.occurredAt !== undefined && input.occurredAtWhen !== undefined),
      'give the corrected text, the corrected time, or both',
    ),
    output: CommandResult,
  },
  'timeline.redact': { kind: 'command', input: Target.extend({ reason: z.string().trim().min(1).max(LIMITS.shortText) }), output: CommandResult },
  'timeline.star': { kind: 'command', input: Target.extend({ starred: z.boolean() }), output: CommandResult },
} as const;
