import { z } from 'zod';
import { HLC_PATTERN } from './hlc.js';
import { LevelSchema, PrioritySchema } from '../incidents/priority.js';
import { ALERT_PAYLOADS } from '../alerts/events.js';
import { DELIVERY_PAYLOADS } from '../deliveries/events.js';
import { STATUS_PAYLOADS } from '../status/events.js';

/** Upper bounds on everything a user can type, so one entry cannot bloat the store or a sync batch. */
export const LIMITS = {
  title: 200,
  shortText: 200,
  name: 120,
  text: 10_000,
  list: 50,
} as const;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const IdSchema = z.string().regex(UUID_PATTERN, 'must be a UUID');
/** Milliseconds since the Unix epoch, UTC. */
/** The largest date JavaScript can represent (ms since 1970). */
const MAX_TIMESTAMP = 8_640_000_000_000_000;
export const TimestampSchema = z.number().int().min(0).max(MAX_TIMESTAMP);
const trimmed = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
/**
 * Audiences and people key the folded state (shared/clocks/policy.ts, the experts of
 * shared/record/fold.ts): the prototype names (`__proto__`, `constructor`, `prototype`, in any
 * case) are refused wherever such a name is typed or received.
 */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
export const isReservedName = (name: string) => RESERVED_NAMES.has(name.trim().normalize('NFC').toLowerCase());
const name = (max: number) => required(max).refine((value) => !isReservedName(value), 'this name is reserved; choose another');
/** A person who may hold a role or be an expert (keyed by name in the fold). */
export const PersonNameSchema = name(LIMITS.name);

export const STATUSES = ['detected', 'declared', 'investigating', 'mitigated', 'resolved', 'closed', 'reviewed'] as const;
export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

export const CATEGORIES = ['hardware', 'software', 'network', 'security', 'other'] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const DETECTION_SOURCES = ['user_report', 'monitoring', 'service_desk', 'third_party', 'other'] as const;
export const DetectionSourceSchema = z.enum(DETECTION_SOURCES);

export const ROLES = ['commander', 'deputy', 'scribe', 'comms_lead', 'ops_lead', 'sme'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** What a person logs; `external` is an alert or a customer report that reached the room from outside. */
export const NOTE_KINDS = ['note', 'decision', 'action', 'finding', 'hypothesis', 'external'] as const;
export const NoteKindSchema = z.enum(NOTE_KINDS);
export type NoteKind = z.infer<typeof NoteKindSchema>;

export const TASK_STATUSES = ['todo', 'doing', 'blocked', 'done'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
/** A response task is work during the incident; a follow-up is a post-incident action with an owner and a due date. */
export const TASK_KINDS = ['response', 'followup'] as const;
export const TaskKindSchema = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof TaskKindSchema>;

export const AUDIENCES = ['executives', 'internal', 'customers'] as const;
export const AudienceSchema = name(LIMITS.name);
export const COMMS_CHANNELS = ['email', 'chat', 'status_page', 'phone_bridge', 'other'] as const;
export const CommsChannelSchema = z.enum(COMMS_CHANNELS);
export const COMMS_STATES = ['draft', 'approved', 'sent'] as const;
export type CommsState = (typeof COMMS_STATES)[number];

export const HYPOTHESIS_STATES = ['open', 'ruled_out', 'confirmed'] as const;
export const BRIEFING_LIMITS = { hypotheses: 50, tasks: 100, excerpt: 500 } as const;
const SlaClockSnapshotSchema = z.strictObject({
  phase: z.enum(['none', 'running', 'paused', 'met', 'breached']),
  targetMs: z.number().int().min(0).nullable(),
  /** Negative once breached. */
  remainingMs: z.number().int().nullable(),
  deadline: TimestampSchema.nullable(),
});
/**
 * What an outgoing commander hands over (shared/roles/handoff.ts builds it from the record). It is
 * kept inside the hand-off event, so the record shows exactly what was handed over even after
 * the incident moves on. Lists are capped (with the full counts) to keep one event small.
 */
export const BriefingSchema = z.strictObject({
  generatedAt: TimestampSchema,
  from: trimmed(LIMITS.name),
  status: StatusSchema,
  priority: PrioritySchema,
  impact: LevelSchema,
  urgency: LevelSchema,
  roles: z.array(z.strictObject({ role: RoleSchema, person: required(LIMITS.name), speciality: trimmed(LIMITS.shortText) })).max(LIMITS.list),
  hypotheses: z
    .array(
      z.strictObject({
        entryId: IdSchema,
        text: required(BRIEFING_LIMITS.excerpt),
        at: TimestampSchema,
        by: required(LIMITS.name),
        state: z.enum(HYPOTHESIS_STATES),
      }),
    )
    .max(BRIEFING_LIMITS.hypotheses),
  hypothesesTotal: z.number().int().min(0),
  openTasks: z
    .array(z.strictObject({ taskId: IdSchema, title: required(LIMITS.title), owner: trimmed(LIMITS.name), status: TaskStatusSchema }))
    .max(BRIEFING_LIMITS.tasks),
  openTasksTotal: z.number().int().min(0),
  audiences: z
    .array(z.strictObject({ audience: AudienceSchema, lastSentAt: TimestampSchema.nullable(), nextDueAt: TimestampSchema.nullable() }))
    .max(LIMITS.list),
  sla: z.strictObject({
    response: SlaClockSnapshotSchema,
    resolution: SlaClockSnapshotSchema,
    pauseReason: trimmed(LIMITS.shortText).nullable(),
  }),
  /** What the outgoing commander adds in their own words. */
  note: trimmed(LIMITS.text),
});
export type Briefing = z.infer<typeof BriefingSchema>;

/**
 * A configured duration (SLA target, update interval) in ms. Kept loose here: an event is a
 * fact to keep and pass on, and the sensible range is checked where the value is typed.
 */
export const DurationSchema = z
  .number()
  .int()
  .positive()
  .max(10 * 366 * 86_400_000);
export const SLA_CLOCKS = ['response', 'resolution'] as const;
export const SlaClockNameSchema = z.enum(SLA_CLOCKS);
export type SlaClockName = z.infer<typeof SlaClockNameSchema>;
/**
 * An IANA zone name, by shape only: whether this machine's time-zone data knows it is checked
 * where it is typed (shared/clocks/zones.ts), so a zone new to an older laptop never rejects a sync batch.
 */
export const TimeZoneNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, 'must be a time zone name such as Europe/Paris');

/** Post-incident review (shared/review/review.ts): story moments, fishbone categories and the lessons sections. */
export const REVIEW_MOMENTS = ['detection', 'diagnosis', 'repair', 'key'] as const;
export const FISHBONE_CATEGORIES = ['people', 'process', 'technology', 'environment', 'suppliers', 'communication'] as const;
export const LESSON_SECTIONS = ['went_well', 'went_badly', 'lesson'] as const;
/** Timeline entries a review item points to. */
export const CitesSchema = z.array(IdSchema).max(LIMITS.list);

/** Payload schema of each event kind this version understands. */
export const PayloadSchemas = {
  'incident.declared': z.strictObject({
    title: required(LIMITS.title),
    description: trimmed(LIMITS.text),
    occurredAt: TimestampSchema,
    detectedAt: TimestampSchema,
    declaredAt: TimestampSchema,
    services: z.array(required(LIMITS.shortText)).max(LIMITS.list),
    reporter: trimmed(LIMITS.shortText),
    detectionSource: DetectionSourceSchema,
    category: CategorySchema,
    impact: LevelSchema,
    urgency: LevelSchema,
    commander: required(LIMITS.name),
    drill: z.boolean(),
  }),
  'incident.status': z.strictObject({ status: StatusSchema, occurredAt: TimestampSchema }),
  'incident.priority': z.strictObject({ impact: LevelSchema, urgency: LevelSchema, occurredAt: TimestampSchema }),
  'incident.role': z.strictObject({ role: RoleSchema, person: PersonNameSchema, occurredAt: TimestampSchema }),
  /** Experts are a set (several at once, each with a speciality); `active: false` takes one off the incident. */
  'incident.sme': z.strictObject({
    person: PersonNameSchema,
    speciality: trimmed(LIMITS.shortText),
    active: z.boolean(),
    occurredAt: TimestampSchema,
  }),
  'command.handoff_started': z.strictObject({
    handoffId: IdSchema,
    to: required(LIMITS.name),
    briefing: BriefingSchema,
    occurredAt: TimestampSchema,
  }),
  /** Names the new commander too, so the role changes even when this arrives before the start. */
  'command.handoff_acknowledged': z.strictObject({ handoffId: IdSchema, commander: required(LIMITS.name), occurredAt: TimestampSchema }),
  'sla.paused': z.strictObject({ reason: required(LIMITS.shortText), occurredAt: TimestampSchema }),
  'sla.resumed': z.strictObject({ occurredAt: TimestampSchema }),
  'timeline.entry': z.strictObject({ entryKind: NoteKindSchema, text: required(LIMITS.text), occurredAt: TimestampSchema }),
  // A drill (shared/drills/scenarios/schema.ts) says what it replays and how fast; its injects are plain timeline entries.
  'drill.started': z.strictObject({
    source: z.enum(['incident', 'scenario', 'file']),
    sourceId: trimmed(LIMITS.shortText),
    sourceTitle: required(LIMITS.title),
    speed: z.number().int().min(1).max(100),
    language: z.enum(['en', 'fr']),
    injects: z.number().int().min(0).max(500),
    /** The original's response times from its declaration, in scenario time; what the drill is compared with. */
    reference: z
      .strictObject({
        respondMs: z.number().int().min(0).nullable(),
        mitigateMs: z.number().int().min(0).nullable(),
        resolveMs: z.number().int().min(0).nullable(),
      })
      .nullable(),
    occurredAt: TimestampSchema,
  }),
  'drill.stopped': z.strictObject({ delivered: z.number().int().min(0), cancelled: z.number().int().min(0), occurredAt: TimestampSchema }),
  // The review's own record: it annotates the timeline and never changes the incident's fold.
  'review.hidden': z.strictObject({ targetId: IdSchema, hidden: z.boolean() }),
  'review.moment': z.strictObject({ targetId: IdSchema, moment: z.enum(REVIEW_MOMENTS).nullable() }),
  'review.comment': z.strictObject({ commentId: IdSchema, targetId: IdSchema, text: required(LIMITS.text) }),
  'review.hypothesis_state': z.strictObject({ targetId: IdSchema, state: z.enum(HYPOTHESIS_STATES) }),
  'review.why': z.strictObject({ whyId: IdSchema, order: z.number(), why: trimmed(LIMITS.text), because: trimmed(LIMITS.text), cites: CitesSchema }),
  'review.factor': z.strictObject({ factorId: IdSchema, category: z.enum(FISHBONE_CATEGORIES), text: required(LIMITS.text), cites: CitesSchema }),
  'review.note': z.strictObject({ noteId: IdSchema, section: z.enum(LESSON_SECTIONS), text: required(LIMITS.text), cites: CitesSchema }),
  'review.removed': z.strictObject({ itemId: IdSchema }),
  // Corrections, redactions and stars name their target and never change it (shared/timeline/timeline.ts folds them).
  'timeline.corrected': z
    .strictObject({
      targetId: IdSchema,
      newText: required(LIMITS.text).optional(),
      newOccurredAt: TimestampSchema.optional(),
      occurredAt: TimestampSchema,
    })
    .refine((p) => p.newText !== undefined || p.newOccurredAt !== undefined, 'a correction changes the text, the time, or both'),
  'timeline.redacted': z.strictObject({ targetId: IdSchema, reason: required(LIMITS.shortText), occurredAt: TimestampSchema }),
  'timeline.starred': z.strictObject({ targetId: IdSchema, starred: z.boolean(), occurredAt: TimestampSchema }),
  'task.created': z.strictObject({
    taskId: IdSchema,
    title: required(LIMITS.title),
    owner: trimmed(LIMITS.name),
    occurredAt: TimestampSchema,
    // Optional so that tasks recorded before kinds, due dates and check-backs existed stay valid.
    kind: TaskKindSchema.optional(),
    dueAt: TimestampSchema.optional(),
    checkBackAt: TimestampSchema.optional(),
  }),
  'task.retitled': z.strictObject({ taskId: IdSchema, title: required(LIMITS.title), occurredAt: TimestampSchema }),
  'task.due': z.strictObject({ taskId: IdSchema, dueAt: TimestampSchema.nullable(), occurredAt: TimestampSchema }),
  /** "Back to me at …": set, moved or cleared (null); the latest stamp wins. */
  'task.check_back': z.strictObject({ taskId: IdSchema, checkBackAt: TimestampSchema.nullable(), occurredAt: TimestampSchema }),
  'task.assigned': z.strictObject({ taskId: IdSchema, owner: trimmed(LIMITS.name), occurredAt: TimestampSchema }),
  'task.moved': z.strictObject({ taskId: IdSchema, status: TaskStatusSchema, occurredAt: TimestampSchema }),
  'comms.drafted': z.strictObject({
    draftId: IdSchema,
    audience: AudienceSchema,
    channel: CommsChannelSchema,
    body: trimmed(LIMITS.text),
    occurredAt: TimestampSchema,
  }),
  'comms.edited': z.strictObject({ draftId: IdSchema, body: trimmed(LIMITS.text), occurredAt: TimestampSchema }),
  'comms.approved': z.strictObject({ draftId: IdSchema, occurredAt: TimestampSchema }),
  'comms.sent': z.strictObject({
    draftId: IdSchema,
    channel: CommsChannelSchema,
    body: required(LIMITS.text),
    occurredAt: TimestampSchema,
  }),
  /** Regions the incident touches, shown as wall clocks; the latest list wins. */
  'incident.timezones': z.strictObject({ zones: z.array(TimeZoneNameSchema).max(12), occurredAt: TimestampSchema }),
  /** Recorded once per clock by the device that noticed; the fold keeps the earliest if two laptops both did. */
  'sla.breached': z.strictObject({
    clock: SlaClockNameSchema,
    priority: PrioritySchema,
    targetMs: z.number().int().min(0),
    occurredAt: TimestampSchema,
  }),
  // Team settings live on their own stream (SETTINGS_STREAM_ID in shared/clocks/policy.ts), one register per field.
  'settings.sla': z.strictObject({
    priority: PrioritySchema,
    responseMs: DurationSchema.nullable().optional(),
    resolutionMs: DurationSchema.nullable().optional(),
    pausable: z.boolean().optional(),
  }),
  'settings.audience': z.strictObject({
    audience: AudienceSchema,
    firstMs: DurationSchema.nullable().optional(),
    everyMs: DurationSchema.nullable().optional(),
    longEveryMs: DurationSchema.nullable().optional(),
    longAfterMs: DurationSchema.optional(),
    active: z.boolean().optional(),
  }),
  'settings.callout': z.strictObject({ everyMs: DurationSchema.nullable().optional(), stalledAfterMs: DurationSchema.optional() }),
  // Alerts in, updates out, the public status page: each feature declares its own kinds.
  ...ALERT_PAYLOADS,
  ...DELIVERY_PAYLOADS,
  ...STATUS_PAYLOADS,
} as const;

export type EventKind = keyof typeof PayloadSchemas;
export const EVENT_KINDS = Object.keys(PayloadSchemas) as EventKind[];
export type PayloadOf<K extends EventKind> = z.infer<(typeof PayloadSchemas)[K]>;

/** The same kinds as a set: asked several times for each event of a catch-up, where a look-up among PayloadSchemas' own keys cost several times more. */
const KNOWN_KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

export function isKnownKind(kind: string): kind is EventKind {
  return KNOWN_KINDS.has(kind);
}

/**
 * The envelope every event shares. `kind` is an open string: an event written by a newer
 * version (a kind we do not know yet) is still a valid event to keep and pass on.
 */
const KIND_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const KIND_MAX = 64;
const DEVICE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const EventEnvelopeSchema = z.strictObject({
  id: IdSchema,
  incidentId: IdSchema,
  kind: z.string().regex(KIND_PATTERN, 'must look like "domain.action"').max(KIND_MAX),
  payload: z.record(z.string(), z.unknown()),
  actor: required(LIMITS.name),
  deviceId: z.string().regex(DEVICE_PATTERN),
  hlc: z.string().regex(HLC_PATTERN, 'must be an HLC stamp'),
  recordedAt: TimestampSchema,
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

const ENVELOPE_KEYS = ['id', 'incidentId', 'kind', 'payload', 'actor', 'deviceId', 'hlc', 'recordedAt'] as const;

/** An object literal or JSON.parse's: its own keys are all there is to it. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * EventEnvelopeSchema's answer for the envelopes it accepts, checked by hand: the same patterns
 * and bounds, the same output (fields in the schema's order, the actor trimmed, the payload a
 * copy of its own keys). A catch-up checks 100,000 envelopes and zod's walk was most of the
 * client's validation time. Anything unusual (an extra or missing key, a prototype, a symbol or
 * `__proto__` key in the payload, any field out of bounds) gives null, and the schema decides,
 * with its own error. shared/record/envelope-check.test.ts holds the two to the same answers.
 */
/** The latest incident id that matched UUID_PATTERN: a page's events mostly name one incident, tested once. */
let lastIncidentId = '';

function acceptedEnvelope(raw: unknown): EventEnvelope | null {
  if (!isPlainRecord(raw)) return null;
  // Strict: exactly the schema's keys, each its own.
  if (Object.keys(raw).length !== ENVELOPE_KEYS.length) return null;
  for (const key of ENVELOPE_KEYS) if (!Object.prototype.hasOwnProperty.call(raw, key)) return null;
  const { id, incidentId, kind, payload, actor, deviceId, hlc, recordedAt } = raw;
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) return null;
  if (typeof incidentId !== 'string' || (incidentId !== lastIncidentId && !UUID_PATTERN.test(incidentId))) return null;
  lastIncidentId = incidentId;
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind) || kind.length > KIND_MAX) return null;
  if (typeof actor !== 'string') return null;
  const trimmedActor = actor.trim();
  if (trimmedActor.length < 1 || trimmedActor.length > LIMITS.name) return null;
  if (typeof deviceId !== 'string' || !DEVICE_PATTERN.test(deviceId)) return null;
  if (typeof hlc !== 'string' || !HLC_PATTERN.test(hlc)) return null;
  if (typeof recordedAt !== 'number' || !Number.isInteger(recordedAt) || recordedAt < 0 || recordedAt > MAX_TIMESTAMP) return null;
  if (!isPlainRecord(payload) || Array.isArray(payload)) return null;
  if (Object.getOwnPropertySymbols(payload).length > 0 || Object.prototype.hasOwnProperty.call(payload, '__proto__')) return null;
  return { id, incidentId, kind, payload: { ...payload }, actor: trimmedActor, deviceId, hlc, recordedAt };
}

/** EventEnvelopeSchema.safeParse, answering the common case without walking the schema. */
export function parseEnvelope(raw: unknown): { success: true; data: EventEnvelope } | { success: false; error: z.ZodError } {
  const accepted = acceptedEnvelope(raw);
  if (accepted) return { success: true, data: accepted };
  const parsed = EventEnvelopeSchema.safeParse(raw);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

export type KnownEvent = {
  [K in EventKind]: Omit<EventEnvelope, 'kind' | 'payload'> & { kind: K; payload: PayloadOf<K> };
}[EventKind];

const tolerantPayloads = new Map<EventKind, z.ZodType>();

/**
 * A newer version may add optional fields to a kind we know: its events must still be accepted
 * (and the extra fields kept, to sync onward and fold after an upgrade), so a known kind's
 * payload is checked for the fields we know and passes the others through untouched.
 */
function tolerantPayloadSchema(kind: EventKind): z.ZodType {
  let schema = tolerantPayloads.get(kind);
  if (!schema) {
    const strict = PayloadSchemas[kind] as z.ZodType;
    schema = strict instanceof z.ZodObject ? strict.loose() : strict;
    tolerantPayloads.set(kind, schema);
  }
  return schema;
}

/** Every event must be accepted by this: envelope valid and, when the kind is known, payload valid too. */
export function parseEvent(input: unknown): EventEnvelope {
  const envelope = parseEnvelope(input);
  if (!envelope.success) throw envelope.error;
  return parseKnownPayload(envelope.data);
}

/**
 * The payload check of `parseEvent` for an envelope already parsed by EventEnvelopeSchema: the
 * untrusted-input path checks the envelope first (to quarantine rather than refuse), and need
 * not check it a second time. Throws the ZodError of the payload, as `parseEvent` does.
 */
export function parseKnownPayload(envelope: EventEnvelope): EventEnvelope {
  if (!isKnownKind(envelope.kind)) return envelope;
  const payload =
    (envelope.kind === 'timeline.entry' ? acceptedEntryPayload(envelope.payload) : null) ??
    (tolerantPayloadSchema(envelope.kind).parse(envelope.payload) as Record<string, unknown>);
  return { ...envelope, payload };
}

const NOTE_KIND_SET: ReadonlySet<unknown> = new Set(NOTE_KINDS);

/**
 * The tolerant timeline.entry schema's answer for the payloads it accepts, checked by hand (a
 * catch-up is mostly entries, and zod's walk was 0.8 µs of each one's admission): the same enum,
 * the text trimmed then bounded, a whole ms in range, and the same output (the schema's keys in
 * its order, then the others as they came). Anything unusual gives null, and the schema decides,
 * with its own error. shared/record/envelope-check.test.ts holds the two to the same answers.
 */
function acceptedEntryPayload(payload: Record<string, unknown>): Record<string, unknown> | null {
  if (!isPlainRecord(payload)) return null;
  const { entryKind, text, occurredAt } = payload;
  if (!NOTE_KIND_SET.has(entryKind) || typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (trimmed.length < 1 || trimmed.length > LIMITS.text) return null;
  if (typeof occurredAt !== 'number' || !Number.isInteger(occurredAt) || occurredAt < 0 || occurredAt > MAX_TIMESTAMP) return null;
  const accepted: Record<string, unknown> = { entryKind, text: trimmed, occurredAt };
  const keys = Object.keys(payload);
  // The three are own keys (a plain record inherits none of them): any more are a newer version's, kept.
  if (keys.length === 3) return accepted;
  for (const key of keys) {
    if (key === 'entryKind' || key === 'text' || key === 'occurredAt') continue;
    if (key === '__proto__') return null;
    accepted[key] = payload[key];
  }
  return accepted;
}

export function asKnown(event: EventEnvelope): KnownEvent | null {
  return isKnownKind(event.kind) ? (event as KnownEvent) : null;
}

/** When the thing an event describes happened, as the user stated it (defaults to when it was recorded). */
export function occurredAtOf(event: EventEnvelope): number {
  const value = event.payload['occurredAt'];
  // Known kinds' payloads are checked by their schema, but an unknown kind (a newer version's, or
  // a hostile one) reaches here unchecked: only a valid timestamp is believed, never a fraction
  // or a negative number, which the store's INTEGER column would refuse and stop the pull.
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TIMESTAMP ? value : event.recordedAt;
}
