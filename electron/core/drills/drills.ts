import { createHash } from 'node:crypto';
import { newId } from '../ids/new-id.js';
import { ApiError, refuse, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { EventEnvelope, EventKind, NoteKind, PayloadOf } from '../../../shared/record/events.js';
import { viewIncident, type IncidentState } from '../../../shared/record/fold.js';
import { compareDrill, drillRecordOf } from '../../../shared/drills/drills.js';
import type { DrillStatus } from '../../../shared/library/channels.js';
import { findScenario, SCENARIOS } from '../../../shared/drills/scenarios/index.js';
import {
  localize,
  parseScenario,
  ScenarioError,
  planDrill,
  scenarioFromIncident,
  summarizeScenario,
  type Localized,
  type Scenario,
} from '../../../shared/drills/scenarios/schema.js';
import type { Store } from '../../store/store.js';
import { message } from '../../../shared/text/errors.js';

/**
 * Drills: a recorded incident or a scenario replayed as a new incident marked `drill: true`,
 * its injects arriving on their schedule (scaled by the speed) while the team responds.
 *
 * The schedule is kept in this laptop's store (drill_injects, migration 5) and delivered by
 * the core worker on a timer, so injects arrive even when no window is open and after a
 * restart. An inject is recorded when it is delivered, as a timeline entry stamped then; its
 * event id is fixed when the drill starts, so a delivery repeated after a crash is stored once.
 */

export interface DrillDeps {
  store: Store;
  now: () => number;
  actor: () => string;
  requireIncident(incidentId: string): IncidentState;
  /** A new event stamped by this device's clock. */
  event<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): EventEnvelope;
  /** Tell listeners about events that have been committed. */
  notify(events: readonly EventEnvelope[]): void;
}

/** What the timer needs; tests pass a fake one. */
export interface DrillTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The timer wakes at least this often, so a wall clock changed underneath it is noticed. */
const MAX_SLEEP_MS = 30_000;
const FINISHED: ReadonlySet<string> = new Set(['closed', 'reviewed']);

/** A UUID (version 8: application-defined) fixed by the drill and the inject's place in it. */
export function injectEventId(incidentId: string, seq: number): string {
  const hex = createHash('sha256').update(`warroom-drill-inject:${incidentId}:${seq}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface InjectRow {
  incident_id: string;
  seq: number;
  due_at: number;
  event_id: string;
  entry_kind: string;
  actor: string;
  text: string;
}

const both = (text: Localized) => (typeof text === 'string' ? { en: text, fr: text } : text);

export class DrillEngine {
  private readonly stmts;
  private timers: DrillTimers | null = null;
  private timer: unknown = null;

  constructor(private readonly deps: DrillDeps) {
    const db = deps.store.db;
    this.stmts = {
      insert: db.prepare(`INSERT INTO drill_injects (incident_id, seq, due_at, event_id, entry_kind, actor, text) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      due: db.prepare<[number], InjectRow>(
        `SELECT incident_id, seq, due_at, event_id, entry_kind, actor, text FROM drill_injects
         WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, incident_id, seq`,
      ),
      next: db.prepare<[], { at: number | null }>(`SELECT min(due_at) AS at FROM drill_injects WHERE state = 'pending'`),
      mark: db.prepare(`UPDATE drill_injects SET state = ? WHERE incident_id = ? AND seq = ?`),
      cancel: db.prepare(`UPDATE drill_injects SET state = 'cancelled' WHERE incident_id = ? AND state = 'pending'`),
      counts: db.prepare<[string], { pending: number; delivered: number; cancelled: number; total: number; next: number | null }>(
        `SELECT coalesce(sum(state = 'pending'), 0) AS pending, coalesce(sum(state = 'delivered'), 0) AS delivered,
           coalesce(sum(state = 'cancelled'), 0) AS cancelled, count(*) AS total,
           min(CASE WHEN state = 'pending' THEN due_at END) AS next
         FROM drill_injects WHERE incident_id = ?`,
      ),
    };
  }

  scenarios(): ChannelOutput<'drill.scenarios'> {
    return SCENARIOS.map((s) => {
      const summary = summarizeScenario(s);
      return { ...summary, title: both(summary.title), summary: both(summary.summary), basedOn: summary.basedOn === null ? null : both(summary.basedOn) };
    });
  }

  private scenarioFor(source: ParsedInput<'drill.start'>['source']): { scenario: Scenario; sourceId: string } {
    switch (source.kind) {
      case 'incident': {
        const state = this.deps.requireIncident(source.incidentId);
        const view = viewIncident(state)!;
        return { scenario: scenarioFromIncident(view, this.deps.store.incidentEvents(source.incidentId)), sourceId: source.incidentId };
      }
      case 'scenario': {
        const scenario = findScenario(source.scenarioId);
        if (!scenario) throw refuse('not_found', 'scenario_unknown', `No scenario named ${source.scenarioId}.`, { scenario: source.scenarioId });
        return { scenario, sourceId: scenario.id };
      }
      case 'file':
        try {
          const scenario = parseScenario(source.content);
          return { scenario, sourceId: scenario.id };
        } catch (error) {
          if (error instanceof ScenarioError) throw refuse('invalid_input', error.reason, error.message, error.params);
          throw new ApiError({ code: 'invalid_input', message: message(error) });
        }
    }
  }

  /** Declare the drill incident, say what it replays, schedule its injects; all in one transaction. */
  start(input: ParsedInput<'drill.start'>): ChannelOutput<'drill.start'> {
    const { scenario, sourceId } = this.scenarioFor(input.source);
    const now = this.deps.now();
    const plan = planDrill(scenario, { startAt: now, speed: input.speed, language: input.language });
    const incidentId = newId();
    const declared = this.deps.event(incidentId, 'incident.declared', { ...plan.declared, commander: input.commander ?? this.deps.actor() });
    const started = this.deps.event(incidentId, 'drill.started', {
      source: input.source.kind,
      sourceId,
      sourceTitle: localize(scenario.title, input.language).slice(0, 200),
      speed: input.speed,
      language: input.language,
      injects: plan.injects.length,
      reference: scenario.reference,
      occurredAt: now,
    });
    this.deps.store.db.transaction(() => {
      for (const i of plan.injects) {
        this.stmts.insert.run(incidentId, i.seq, i.dueAt, injectEventId(incidentId, i.seq), i.entryKind, i.actor, i.text);
      }
      // Last, so that if it throws, the store has already forgotten its cached fold of this transaction.
      this.deps.store.append([declared, started], { outbox: true, now: this.deps.now() });
    })();
    this.deps.notify([declared, started]);
    this.deliverDue();
    return { incidentId, eventId: declared.id };
  }

  /**
   * Record every inject whose time has come, stamped now. A drill whose incident has been
   * closed gets no more injects: what is left is cancelled and the stop is recorded.
   */
  deliverDue(): EventEnvelope[] {
    const now = this.deps.now();
    const due = this.stmts.due.all(now);
    if (due.length === 0) {
      this.arm();
      return [];
    }
    const delivered: EventEnvelope[] = [];
    const finished = new Set<string>();
    for (const row of due) {
      if (finished.has(row.incident_id)) continue;
      const status = viewIncident(this.deps.store.incidentState(row.incident_id))?.status;
      if (status && FINISHED.has(status)) {
        finished.add(row.incident_id);
        continue;
      }
      const event = this.deps.event(row.incident_id, 'timeline.entry', { entryKind: row.entry_kind as NoteKind, text: row.text, occurredAt: now });
      delivered.push({ ...event, id: row.event_id, actor: row.actor });
    }
    const stops: EventEnvelope[] = [];
    let inserted: EventEnvelope[] = [];
    this.deps.store.db.transaction(() => {
      for (const incidentId of finished) stops.push(this.stopEvent(incidentId));
      inserted = this.deps.store.append([...delivered, ...stops], { outbox: true, now: this.deps.now() });
      for (const row of due) if (!finished.has(row.incident_id)) this.stmts.mark.run('delivered', row.incident_id, row.seq);
    })();
    this.deps.notify(inserted);
    this.arm();
    return inserted;
  }

  /** The stop event, cancelling what is still pending; call inside a transaction. */
  private stopEvent(incidentId: string): EventEnvelope {
    const counts = this.stmts.counts.get(incidentId)!;
    this.stmts.cancel.run(incidentId);
    return this.deps.event(incidentId, 'drill.stopped', { delivered: counts.delivered, cancelled: counts.pending, occurredAt: this.deps.now() });
  }

  stop({ incidentId }: ParsedInput<'drill.stop'>): ChannelOutput<'drill.stop'> {
    this.deps.requireIncident(incidentId);
    const events = this.deps.store.incidentEvents(incidentId);
    const record = drillRecordOf(events);
    if (!record) throw refuse('conflict', 'not_a_drill', 'This incident is not a drill.');
    if (record.stopped) throw refuse('conflict', 'drill_stopped', 'This drill was already stopped.');
    let stop: EventEnvelope | null = null;
    this.deps.store.db.transaction(() => {
      stop = this.stopEvent(incidentId);
      this.deps.store.append([stop], { outbox: true, now: this.deps.now() });
    })();
    this.deps.notify([stop!]);
    this.arm();
    return { incidentId, eventId: stop!.id };
  }

  status({ incidentId }: ParsedInput<'drill.status'>): ChannelOutput<'drill.status'> {
    const state = this.deps.store.incidentState(incidentId);
    const view = viewIncident(state);
    if (!view) throw refuse('not_found', 'no_incident', `No incident with id ${incidentId}`);
    const events = this.deps.store.incidentEvents(incidentId);
    const record = drillRecordOf(events);
    if (!record) return { drill: null };
    const counts = this.stmts.counts.get(incidentId)!;
    // Counted from the record by their fixed ids, so a laptop that only received the drill through sync counts the same.
    const expected = new Set(Array.from({ length: record.injects }, (_, seq) => injectEventId(incidentId, seq)));
    const delivered = events.filter((e) => expected.has(e.id)).length;
    const drill: DrillStatus = {
      source: record.source,
      sourceId: record.sourceId,
      sourceTitle: record.sourceTitle,
      speed: record.speed,
      startedAt: record.startedAt,
      startedBy: record.startedBy,
      total: record.injects,
      delivered,
      pending: counts.pending,
      nextDueAt: counts.next,
      local: counts.total > 0,
      stopped: record.stopped,
      comparison: compareDrill(view, events, record),
    };
    return { drill };
  }

  /** Start delivering on a timer (the core worker does; tests drive `deliverDue` themselves or pass fake timers). */
  run(timers: DrillTimers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }): void {
    this.timers = timers;
    this.deliverDue();
  }

  halt(): void {
    if (this.timers && this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timers = null;
    this.timer = null;
  }

  private arm(): void {
    if (!this.timers) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const next = this.stmts.next.get()?.at ?? null;
    if (next === null) return;
    const wait = Math.min(Math.max(0, next - this.deps.now()), MAX_SLEEP_MS);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      try {
        this.deliverDue();
      } catch (error) {
        console.error('Drill injects could not be delivered:', error);
        this.arm();
      }
    }, wait);
  }
}
