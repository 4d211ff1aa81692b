import { asKnown, type EventEnvelope, type PayloadOf } from '../record/events.js';
import type { IncidentView } from '../record/fold.js';
import { milestonesOf } from '../review/metrics.js';

/**
 * What the record says about a drill: how it started (what it replays, how fast, the
 * original's response times) and whether it was stopped. Read from the drill's own events,
 * so every laptop that holds the incident can show it, not only the one delivering injects.
 */
export interface DrillRecord {
  startedEventId: string;
  startedAt: number;
  startedBy: string;
  source: PayloadOf<'drill.started'>['source'];
  sourceId: string;
  sourceTitle: string;
  speed: number;
  language: PayloadOf<'drill.started'>['language'];
  injects: number;
  reference: PayloadOf<'drill.started'>['reference'];
  stopped: { at: number; by: string; delivered: number; cancelled: number } | null;
}

/** The drill's start and stop; the earliest stamp is the fact when two laptops recorded one. */
export function drillRecordOf(events: readonly EventEnvelope[]): DrillRecord | null {
  let started: (EventEnvelope & { kind: 'drill.started'; payload: PayloadOf<'drill.started'> }) | null = null;
  let stopped: (EventEnvelope & { kind: 'drill.stopped'; payload: PayloadOf<'drill.stopped'> }) | null = null;
  const earlier = (a: EventEnvelope, b: EventEnvelope | null) => !b || a.hlc < b.hlc || (a.hlc === b.hlc && a.id < b.id);
  for (const raw of events) {
    const event = asKnown(raw);
    if (event?.kind === 'drill.started' && earlier(event, started)) started = event;
    if (event?.kind === 'drill.stopped' && earlier(event, stopped)) stopped = event;
  }
  if (!started) return null;
  const p = started.payload;
  return {
    startedEventId: started.id,
    startedAt: p.occurredAt,
    startedBy: started.actor,
    source: p.source,
    sourceId: p.sourceId,
    sourceTitle: p.sourceTitle,
    speed: p.speed,
    language: p.language,
    injects: p.injects,
    reference: p.reference,
    stopped: stopped ? { at: stopped.payload.occurredAt, by: stopped.actor, delivered: stopped.payload.delivered, cancelled: stopped.payload.cancelled } : null,
  };
}

export const COMPARED = ['respond', 'mitigate', 'resolve'] as const;
export type Compared = (typeof COMPARED)[number];

export interface ComparisonRow {
  metric: Compared;
  /** Measured in the drill, from its declaration, in real time. */
  drillMs: number | null;
  /** The same, in the scenario's time (× speed): what a real incident would have taken at this pace. */
  scenarioMs: number | null;
  originalMs: number | null;
  /** scenarioMs − originalMs: negative = the team was faster than the original. */
  deltaMs: number | null;
}

/**
 * The drill's response times beside the original's, on the milestones the review metrics use
 * (shared/review/metrics.ts), all from the declaration. A drill played at 10× compresses time, so
 * its times are also given ×speed to be read against the original on the same scale.
 */
export function compareDrill(view: IncidentView, events: readonly EventEnvelope[], record: DrillRecord): ComparisonRow[] {
  const { marks } = milestonesOf(view, events);
  const since = (at: number | null) => (at === null || at < view.declaredAt ? null : at - view.declaredAt);
  const measured: Record<Compared, number | null> = {
    respond: since(marks.responded.at),
    mitigate: since(marks.mitigated.at),
    resolve: since(marks.resolved.at),
  };
  const original: Record<Compared, number | null> = {
    respond: record.reference?.respondMs ?? null,
    mitigate: record.reference?.mitigateMs ?? null,
    resolve: record.reference?.resolveMs ?? null,
  };
  return COMPARED.map((metric) => {
    const drillMs = measured[metric];
    const scenarioMs = drillMs === null ? null : drillMs * record.speed;
    const originalMs = original[metric];
    return { metric, drillMs, scenarioMs, originalMs, deltaMs: scenarioMs !== null && originalMs !== null ? scenarioMs - originalMs : null };
  });
}
