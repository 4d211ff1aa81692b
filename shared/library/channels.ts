import { z } from 'zod';
import { ARCHIVE_LIMITS } from './archive.js';
import { CategorySchema, IdSchema, LIMITS, StatusSchema, TimestampSchema } from '../record/events.js';
import { PrioritySchema } from '../incidents/priority.js';
import { isValidTimeZone } from '../review/report.js';
import { REPORT_LANGUAGES } from '../review/report-text.js';
import { DRILL_LANGUAGES, SCENARIO_FILE_LIMIT } from '../drills/scenarios/schema.js';
import { TrendsSchema } from './trends.js';

/**
 * API channels (spread into shared/api/api.ts) for what a team does with incidents once they are
 * recorded: export the report, move an incident between consoles as an archive, search the
 * library of past incidents and lessons, read the trends, and run drills.
 */

const IncidentRef = z.strictObject({ incidentId: IdSchema });
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });

export const TimeZoneInputSchema = z.string().trim().min(1).max(64).refine(isValidTimeZone, 'is not a time zone this machine knows');

/** A file for the user to save: in browser mode the page turns it into a download, in Electron the same. */
export const ExportFileSchema = z.strictObject({
  fileName: z.string().min(1).max(255),
  mimeType: z.string().min(1).max(100),
  base64: z.string(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const REPORT_FORMATS = ['markdown', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Progress of a long export, carried on the change stream under the id the caller chose. */
export const ExportProgressSchema = z.strictObject({
  jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  stage: z.enum(['building', 'printing', 'done']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/** Base64 of the largest archive accepted, gzipped or not. */
export const ARCHIVE_UPLOAD_LIMIT = Math.ceil((ARCHIVE_LIMITS.fileBytes * 4) / 3) + 4;

export const LIBRARY_FIELDS = ['incident', 'entry', 'lesson', 'review', 'comms', 'other'] as const;
export type LibraryField = (typeof LIBRARY_FIELDS)[number];

export const LibraryHitSchema = z.strictObject({
  incidentId: IdSchema,
  title: z.string(),
  status: StatusSchema,
  priority: PrioritySchema,
  category: CategorySchema,
  drill: z.boolean(),
  declaredAt: TimestampSchema,
  eventId: IdSchema,
  field: z.enum(LIBRARY_FIELDS),
  actor: z.string(),
  at: TimestampSchema,
  /** The matching words in context; `hit` parts are the words searched for. Plain text, never markup. */
  snippet: z.array(z.strictObject({ text: z.string(), hit: z.boolean() })),
});
export type LibraryHit = z.infer<typeof LibraryHitSchema>;

export const LIBRARY_LIMIT = 100;

export const DrillSpeedSchema = z.union([z.literal(1), z.literal(2), z.literal(10)]);

export const ScenarioSummarySchema = z.strictObject({
  id: z.string(),
  title: z.strictObject({ en: z.string(), fr: z.string() }),
  summary: z.strictObject({ en: z.string(), fr: z.string() }),
  basedOn: z.strictObject({ en: z.string(), fr: z.string() }).nullable(),
  category: CategorySchema,
  injects: z.number().int().min(0),
  durationMs: z.number().int().min(0),
});

export const ComparisonRowSchema = z.strictObject({
  metric: z.enum(['respond', 'mitigate', 'resolve']),
  drillMs: z.number().nullable(),
  scenarioMs: z.number().nullable(),
  originalMs: z.number().nullable(),
  deltaMs: z.number().nullable(),
});

export const DrillStatusSchema = z.strictObject({
  source: z.enum(['incident', 'scenario', 'file']),
  sourceId: z.string(),
  sourceTitle: z.string(),
  speed: z.number().int().min(1),
  startedAt: TimestampSchema,
  startedBy: z.string(),
  /** Injects announced when the drill started. */
  total: z.number().int().min(0),
  /** Injects in this incident's timeline so far, whichever laptop delivered them. */
  delivered: z.number().int().min(0),
  /** Still to come from this laptop; zero on a laptop that only receives the drill through sync. */
  pending: z.number().int().min(0),
  nextDueAt: TimestampSchema.nullable(),
  /** This laptop delivers the injects (the drill was started here). */
  local: z.boolean(),
  stopped: z.strictObject({ at: TimestampSchema, by: z.string(), delivered: z.number().int(), cancelled: z.number().int() }).nullable(),
  comparison: z.array(ComparisonRowSchema),
});
export type DrillStatus = z.infer<typeof DrillStatusSchema>;

export const LIBRARY_CHANNELS = {
  'export.report': {
    kind: 'query',
    input: IncidentRef.extend({
      format: z.enum(REPORT_FORMATS),
      language: z.enum(REPORT_LANGUAGES),
      timeZone: TimeZoneInputSchema.default('UTC'),
      /** Names the progress notices of this export on the change stream. */
      jobId: ExportProgressSchema.shape.jobId.optional(),
      /** HTML only: `print` is the compact layout a PDF is printed from. */
      layout: z.enum(['screen', 'print']).default('screen'),
    }),
    output: ExportFileSchema,
  },
  'archive.export': { kind: 'query', input: IncidentRef.extend({ gzip: z.boolean().default(false) }), output: ExportFileSchema },
  'archive.import': {
    kind: 'command',
    input: z.strictObject({
      fileName: z.string().max(255).default(''),
      /** The file as picked, base64: JSON or gzipped JSON, told apart by its first bytes. */
      base64: z
        .string()
        .min(1)
        .max(ARCHIVE_UPLOAD_LIMIT)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    }),
    output: z.strictObject({
      incidentId: IdSchema,
      title: z.string(),
      drill: z.boolean(),
      /** Events new to this console; 0 when the same archive was imported before. */
      imported: z.number().int().min(0),
      alreadyPresent: z.number().int().min(0),
    }),
  },
  'library.search': {
    kind: 'query',
    input: z.strictObject({
      query: z.string().trim().min(1, 'type a word to search for').max(LIMITS.shortText),
      includeDrills: z.boolean().default(false),
      limit: z.number().int().min(1).max(LIBRARY_LIMIT).default(50),
    }),
    output: z.strictObject({ hits: z.array(LibraryHitSchema), incidents: z.number().int().min(0) }),
  },
  'trends.get': {
    kind: 'query',
    input: z.strictObject({ timeZone: TimeZoneInputSchema.default('UTC'), months: z.number().int().min(1).max(60).default(12) }),
    output: TrendsSchema,
  },
  'drill.scenarios': { kind: 'query', input: z.strictObject({}), output: z.array(ScenarioSummarySchema) },
  'drill.start': {
    kind: 'command',
    input: z.strictObject({
      source: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('incident'), incidentId: IdSchema }),
        z.strictObject({ kind: z.literal('scenario'), scenarioId: z.string().max(64) }),
        z.strictObject({ kind: z.literal('file'), content: z.string().min(1).max(SCENARIO_FILE_LIMIT) }),
      ]),
      speed: DrillSpeedSchema,
      language: z.enum(DRILL_LANGUAGES),
      /** Who runs the drill as incident commander; the person at this console when omitted. */
      commander: z.string().trim().min(1).max(LIMITS.name).optional(),
    }),
    output: CommandResult,
  },
  'drill.status': { kind: 'query', input: IncidentRef, output: z.strictObject({ drill: DrillStatusSchema.nullable() }) },
  'drill.stop': { kind: 'command', input: IncidentRef, output: CommandResult },
} as const;
