import { refuse, type ChangeNotice, type ErrorParams, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import { sentTimes } from '../../../shared/comms/cadence.js';
import { SLA_CLOCKS, type EventEnvelope, type EventKind, type PayloadOf } from '../../../shared/record/events.js';
import { viewIncident, type IncidentState } from '../../../shared/record/fold.js';
import { effectiveSettings, foldSettings, SETTINGS_STREAM_ID, type CLOCK_CHANNELS, type TeamSettings } from '../../../shared/clocks/policy.js';
import { slaClocks } from '../../../shared/clocks/sla.js';
import { effectiveEntry, type Annotation } from '../../../shared/timeline/timeline.js';
import type { Store } from '../../store/store.js';
import type { EventRow } from '../../store/event-row.js';

type ClockChannel = keyof typeof CLOCK_CHANNELS | 'settings.get';
export type ClockHandlers = { [C in ClockChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** What the clocks need from the core, without reaching into its internals. */
export interface ClockDeps {
  store: Store;
  now: () => number;
  requireIncident(incidentId: string): IncidentState;
  record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string };
  onChange(listener: (notice: ChangeNotice) => void): void;
}

const conflict = (reason: string, message: string, params?: ErrorParams) => refuse('conflict', reason, message, params);
/** Decisions looked at for a draft: the newest ones matter, and a draft has room for a few. */
const DECISIONS_SCANNED = 100;
const DECISIONS_KEPT = 20;
/** Incidents in these states cannot breach any more, and are not looked at by the breach watch. */
const FINISHED = new Set(['closed', 'reviewed']);

interface DecisionRow extends EventRow {
  occurred_at: number;
  annotation: string | null;
}

/**
 * Team settings (folded from their own event stream), the breach watch and the comms context.
 * The settings fold is cached and dropped whenever an event of the settings stream commits,
 * whether typed here or pulled from the hub.
 */
export class ClockService {
  private cached: TeamSettings | null = null;
  private readonly decisionsSince;

  constructor(private readonly deps: ClockDeps) {
    deps.onChange((notice) => {
      if (notice.incidentIds.includes(SETTINGS_STREAM_ID)) this.cached = null;
    });
    // The timeline rows hold each entry as corrected, with its redaction: a draft quotes what the timeline shows.
    this.decisionsSince = deps.store.db.prepare<[string, number, number], DecisionRow>(
      `SELECT e.id, e.incident_id, e.kind, e.hlc, e.recorded_at, e.actor, e.device_id, e.payload, r.occurred_at, r.annotation
       FROM timeline_rows r JOIN events e ON e.seq = r.seq
       WHERE r.incident_id = ? AND r.shown = 1 AND r.badge = 'decision' AND r.occurred_at > ?
       ORDER BY r.occurred_at DESC, r.hlc DESC LIMIT ?`,
    );
  }

  settings(): TeamSettings {
    return (this.cached ??= effectiveSettings(foldSettings(this.deps.store.incidentEvents(SETTINGS_STREAM_ID))));
  }

  /**
   * The watch the core worker runs on a timer: every open incident, both clocks, against the
   * core's own clock — never a window's, so a laptop whose browser clock is wrong can show a
   * wrong countdown but never record a breach that has not happened. Once per clock (the fold
   * keeps the first); the entry is stamped with the moment the target ran out.
   */
  noticeBreaches(): number {
    const now = this.deps.now();
    let recorded = 0;
    for (const summary of this.deps.store.listIncidents()) {
      if (FINISHED.has(summary.status)) continue;
      const state = this.deps.store.incidentState(summary.id);
      const view = viewIncident(state);
      if (!view) continue;
      const clocks = slaClocks(view, this.settings().slaPolicy, now);
      for (const clock of SLA_CLOCKS) {
        const reading = clocks[clock];
        if (!reading.breached || state.breaches?.[clock] || reading.targetMs === null || reading.deadline === null) continue;
        this.deps.record(summary.id, 'sla.breached', { clock, priority: view.priority, targetMs: reading.targetMs, occurredAt: reading.deadline });
        recorded++;
      }
    }
    return recorded;
  }

  private record<K extends EventKind>(kind: K, payload: PayloadOf<K>) {
    return this.deps.record(SETTINGS_STREAM_ID, kind, payload);
  }

  handlers(): ClockHandlers {
    return {
      'settings.get': () => this.settings(),
      'settings.setSla': ({ priority, ...fields }) => {
        const current = this.settings().slaPolicy[priority];
        const changed = onlyChanged(fields, current);
        if (!changed) throw conflict('policy_unchanged', `The ${priority} policy is unchanged.`, { priority });
        return this.record('settings.sla', { priority, ...changed });
      },
      'settings.setAudience': ({ audience, ...fields }) => {
        const current = this.settings().audiences.find((a) => a.name === audience);
        // A new audience records its whole cadence, so it does not drift if the new-audience default changes.
        const changed = current ? onlyChanged(fields, current) : fields;
        if (!changed) throw conflict('audience_unchanged', `The settings of ${audience} are unchanged.`, { audience });
        return this.record('settings.audience', { audience, ...changed });
      },
      'settings.setCallout': (fields) => {
        const changed = onlyChanged(fields, this.settings().callout);
        if (!changed) throw conflict('callout_unchanged', 'The deputy call-out settings are unchanged.');
        return this.record('settings.callout', changed);
      },
      'incident.setTimezones': ({ incidentId, zones }) => {
        const current = this.deps.requireIncident(incidentId).timezones?.value ?? [];
        if (current.length === zones.length && current.every((z, i) => z === zones[i])) throw conflict('zones_unchanged', 'The time zones are unchanged.');
        return this.deps.record(incidentId, 'incident.timezones', { zones, occurredAt: this.deps.now() });
      },
      'comms.context': ({ incidentId, audience }) => {
        const view = viewIncident(this.deps.requireIncident(incidentId))!;
        const sent = sentTimes(view.comms, audience);
        const lastSentAt = sent.length ? sent[sent.length - 1]! : null;
        const decisions: { eventId: string; text: string; at: number }[] = [];
        this.deps.store.timelineRows.settle();
        for (const row of this.decisionsSince.all(incidentId, lastSentAt ?? view.declaredAt, DECISIONS_SCANNED)) {
          const event: EventEnvelope = {
            id: row.id,
            incidentId: row.incident_id,
            kind: row.kind,
            hlc: row.hlc,
            recordedAt: row.recorded_at,
            actor: row.actor,
            deviceId: row.device_id,
            payload: JSON.parse(row.payload) as Record<string, unknown>,
          };
          const entry = effectiveEntry(event, row.annotation === null ? null : (JSON.parse(row.annotation) as Annotation));
          // A redacted decision stays out of a message to stakeholders: its words are withheld everywhere.
          if (entry.redaction === null && entry.text !== null) decisions.push({ eventId: row.id, text: entry.text, at: entry.occurredAt });
          if (decisions.length === DECISIONS_KEPT) break;
        }
        return { lastSentAt, decisions: decisions.reverse() };
      },
    };
  }
}

/** The fields that differ from what is set now; undefined when nothing would change. */
function onlyChanged<T extends object>(fields: Partial<T>, current: T): Partial<T> | undefined {
  const changed = Object.fromEntries(Object.entries(fields).filter(([key, value]) => value !== undefined && value !== current[key as keyof T])) as Partial<T>;
  return Object.keys(changed).length ? changed : undefined;
}
