import { parseUntrustedJson, structuralProblem, UNTRUSTED_LIMITS } from '../../record/untrusted.js';
import { z } from 'zod';
import {
  CategorySchema,
  DetectionSourceSchema,
  LIMITS,
  NoteKindSchema,
  asKnown,
  occurredAtOf,
  type EventEnvelope,
  type NoteKind,
  type PayloadOf,
} from '../../record/events.js';
import type { IncidentView } from '../../record/fold.js';
import { milestonesOf } from '../../review/metrics.js';
import { LevelSchema } from '../../incidents/priority.js';
import { message } from '../../text/errors.js';

/**
 * A drill scenario: what the team is told at the start, and the injects (alerts, reports,
 * findings from outside the room) that arrive afterwards on a schedule. The three shipped
 * scenarios and any file a facilitator writes share this format; a recorded incident turns
 * into the same shape, so a drill has one code path whatever its source.
 */
export const SCENARIO_FORMAT = 'warroom-scenario';
export const DRILL_LANGUAGES = ['en', 'fr'] as const;
export type DrillLanguage = (typeof DRILL_LANGUAGES)[number];
export const DRILL_SPEEDS = [1, 2, 10] as const;
export type DrillSpeed = (typeof DRILL_SPEEDS)[number];

/** Longest scenario: a week of injects, even at 1×. */
const MAX_OFFSET_MS = 7 * 24 * 3_600_000;
export const SCENARIO_FILE_LIMIT = 1024 * 1024;

const required = (max: number) => z.string().trim().min(1).max(max);

/** One language, or both; a file written for one team may carry only its own. */
const localized = (max: number) => z.union([required(max), z.strictObject({ en: required(max), fr: required(max) })]);
export type Localized = string | { en: string; fr: string };

export function localize(text: Localized, language: DrillLanguage): string {
  return typeof text === 'string' ? text : text[language];
}

const Duration = z.number().int().min(0).max(MAX_OFFSET_MS);

/** How fast the original team got there, from its declaration: what the drill's response is compared with. */
export const ReferenceSchema = z.strictObject({
  respondMs: Duration.nullable(),
  mitigateMs: Duration.nullable(),
  resolveMs: Duration.nullable(),
});
export type DrillReference = z.infer<typeof ReferenceSchema>;

export const InjectSchema = z.strictObject({
  /** After the start of the drill, in the scenario's own time (a 10× drill delivers it ten times sooner). */
  atMs: Duration,
  entryKind: NoteKindSchema,
  /** Who it comes from: a monitoring tool, a team, a customer; it becomes the entry's author. */
  from: required(LIMITS.name),
  text: localized(LIMITS.text),
});
export type Inject = z.infer<typeof InjectSchema>;

export const ScenarioSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT),
  version: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes'),
  title: localized(LIMITS.title),
  summary: localized(LIMITS.text),
  /** The real case it is modelled on, told in one line. */
  basedOn: localized(LIMITS.shortText).optional(),
  incident: z.strictObject({
    title: localized(LIMITS.title),
    description: localized(LIMITS.text),
    services: z.array(required(LIMITS.shortText)).max(LIMITS.list),
    reporter: z.string().trim().max(LIMITS.shortText),
    detectionSource: DetectionSourceSchema,
    category: CategorySchema,
    impact: LevelSchema,
    urgency: LevelSchema,
    /** From occurrence to detection in the original, so the drill's time to detect reads like the real one. */
    detectedAfterMs: Duration,
  }),
  injects: z.array(InjectSchema).min(1).max(500),
  reference: ReferenceSchema.nullable(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export interface ScenarioSummary {
  id: string;
  title: Localized;
  summary: Localized;
  basedOn: Localized | null;
  category: Scenario['incident']['category'];
  injects: number;
  /** Scenario time from the start to the last inject. */
  durationMs: number;
}

export function summarizeScenario(scenario: Scenario): ScenarioSummary {
  return {
    id: scenario.id,
    title: scenario.title,
    summary: scenario.summary,
    basedOn: scenario.basedOn ?? null,
    category: scenario.incident.category,
    injects: scenario.injects.length,
    durationMs: Math.max(...scenario.injects.map((i) => i.atMs)),
  };
}

/** A scenario file refused: a stable reason and its params for the console to say, an English message for logs. */
export class ScenarioError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Parse a scenario file a facilitator picked; throws a ScenarioError with every problem named, path first. */
export function parseScenario(text: string): Scenario {
  if (text.length > SCENARIO_FILE_LIMIT)
    throw new ScenarioError('scenario_too_big', `The scenario file is larger than ${SCENARIO_FILE_LIMIT / 1024} KiB.`, { kib: SCENARIO_FILE_LIMIT / 1024 });
  let raw: unknown;
  try {
    // Through the one untrusted-input path: the depth limit before parsing, no prototype names, well-formed text.
    raw = parseUntrustedJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ScenarioError('scenario_not_json', `The scenario file is not JSON: ${message(error)}`);
  }
  const problem = structuralProblem(raw, UNTRUSTED_LIMITS.maxDocumentDepth);
  if (problem) throw new ScenarioError('scenario_invalid', `The scenario file is not valid: ${problem}`, { path: problem.split(':')[0]! });
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError(
      'scenario_invalid',
      `The scenario file is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      {
        path: parsed.error.issues[0]?.path.join('.') || '(root)',
      },
    );
  }
  return parsed.data;
}

/**
 * What the team decides and does is theirs to do again; what the world told them (notes,
 * findings, and any kind of observation a later version adds) is replayed as an inject.
 */
const TEAM_KINDS: ReadonlySet<string> = new Set<NoteKind>(['decision', 'action', 'hypothesis']);

/**
 * The original's response times from its declaration, read through the review metrics
 * (shared/review/metrics.ts), so a drill is compared on exactly the milestones its review shows.
 */
export function referenceFromView(view: IncidentView, events: readonly EventEnvelope[]): DrillReference {
  const { marks } = milestonesOf(view, events);
  const since = (at: number | null) => (at === null || at < view.declaredAt ? null : Math.min(at - view.declaredAt, MAX_OFFSET_MS));
  return { respondMs: since(marks.responded.at), mitigateMs: since(marks.mitigated.at), resolveMs: since(marks.resolved.at) };
}

/** A recorded incident as a scenario: its declaration, and its observations re-timed from the declaration. */
export function scenarioFromIncident(view: IncidentView, events: readonly EventEnvelope[]): Scenario {
  const injects: Inject[] = [];
  for (const raw of events) {
    const event = asKnown(raw);
    if (event?.kind !== 'timeline.entry') continue;
    const payload: PayloadOf<'timeline.entry'> = event.payload;
    if (TEAM_KINDS.has(payload.entryKind)) continue;
    injects.push({
      atMs: Math.min(Math.max(0, occurredAtOf(event) - view.declaredAt), MAX_OFFSET_MS),
      entryKind: payload.entryKind,
      from: event.actor,
      text: payload.text,
    });
  }
  injects.sort((a, b) => a.atMs - b.atMs);
  if (injects.length === 0) {
    // Nothing to replay but the declaration: the drill still runs, the team starts from the brief.
    injects.push({ atMs: 0, entryKind: 'note', from: view.declaredBy, text: view.description || view.title });
  }
  return {
    format: SCENARIO_FORMAT,
    version: 1,
    id: 'incident',
    title: view.title,
    summary: view.description || view.title,
    incident: {
      title: view.title,
      description: view.description,
      services: view.services,
      reporter: view.reporter,
      detectionSource: view.detectionSource as Scenario['incident']['detectionSource'],
      category: view.category,
      impact: view.impact,
      urgency: view.urgency,
      detectedAfterMs: Math.min(Math.max(0, view.detectedAt - view.occurredAt), MAX_OFFSET_MS),
    },
    injects: injects.slice(0, 500),
    reference: referenceFromView(view, events),
  };
}

const DRILL_PREFIX: Record<DrillLanguage, string> = { en: 'Drill: ', fr: 'Exercice : ' };

export interface PlannedInject {
  seq: number;
  dueAt: number;
  entryKind: NoteKind;
  actor: string;
  text: string;
}

export interface DrillPlan {
  declared: Omit<PayloadOf<'incident.declared'>, 'commander'>;
  injects: PlannedInject[];
}

/**
 * When each inject falls due: its scenario time divided by the speed, from the start. The
 * declaration sits at the start, with detection and occurrence before it on the same scale.
 */
export function planDrill(scenario: Scenario, options: { startAt: number; speed: DrillSpeed; language: DrillLanguage }): DrillPlan {
  const { startAt, speed, language } = options;
  const s = scenario.incident;
  const detectedAt = startAt;
  const occurredAt = startAt - Math.round(s.detectedAfterMs / speed);
  const title = `${DRILL_PREFIX[language]}${localize(s.title, language)}`.slice(0, LIMITS.title);
  const injects = scenario.injects
    .map((inject, index) => ({ inject, index }))
    .sort((a, b) => a.inject.atMs - b.inject.atMs || a.index - b.index)
    .map(({ inject }, seq) => ({
      seq,
      dueAt: startAt + Math.round(inject.atMs / speed),
      entryKind: inject.entryKind,
      actor: inject.from,
      text: localize(inject.text, language),
    }));
  return {
    declared: {
      title,
      description: localize(s.description, language),
      occurredAt,
      detectedAt,
      declaredAt: startAt,
      services: s.services,
      reporter: s.reporter,
      detectionSource: s.detectionSource,
      category: s.category,
      impact: s.impact,
      urgency: s.urgency,
      drill: true,
    },
    injects,
  };
}
