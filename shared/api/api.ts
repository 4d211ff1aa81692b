import { z } from 'zod';
import {
  CategorySchema,
  CommsChannelSchema,
  DetectionSourceSchema,
  EventEnvelopeSchema,
  IdSchema,
  LIMITS,
  AudienceSchema,
  DurationSchema,
  NoteKindSchema,
  PersonNameSchema,
  RoleSchema,
  StatusSchema,
  TaskStatusSchema,
  TaskKindSchema,
  TimestampSchema,
  COMMS_STATES,
} from '../record/events.js';
import { LevelSchema, PrioritySchema } from '../incidents/priority.js';
import { HandoffViewSchema, ROLE_CHANNELS, SmeViewSchema } from '../roles/roles.js';
import { AudienceSettingsSchema, BreachMarkSchema, CalloutSettingsSchema, CLOCK_CHANNELS } from '../clocks/policy.js';
import { TIMELINE_CHANNELS, TimelineRowSchema } from '../timeline/channels.js';
import { REVIEW_CHANNELS } from '../review/review.js';
import { ExportProgressSchema, LIBRARY_CHANNELS } from '../library/channels.js';
import { ALERT_CHANNELS } from '../alerts/channels.js';
import { mergeChannels } from './merge-channels.js';
import { DELIVERY_CHANNELS } from '../deliveries/channels.js';
import { QUARANTINE_CHANNELS } from '../sync/quarantine.js';
import { SEAL_CIPHER_KINDS, TEAM_KEY_CHANNELS } from '../sync/team-key-channels.js';
import { ROOM_CHANNELS, RoomStatusSchema } from '../sync/room-channels.js';
import { SyncReasonSchema } from '../sync/sync-reasons.js';

/**
 * The one API the renderer may call, whatever carries it (Electron IPC or the loopback
 * browser-mode server). Each channel names its input and output schema; adapters validate
 * every input against it, and a call to a channel that is not here does not compile.
 */
const trimmed = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const Empty = z.strictObject({});
const IncidentRef = z.strictObject({ incidentId: IdSchema });
/** Omitted means "now" on the device that records it. */
const OptionalTime = TimestampSchema.optional();
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });

const ChangeSchema = <T extends z.ZodType>(value: T) => z.strictObject({ eventId: IdSchema, value, at: TimestampSchema, hlc: z.string(), actor: z.string() });

export const TaskViewSchema = z.strictObject({
  id: IdSchema,
  title: z.string(),
  owner: z.string(),
  status: TaskStatusSchema,
  createdAt: TimestampSchema.nullable(),
  createdBy: z.string().nullable(),
  kind: TaskKindSchema,
  statusAt: TimestampSchema.nullable(),
  dueAt: TimestampSchema.nullable(),
  checkBackAt: TimestampSchema.nullable(),
  checkBackBy: z.string().nullable(),
});

export const CommsDraftViewSchema = z.strictObject({
  id: IdSchema,
  audience: z.string(),
  channel: z.string(),
  body: z.string(),
  state: z.enum(COMMS_STATES),
  createdAt: TimestampSchema.nullable(),
  createdBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: TimestampSchema.nullable(),
  sentBy: z.string().nullable(),
  sentAt: TimestampSchema.nullable(),
});

export const IncidentViewSchema = z.strictObject({
  id: IdSchema,
  title: z.string(),
  description: z.string(),
  occurredAt: TimestampSchema,
  detectedAt: TimestampSchema,
  declaredAt: TimestampSchema,
  services: z.array(z.string()),
  reporter: z.string(),
  detectionSource: z.string(),
  category: CategorySchema,
  drill: z.boolean(),
  declaredBy: z.string(),
  status: StatusSchema,
  impact: LevelSchema,
  urgency: LevelSchema,
  priority: PrioritySchema,
  roles: z.partialRecord(RoleSchema, z.string()),
  tasks: z.array(TaskViewSchema),
  comms: z.array(CommsDraftViewSchema),
  statusChanges: z.array(ChangeSchema(StatusSchema)),
  priorityChanges: z.array(ChangeSchema(PrioritySchema)),
  pauses: z.array(z.strictObject({ eventId: IdSchema, paused: z.boolean(), reason: z.string(), at: TimestampSchema, hlc: z.string() })),
  smes: z.array(SmeViewSchema),
  handoffs: z.array(HandoffViewSchema),
  pendingHandoffId: IdSchema.nullable(),
  timezones: z.array(z.string()),
  breaches: z.strictObject({ response: BreachMarkSchema.nullable(), resolution: BreachMarkSchema.nullable() }),
  resolvedAlerts: z.array(z.strictObject({ fingerprint: z.string(), endsAt: TimestampSchema })),
});

export const IncidentSummarySchema = z.strictObject({
  id: IdSchema,
  title: z.string(),
  status: StatusSchema,
  priority: PrioritySchema,
  declaredAt: TimestampSchema,
  commander: z.string(),
  drill: z.boolean(),
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const SlaTargetSchema = z.strictObject({
  responseMs: z.number().int().positive().nullable(),
  resolutionMs: z.number().int().positive().nullable(),
  pausable: z.boolean(),
});
export const SlaPolicySchema = z.strictObject({
  P1: SlaTargetSchema,
  P2: SlaTargetSchema,
  P3: SlaTargetSchema,
  P4: SlaTargetSchema,
  P5: SlaTargetSchema,
});

/** The team's settings as they stand on this laptop (shared/clocks/policy.ts): defaults overlaid with what was set. */
export const TeamSettingsSchema = z.strictObject({
  slaPolicy: SlaPolicySchema,
  audiences: z.array(AudienceSettingsSchema),
  callout: CalloutSettingsSchema,
});

export const TimelinePageSchema = z.strictObject({
  entries: z.array(EventEnvelopeSchema),
  total: z.number().int().min(0),
});

export const TOKEN_STORES = ['keychain', 'private_file', 'none'] as const;
/** Where this console keeps the hub token: the OS keychain, a private file beside the store, or nowhere (cannot store one). */
export type TokenStore = (typeof TOKEN_STORES)[number];

/**
 * Which secret storage really holds (or declined to hold) the hub token: the OS keyring behind
 * Electron's safeStorage, or why there is none ('basic_text': Linux without a keyring, where
 * Electron would only obfuscate it with a built-in key; 'none': no encryption at all).
 */
export const TOKEN_KEYRINGS = [
  'macos_keychain',
  'windows_dpapi',
  'gnome_libsecret',
  'kwallet',
  'kwallet5',
  'kwallet6',
  'basic_text',
  'unknown',
  'none',
] as const;
export type TokenKeyring = (typeof TOKEN_KEYRINGS)[number];

/** The store's integrity check, run after a large store opened, found it damaged: nothing is written to it. */
export const StoreDamagedSchema = z.strictObject({ file: z.string(), detail: z.string() });

export const AppInfoSchema = z.strictObject({
  version: z.string(),
  deviceId: z.string(),
  actor: z.string(),
  /** False until someone says who they are on this device: until then `actor` is the OS user's name. */
  actorChosen: z.boolean(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'browser']),
  tokenStore: z.enum(TOKEN_STORES),
  /** Electron only: the keyring found, named in the settings. */
  tokenKeyring: z.enum(TOKEN_KEYRINGS).optional(),
  /** Present once the store was found damaged after it opened: every command is refused (store_damaged). */
  storeDamaged: StoreDamagedSchema.optional(),
  /** What the core seals and opens a sealed team's events with (shared/sync/team-key-channels.ts). */
  sealCipher: z.enum(SEAL_CIPHER_KINDS),
});

/** A moment as a person typed it ("14:32", "2026-03-14 17:00", "-5m"): the core reads it, never the window. */
const TypedTimeSchema = z.string().trim().min(1).max(40);

export const DeclareInputSchema = z
  .strictObject({
    title: required(LIMITS.title),
    description: trimmed(LIMITS.text).default(''),
    occurredAt: TimestampSchema.optional(),
    detectedAt: TimestampSchema.optional(),
    /** As typed in the form ("now", "2026-03-14 17:00"): the core reads it on its clock and in its zone, never the window's. */
    occurredAtWhen: TypedTimeSchema.optional(),
    detectedAtWhen: TypedTimeSchema.optional(),
    services: z.array(required(LIMITS.shortText)).max(LIMITS.list).default([]),
    reporter: trimmed(LIMITS.shortText).default(''),
    detectionSource: DetectionSourceSchema,
    category: CategorySchema,
    impact: LevelSchema,
    urgency: LevelSchema,
    commander: required(LIMITS.name),
  })
  .superRefine((input, ctx) => {
    for (const field of ['occurredAt', 'detectedAt'] as const) {
      if ((input[field] === undefined) === (input[`${field}When`] === undefined))
        ctx.addIssue({ code: 'custom', path: [field], message: `give exactly one of ${field} and ${field}When` });
    }
  });

export const TaskCreateInputSchema = IncidentRef.extend({
  title: required(LIMITS.title),
  owner: trimmed(LIMITS.name).default(''),
  kind: TaskKindSchema.default('response'),
  dueAt: TimestampSchema.optional(),
  /** "Back to me at …", as ms since the epoch, for a moment the person named ("14:32"). */
  checkBackAt: TimestampSchema.optional(),
  /** "Back to me in 3 minutes": the core adds it to its own clock, so a window's wrong clock cannot move it. */
  checkBackInMs: DurationSchema.optional(),
  /** "Back to me at 14:32" as typed: the core reads it on its own clock and in its time zone (shared/time/typed-time.ts). */
  checkBackWhen: TypedTimeSchema.optional(),
  /** A due date or time as typed ("2026-03-14", "17:00"), read by the core likewise. */
  dueWhen: TypedTimeSchema.optional(),
}).superRefine((input, ctx) => {
  // A follow-up outlives the bridge call: without an owner and a date nobody will do it.
  if (input.kind !== 'followup') return;
  if (!input.owner) ctx.addIssue({ code: 'custom', path: ['owner'], message: 'a follow-up needs an owner', params: { reason: 'followup_owner' } });
  if (input.dueAt === undefined && input.dueWhen === undefined)
    ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'a follow-up needs a due date', params: { reason: 'followup_due' } });
});

export const SYNC_STATES = ['disabled', 'offline', 'syncing', 'up_to_date', 'error'] as const;

/** What the header tells the user about sync; never more optimistic than the truth. */
export const SyncStatusSchema = z.strictObject({
  state: z.enum(SYNC_STATES),
  hubUrl: z.string(),
  hasToken: z.boolean(),
  /** The hub is reached over plain http off this machine (a lab's explicit opt-out): the token crosses the network in clear. */
  plainHttp: z.boolean(),
  /** Entries recorded here that the hub has not acknowledged. */
  pending: z.number().int().min(0),
  offlineSince: TimestampSchema.nullable(),
  lastSyncedAt: TimestampSchema.nullable(),
  error: z.string().nullable(),
  /** `error`'s reason as a code with its figures, for the console to say in its language; null when it has none. */
  reason: SyncReasonSchema.nullable(),
  /** During a catch-up: events pulled and pushed so far in this round. */
  progress: z.strictObject({ pulled: z.number().int().min(0), pushed: z.number().int().min(0) }).nullable(),
  /** Another laptop whose clock runs ahead of this one by more than a minute. */
  clockSkew: z.strictObject({ deviceId: z.string(), aheadMs: z.number() }).nullable(),
  /** Events kept and synced onward but never folded (shared/record/untrusted.ts); listed by `quarantine.list`. */
  quarantined: z.number().int().min(0),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const HubUrlSchema = z.union([
  z.literal(''),
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, or empty' })
    .trim()
    .max(2000)
    .refine((value) => !/^[a-z]+:\/\/[^/]*@/i.test(value), 'must not carry credentials: the token goes in its own field'),
]);

export const HubTokenSchema = z
  .string()
  .trim()
  .min(8)
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

function channel<I extends z.ZodType, O extends z.ZodType>(kind: 'query' | 'command', input: I, output: O) {
  return { kind, input, output } as const;
}

/** The contract: the core channels here, then one piece per feature; a name declared twice throws when this loads. */
export const channels = mergeChannels(
  {
    'app.info': channel('query', Empty, AppInfoSchema),
    'settings.setActor': channel('command', z.strictObject({ actor: required(LIMITS.name) }), AppInfoSchema),
    'incidents.list': channel('query', Empty, z.array(IncidentSummarySchema)),
    'incident.get': channel('query', IncidentRef, z.strictObject({ incident: IncidentViewSchema.nullable(), slaPolicy: SlaPolicySchema })),
    'timeline.list': channel(
      'query',
      z.strictObject({
        incidentId: IdSchema,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(5000),
      }),
      TimelinePageSchema,
    ),
    'incident.declare': channel('command', DeclareInputSchema, CommandResult),
    'incident.openSampleDrill': channel('command', Empty, CommandResult),
    'incident.setStatus': channel('command', IncidentRef.extend({ status: StatusSchema, occurredAt: OptionalTime }), CommandResult),
    'incident.setPriority': channel('command', IncidentRef.extend({ impact: LevelSchema, urgency: LevelSchema, occurredAt: OptionalTime }), CommandResult),
    'incident.assignRole': channel('command', IncidentRef.extend({ role: RoleSchema, person: PersonNameSchema, occurredAt: OptionalTime }), CommandResult),
    // No time from the window: a pause starts and ends when the core says it is (issue #10).
    'sla.pause': channel('command', IncidentRef.extend({ reason: required(LIMITS.shortText) }), CommandResult),
    'sla.resume': channel('command', IncidentRef, CommandResult),
    'timeline.log': channel('command', IncidentRef.extend({ entryKind: NoteKindSchema, text: required(LIMITS.text), occurredAt: OptionalTime }), CommandResult),
    'task.create': channel('command', TaskCreateInputSchema, CommandResult.extend({ taskId: IdSchema })),
    'task.assign': channel('command', IncidentRef.extend({ taskId: IdSchema, owner: trimmed(LIMITS.name) }), CommandResult),
    /** Bulk assign: one event per task whose owner changes, all in one transaction. */
    'task.assignMany': channel(
      'command',
      IncidentRef.extend({ taskIds: z.array(IdSchema).min(1).max(500), owner: trimmed(LIMITS.name) }),
      z.strictObject({ incidentId: IdSchema, eventIds: z.array(IdSchema) }),
    ),
    'task.move': channel('command', IncidentRef.extend({ taskId: IdSchema, status: TaskStatusSchema }), CommandResult),
    'task.rename': channel('command', IncidentRef.extend({ taskId: IdSchema, title: required(LIMITS.title) }), CommandResult),
    /** Null removes the due date (a follow-up keeps one). */
    'task.setDue': channel(
      'command',
      IncidentRef.extend({ taskId: IdSchema, dueAt: TimestampSchema.nullable().optional(), dueWhen: TypedTimeSchema.optional() }).refine(
        (input) => (input.dueAt !== undefined) !== (input.dueWhen !== undefined),
        'give exactly one of dueAt and dueWhen',
      ),
      CommandResult,
    ),
    /**
     * Null clears the check-back. `inMs` sets it that long after the core's now; `extendMs` pushes a
     * running one further or gives an expired one that long from the core's now (the +5 min key).
     */
    'task.checkBack': channel(
      'command',
      IncidentRef.extend({
        taskId: IdSchema,
        checkBackAt: TimestampSchema.nullable().optional(),
        inMs: DurationSchema.optional(),
        extendMs: DurationSchema.optional(),
        /** A clock time or a date as typed, read by the core on its clock and in its zone. */
        when: TypedTimeSchema.optional(),
      }).refine(
        (input) =>
          [input.checkBackAt !== undefined, input.inMs !== undefined, input.extendMs !== undefined, input.when !== undefined].filter(Boolean).length === 1,
        'give exactly one of checkBackAt, inMs, extendMs and when',
      ),
      CommandResult,
    ),
    'comms.draft': channel(
      'command',
      IncidentRef.extend({ audience: AudienceSchema, channel: CommsChannelSchema, body: trimmed(LIMITS.text) }),
      CommandResult.extend({ draftId: IdSchema }),
    ),
    'comms.edit': channel('command', IncidentRef.extend({ draftId: IdSchema, body: trimmed(LIMITS.text) }), CommandResult),
    'comms.approve': channel('command', IncidentRef.extend({ draftId: IdSchema }), CommandResult),
    'comms.send': channel(
      'command',
      IncidentRef.extend({
        draftId: IdSchema,
        channel: CommsChannelSchema,
        /** Also ask the hub to deliver it to the audience's channels (shared/deliveries/events.ts). */
        deliver: z.boolean().optional(),
        /** The language of the words, for the subject line the hub writes. */
        language: z.enum(['en', 'fr']).optional(),
      }),
      CommandResult,
    ),
    'sync.status': channel('query', Empty, SyncStatusSchema),
    'sync.configure': channel(
      'command',
      z.strictObject({
        hubUrl: HubUrlSchema,
        /** Omitted keeps the saved token; the token is kept in the OS keychain, never in the data file. */
        token: HubTokenSchema.optional(),
        enabled: z.boolean(),
      }),
      SyncStatusSchema,
    ),
    'sync.now': channel('command', Empty, SyncStatusSchema),
  } as const,
  ROLE_CHANNELS,
  { 'settings.get': channel('query', Empty, TeamSettingsSchema) } as const,
  CLOCK_CHANNELS,
  TIMELINE_CHANNELS,
  REVIEW_CHANNELS,
  LIBRARY_CHANNELS,
  ALERT_CHANNELS,
  DELIVERY_CHANNELS,
  QUARANTINE_CHANNELS,
  TEAM_KEY_CHANNELS,
  ROOM_CHANNELS,
);

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/** An incident whose folded state a commit changed: its new view and list entry, so panes need not ask again. */
export const IncidentChangeSchema = z.strictObject({
  incidentId: IdSchema,
  incident: IncidentViewSchema.nullable(),
  summary: IncidentSummarySchema.nullable(),
});
export type IncidentChange = z.infer<typeof IncidentChangeSchema>;

/** Pushed after every commit, so views refetch only what changed. */
export const ChangeNoticeSchema = z.strictObject({
  incidentIds: z.array(IdSchema),
  eventIds: z.array(IdSchema),
  /**
   * Present when the core knows exactly what changed: every incident whose view or list entry
   * changed, with the new ones. An incident named in incidentIds and absent here only gained
   * timeline rows. Absent (e.g. a team setting changed): refetch the views.
   */
  changed: z.array(IncidentChangeSchema).optional(),
  /**
   * Present when these are all the timeline changes: the rows the events added, and the rows
   * their annotations (a star, a correction, a redaction) changed, as timeline.query gives them.
   * Absent: read the timeline window again.
   */
  timeline: z.strictObject({ added: z.array(TimelineRowSchema), updated: z.array(TimelineRowSchema) }).optional(),
  /** The kinds of the events recorded, once each: a pane folded from a few kinds (deliveries) reads again only when one of them is here. */
  kinds: z.array(z.string().min(1).max(100)).optional(),
  /** Present when the sync state changed (going offline needs no new event to be worth telling). */
  sync: SyncStatusSchema.optional(),
  /** Present when room sync's state changed (shared/sync/room-channels.ts): serving, a peer synced or failed. */
  room: RoomStatusSchema.optional(),
  /** Present while a long export runs (shared/library/channels.ts): no event, only how far it got. */
  progress: ExportProgressSchema.optional(),
  /** The core's worker died and was replaced: views refetch, and the console says so. */
  coreRestarted: z.literal(true).optional(),
  /** The store was found damaged after it opened (a large store is checked while the first screen shows): the console says so. */
  storeDamaged: StoreDamagedSchema.optional(),
});
export type ChangeNotice = z.infer<typeof ChangeNoticeSchema>;

/** What the renderer holds; implemented by the preload bridge and by the browser-mode HTTP client. */
export interface WarroomApi {
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  onChange(listener: (notice: ChangeNotice) => void): () => void;
}

/** Values that fill a translated error sentence ("{{status}}", "{{limit}}"). */
const ErrorParamsSchema = z.record(z.string().max(40), z.union([z.string().max(2000), z.number()]));
export type ErrorParams = z.infer<typeof ErrorParamsSchema>;

/**
 * Errors cross both transports as this shape. `message` is English, for logs, the CLI and
 * tests; what a person reads is built by the renderer from the stable codes — `reason` (why a
 * command was refused, e.g. `task_same_status`) with its `params`, or each issue's zod `code`
 * and limits — translated in their language (renderer/api/error-text.ts). Zod's own wording is
 * never shown to a user.
 */
export const ApiErrorSchema = z.strictObject({
  code: z.enum(['invalid_input', 'unknown_channel', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'misdirected', 'internal']),
  message: z.string(),
  reason: z.string().max(60).optional(),
  params: ErrorParamsSchema.optional(),
  issues: z
    .array(z.strictObject({ path: z.string(), message: z.string(), code: z.string().max(40).optional(), params: ErrorParamsSchema.optional() }))
    .optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }
}

/** A refusal with its stable reason: `refuse('conflict', 'task_same_status', 'The task is already in done.', { status })`. */
export function refuse(code: ApiErrorBody['code'], reason: string, message: string, params?: ErrorParams): ApiError {
  return new ApiError({ code, message, reason, ...(params && { params }) });
}

/** What a translation needs of a zod issue: its limit, its format, or the reason a refinement gave. */
function issueParams(issue: z.core.$ZodIssue): ErrorParams | undefined {
  switch (issue.code) {
    case 'too_small':
      return { limit: Number(issue.minimum), origin: issue.origin };
    case 'too_big':
      return { limit: Number(issue.maximum), origin: issue.origin };
    case 'invalid_format':
      return { format: issue.format };
    case 'custom': {
      const params = issue.params as Record<string, unknown> | undefined;
      const entries = Object.entries(params ?? {}).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number');
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    default:
      return undefined;
  }
}

/** A zod failure: "path: message" per issue for logs, and per issue its code and params for the UI. */
export function describeIssues(error: z.ZodError): ApiErrorBody {
  const issues = error.issues.map((i) => {
    const params = issueParams(i);
    return { path: i.path.join('.') || '(root)', message: i.message, code: i.code, ...(params && { params }) };
  });
  return { code: 'invalid_input', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
}
