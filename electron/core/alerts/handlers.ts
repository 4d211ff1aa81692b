import { newId } from '../ids/new-id.js';
import { ApiError, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import { applyAlertEvent, emptyAlerts, resolutions, viewAlerts, type AlertsState, type AlertView } from '../../../shared/alerts/alerts.js';
import type { ALERT_CHANNELS } from '../../../shared/alerts/channels.js';
import { ALERTS_STREAM_ID } from '../../../shared/alerts/events.js';
import type { EventEnvelope, EventKind, PayloadOf } from '../../../shared/record/events.js';
import type { IncidentState } from '../../../shared/record/fold.js';
import type { ChangeNotice } from '../../../shared/api/api.js';
import type { Store } from '../../store/store.js';

type AlertChannel = keyof typeof ALERT_CHANNELS;
export type AlertHandlers = { [C in AlertChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

export interface AlertDeps {
  store: Store;
  now: () => number;
  requireIncident(incidentId: string): IncidentState;
  event<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): EventEnvelope;
  /** Append events built from validated input in one transaction, then tell the listeners. */
  commit(events: EventEnvelope[]): void;
  onChange(listener: (notice: ChangeNotice) => void): () => void;
}

const STOPPED = new Set(['resolved', 'closed', 'reviewed']);

/**
 * The alert inbox: alerts the hub recorded (they arrive by sync on the alerts stream), what the
 * room did with them, and the two ways to act on one. The fold is cached and dropped whenever an
 * event of the alerts stream commits.
 */
export function alertHandlers(deps: AlertDeps): AlertHandlers {
  let cached: AlertsState | null = null;
  /** The incidents the cached fold links alerts to: asked on every change notice, so not walked each time. */
  let linkedIncidents: Set<string> | null = null;
  const state = () => {
    if (!cached) {
      cached = emptyAlerts();
      for (const event of deps.store.incidentEvents(ALERTS_STREAM_ID)) applyAlertEvent(cached, event);
      linkedIncidents = null;
    }
    return cached;
  };
  const linkedTo = (incidentId: string) => {
    linkedIncidents ??= new Set([...state().values()].flatMap((fold) => fold.links.map((link) => link.incidentId)));
    return linkedIncidents.has(incidentId);
  };
  /** Resolutions already in the record here, so each is looked up in the store once. */
  const recorded = new Set<string>();
  let recording = false;
  /**
   * A resolved alert's incidents say so in their own record: whenever the alerts stream changes
   * (a resolution or a link arrived, by sync or from here) or an incident arrives that a resolved
   * alert is linked to, record what is missing. Every laptop may do it: the id is the same
   * everywhere, so the record keeps one event.
   */
  const recordResolutions = () => {
    if (recording) return;
    recording = true;
    try {
      const missing = resolutions(state()).filter((r) => {
        if (recorded.has(r.id)) return false;
        if (deps.store.hasEvent(r.id)) {
          recorded.add(r.id);
          return false;
        }
        // The incident has not reached this laptop yet: its arrival will bring us back here.
        return deps.store.incidentState(r.incidentId).declared !== null;
      });
      if (missing.length === 0) return;
      const now = deps.now();
      const events = missing.map((r) => ({
        ...deps.event(r.incidentId, 'alert.resolved', { fingerprint: r.fingerprint, title: r.title, endsAt: r.endsAt, occurredAt: Math.min(r.endsAt, now) }),
        id: r.id,
      }));
      events.forEach((e) => recorded.add(e.id));
      deps.commit(events);
    } finally {
      recording = false;
    }
  };
  deps.onChange((notice) => {
    if (notice.incidentIds.includes(ALERTS_STREAM_ID)) cached = linkedIncidents = null;
    const linked = cached === null || notice.incidentIds.some(linkedTo);
    if (linked) recordResolutions();
  });
  const requireAlert = (fingerprint: string): AlertView => {
    const fold = state().get(fingerprint);
    const alert = fold ? viewAlerts(new Map([[fingerprint, fold]]))[0] : undefined;
    if (!alert) throw new ApiError({ code: 'not_found', message: `No alert with fingerprint ${fingerprint}` });
    return alert;
  };
  const linkEvents = (alert: AlertView, incidentId: string, declared: boolean): EventEnvelope[] => {
    const now = deps.now();
    return [
      deps.event(ALERTS_STREAM_ID, 'alert.linked', { fingerprint: alert.fingerprint, incidentId, declared, occurredAt: now }),
      deps.event(incidentId, 'alert.attached', {
        fingerprint: alert.fingerprint,
        title: alert.title,
        severity: alert.severity,
        integration: alert.integration,
        startsAt: alert.startsAt,
        link: alert.link,
        occurredAt: alert.startsAt,
      }),
    ];
  };
  return {
    'alerts.list': () => viewAlerts(state()),
    'alerts.acknowledge': ({ fingerprint }) => {
      const alert = requireAlert(fingerprint);
      if (alert.acknowledged) throw new ApiError({ code: 'conflict', message: `Already acknowledged by ${alert.acknowledged.by}.` });
      const event = deps.event(ALERTS_STREAM_ID, 'alert.acknowledged', { fingerprint, occurredAt: deps.now() });
      deps.commit([event]);
      return { incidentId: ALERTS_STREAM_ID, eventId: event.id };
    },
    'alerts.declare': ({ fingerprint, title, category, impact, urgency, commander }) => {
      const alert = requireAlert(fingerprint);
      const incidentId = newId();
      const declared = deps.event(incidentId, 'incident.declared', {
        title,
        description: alert.description,
        // The source's start is both: monitoring saw it when it began.
        occurredAt: Math.min(alert.startsAt, deps.now()),
        detectedAt: Math.min(alert.startsAt, deps.now()),
        declaredAt: deps.now(),
        services: alert.labels
          .filter((l) => ['service', 'job', 'app'].includes(l.name) && l.value)
          .map((l) => l.value.slice(0, 200))
          .slice(0, 5),
        reporter: alert.integration,
        detectionSource: 'monitoring',
        category,
        impact,
        urgency,
        commander,
        drill: false,
      });
      deps.commit([declared, ...linkEvents(alert, incidentId, true)]);
      return { incidentId, eventId: declared.id };
    },
    'alerts.attach': ({ fingerprint, incidentId }) => {
      const alert = requireAlert(fingerprint);
      const incident = deps.requireIncident(incidentId);
      if (STOPPED.has(incident.status?.value ?? '')) throw new ApiError({ code: 'conflict', message: 'This incident is no longer open.' });
      if (alert.links.some((l) => l.incidentId === incidentId))
        throw new ApiError({ code: 'conflict', message: 'This alert is already attached to this incident.' });
      const events = linkEvents(alert, incidentId, false);
      deps.commit(events);
      return { incidentId, eventId: events[1]!.id };
    },
  };
}
