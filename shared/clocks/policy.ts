import { z } from 'zod';
import { BUILTIN_AUDIENCES, DEFAULT_CADENCES, NEW_AUDIENCE_CADENCE, type AudienceCadence } from '../comms/cadence.js';
import { nameTable, ownEntry, SETTINGS_STREAM_ID } from '../record/untrusted.js';
import { AudienceSchema, IdSchema, isReservedName, LIMITS, asKnown, type EventEnvelope, type KnownEvent } from '../record/events.js';
import type { Register } from '../record/fold.js';
import { PRIORITIES, PrioritySchema, type Priority } from '../incidents/priority.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy, type SlaTarget } from './sla.js';
import { ZoneInputSchema } from './zones.js';

/**
 * Team settings (SLA policy, audiences and their cadence, the deputy call-out) are events like
 * everything else, so every laptop of the team ends up with the same ones through sync. They
 * live on one well-known stream, this nil UUID, which is never declared and so never listed as
 * an incident. Each field is its own last-writer-wins register: two people changing different
 * fields of the same priority offline both keep their change.
 */
export { SETTINGS_STREAM_ID } from '../record/untrusted.js';

const MIN = 60_000;

export interface CalloutSettings {
  /** How often the deputy call-out comes round; null = off. */
  everyMs: number | null;
  /** A task in doing or blocked with no move for this long is stalled. */
  stalledAfterMs: number;
}

export const DEFAULT_CALLOUT: CalloutSettings = { everyMs: 10 * MIN, stalledAfterMs: 15 * MIN };

export interface AudienceSettings extends AudienceCadence {
  name: string;
  builtin: boolean;
  /** An inactive audience keeps its history but gets no countdown and is not offered for new drafts. */
  active: boolean;
}

export interface TeamSettings {
  slaPolicy: SlaPolicy;
  audiences: AudienceSettings[];
  callout: CalloutSettings;
}

type Fields<T> = { [K in keyof T]?: Register<T[K]> };

export interface SettingsState {
  sla: Partial<Record<Priority, Fields<SlaTarget>>>;
  audiences: Record<string, Fields<Omit<AudienceSettings, 'name' | 'builtin'>>>;
  callout: Fields<CalloutSettings>;
}

export function emptySettings(): SettingsState {
  // Keyed by audience names anyone on the team may type: no prototype for a name to reach.
  return { sla: {}, audiences: nameTable(), callout: {} };
}

function set<T, K extends keyof T>(fields: Fields<T>, key: K, value: T[K] | undefined, hlc: string): void {
  if (value === undefined) return;
  const current = fields[key];
  if (!current || current.hlc < hlc) fields[key] = { value, hlc } as Fields<T>[K];
}

/** Apply one settings event in place; events of any other kind or stream are ignored. */
export function applySettingsEvent(state: SettingsState, raw: EventEnvelope): void {
  if (raw.incidentId !== SETTINGS_STREAM_ID) return;
  const event: KnownEvent | null = asKnown(raw);
  if (!event) return;
  const { hlc } = event;
  switch (event.kind) {
    case 'settings.sla': {
      const p = event.payload;
      const fields = (state.sla[p.priority] ??= {});
      set(fields, 'responseMs', p.responseMs, hlc);
      set(fields, 'resolutionMs', p.resolutionMs, hlc);
      set(fields, 'pausable', p.pausable, hlc);
      return;
    }
    case 'settings.audience': {
      const p = event.payload;
      // Names are checked on the way in (AudienceSchema); the own-entry lookup keeps the fold safe whatever arrives.
      if (isReservedName(p.audience)) return;
      const fields = ownEntry(state.audiences, p.audience) ?? (state.audiences[p.audience] = {});
      set(fields, 'firstMs', p.firstMs, hlc);
      set(fields, 'everyMs', p.everyMs, hlc);
      set(fields, 'longEveryMs', p.longEveryMs, hlc);
      set(fields, 'longAfterMs', p.longAfterMs, hlc);
      set(fields, 'active', p.active, hlc);
      return;
    }
    case 'settings.callout':
      set(state.callout, 'everyMs', event.payload.everyMs, hlc);
      set(state.callout, 'stalledAfterMs', event.payload.stalledAfterMs, hlc);
      return;
    default:
      return;
  }
}

/** Fold the settings stream (any order, duplicates allowed: registers keep the highest stamp). */
export function foldSettings(events: Iterable<EventEnvelope>): SettingsState {
  const state = emptySettings();
  for (const event of events) applySettingsEvent(state, event);
  return state;
}

const pick = <T>(register: Register<T> | undefined, fallback: T): T => (register ? register.value : fallback);

/** What the team has set, over the defaults of DOMAIN.md: built-in audiences first, then the added ones by name. */
export function effectiveSettings(state: SettingsState): TeamSettings {
  const slaPolicy = Object.fromEntries(
    PRIORITIES.map((p) => {
      const d = DEFAULT_SLA_POLICY[p];
      const f = state.sla[p] ?? {};
      return [p, { responseMs: pick(f.responseMs, d.responseMs), resolutionMs: pick(f.resolutionMs, d.resolutionMs), pausable: pick(f.pausable, d.pausable) }];
    }),
  ) as SlaPolicy;
  const added = Object.keys(state.audiences)
    .filter((name) => !(BUILTIN_AUDIENCES as readonly string[]).includes(name))
    .sort((a, b) => a.localeCompare(b));
  const audiences = [...BUILTIN_AUDIENCES, ...added].map((name): AudienceSettings => {
    const builtin = (BUILTIN_AUDIENCES as readonly string[]).includes(name);
    const d = builtin ? DEFAULT_CADENCES[name as (typeof BUILTIN_AUDIENCES)[number]] : NEW_AUDIENCE_CADENCE;
    const f = ownEntry(state.audiences, name) ?? {};
    return {
      name,
      builtin,
      active: pick(f.active, true),
      firstMs: pick(f.firstMs, d.firstMs),
      everyMs: pick(f.everyMs, d.everyMs),
      longEveryMs: pick(f.longEveryMs, d.longEveryMs),
      longAfterMs: pick(f.longAfterMs, d.longAfterMs),
    };
  });
  const callout: CalloutSettings = {
    everyMs: pick(state.callout.everyMs, DEFAULT_CALLOUT.everyMs),
    stalledAfterMs: pick(state.callout.stalledAfterMs, DEFAULT_CALLOUT.stalledAfterMs),
  };
  return { slaPolicy, audiences, callout };
}

/** The cadence of an audience, or the new-audience rhythm for one the settings do not name (typed on a draft). */
export function cadenceOf(settings: Pick<TeamSettings, 'audiences'>, audience: string): AudienceCadence {
  return settings.audiences.find((a) => a.name === audience) ?? NEW_AUDIENCE_CADENCE;
}

// ---- What may be typed into the settings: sensible ranges, checked before anything is recorded.

const YEAR = 365 * 24 * 60 * MIN;
/** A target or an interval as typed: whole minutes, from one minute to a year. */
export const DurationInputSchema = z
  .number()
  .int()
  .min(MIN, 'must be at least one minute')
  .max(YEAR, 'must be at most a year')
  .refine((ms) => ms % MIN === 0, 'must be whole minutes');

const atLeastOne = (keys: readonly string[]) => (input: Record<string, unknown>) => keys.some((k) => input[k] !== undefined);

export const SlaSettingInputSchema = z
  .strictObject({
    priority: PrioritySchema,
    /** Null = best effort (no target). */
    responseMs: DurationInputSchema.nullable().optional(),
    resolutionMs: DurationInputSchema.nullable().optional(),
    pausable: z.boolean().optional(),
  })
  .refine(atLeastOne(['responseMs', 'resolutionMs', 'pausable']), 'change at least one of responseMs, resolutionMs, pausable');

export const AudienceSettingInputSchema = z
  .strictObject({
    audience: AudienceSchema,
    firstMs: DurationInputSchema.nullable().optional(),
    everyMs: DurationInputSchema.nullable().optional(),
    longEveryMs: DurationInputSchema.nullable().optional(),
    longAfterMs: DurationInputSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine(atLeastOne(['firstMs', 'everyMs', 'longEveryMs', 'longAfterMs', 'active']), 'change at least one field of the audience');

export const CalloutSettingInputSchema = z
  .strictObject({ everyMs: DurationInputSchema.nullable().optional(), stalledAfterMs: DurationInputSchema.optional() })
  .refine(atLeastOne(['everyMs', 'stalledAfterMs']), 'change everyMs or stalledAfterMs');

const NullableMs = z.number().int().positive().nullable();
export const AudienceSettingsSchema = z.strictObject({
  name: z.string(),
  builtin: z.boolean(),
  active: z.boolean(),
  firstMs: NullableMs,
  everyMs: NullableMs,
  longEveryMs: NullableMs,
  longAfterMs: z.number().int().positive(),
});
export const CalloutSettingsSchema = z.strictObject({ everyMs: NullableMs, stalledAfterMs: z.number().int().positive() });

/** For a draft: the decisions logged since the last update sent to this audience (newest last, capped). */
export const CommsContextSchema = z.strictObject({
  lastSentAt: z.number().int().min(0).nullable(),
  decisions: z.array(z.strictObject({ eventId: IdSchema, text: z.string().max(LIMITS.text), at: z.number().int().min(0) })).max(20),
});
export type CommsContext = z.infer<typeof CommsContextSchema>;

export const BreachMarkSchema = z.strictObject({
  eventId: IdSchema,
  at: z.number().int().min(0),
  priority: PrioritySchema,
  targetMs: z.number().int().min(0),
  by: z.string(),
});

const IncidentRef = z.strictObject({ incidentId: IdSchema });
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });

/** The channels of the clocks and comms settings, spread into `channels` in shared/api/api.ts. */
export const CLOCK_CHANNELS = {
  'settings.setSla': { kind: 'command', input: SlaSettingInputSchema, output: CommandResult },
  'settings.setAudience': { kind: 'command', input: AudienceSettingInputSchema, output: CommandResult },
  'settings.setCallout': { kind: 'command', input: CalloutSettingInputSchema, output: CommandResult },
  'incident.setTimezones': {
    kind: 'command',
    input: IncidentRef.extend({
      zones: z
        .array(ZoneInputSchema)
        .max(12)
        .refine((zones) => new Set(zones).size === zones.length, { message: 'lists a zone twice', params: { reason: 'zone_twice' } }),
    }),
    output: CommandResult,
  },
  'comms.context': { kind: 'query', input: IncidentRef.extend({ audience: AudienceSchema }), output: CommsContextSchema },
} as const;
