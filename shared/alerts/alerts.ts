import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { asKnown, type EventEnvelope } from '../record/events.js';
import { ALERTS_STREAM_ID, type AlertSeverity, type AlertSourceKind, type AlertStatus } from './events.js';

/**
 * The alert inbox is a pure fold of the alerts stream: one alert per fingerprint (the hub only
 * records a change, and a repeat from two laptops' viewpoints is the same event), its facts
 * from the latest report by HLC, acknowledgement first-writer-wins, links an add-only set. Any
 * delivery order and any duplicates give the same inbox.
 */

export const INBOX_STATES = ['new', 'acknowledged', 'linked', 'resolved'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

export interface AlertLink {
  incidentId: string;
  declared: boolean;
  by: string;
  at: number;
  hlc: string;
}

export interface AlertView {
  fingerprint: string;
  integration: string;
  sourceKind: AlertSourceKind;
  title: string;
  description: string;
  severity: AlertSeverity;
  status: AlertStatus;
  startsAt: number;
  endsAt: number | null;
  link: string | null;
  labels: { name: string; value: string }[];
  /** When the first report of this fingerprint reached the hub's record. */
  firstSeenAt: number;
  /** When the latest report was recorded. */
  updatedAt: number;
  acknowledged: { by: string; at: number } | null;
  links: AlertLink[];
  state: InboxState;
}

interface AlertFold {
  report: { view: Omit<AlertView, 'acknowledged' | 'links' | 'state' | 'firstSeenAt' | 'updatedAt'>; hlc: string; at: number } | null;
  firstSeen: { at: number; hlc: string } | null;
  ack: { by: string; at: number; hlc: string } | null;
  links: AlertLink[];
  linkIds: Set<string>;
}

export type AlertsState = Map<string, AlertFold>;

export function emptyAlerts(): AlertsState {
  return new Map();
}

function entry(state: AlertsState, fingerprint: string): AlertFold {
  let fold = state.get(fingerprint);
  if (!fold) {
    fold = { report: null, firstSeen: null, ack: null, links: [], linkIds: new Set() };
    state.set(fingerprint, fold);
  }
  return fold;
}

/** Apply one event in place; anything but the alerts stream's own kinds is ignored. */
export function applyAlertEvent(state: AlertsState, raw: EventEnvelope): void {
  if (raw.incidentId !== ALERTS_STREAM_ID) return;
  const event = asKnown(raw);
  if (!event) return;
  const { hlc, actor } = event;
  switch (event.kind) {
    case 'alert.received': {
      const p = event.payload;
      const fold = entry(state, p.fingerprint);
      if (!fold.firstSeen || fold.firstSeen.hlc > hlc) fold.firstSeen = { at: event.recordedAt, hlc };
      if (!fold.report || fold.report.hlc < hlc) {
        fold.report = {
          hlc,
          at: event.recordedAt,
          view: {
            fingerprint: p.fingerprint,
            integration: p.integration,
            sourceKind: p.sourceKind,
            title: p.title,
            description: p.description,
            severity: p.severity,
            status: p.status,
            startsAt: p.startsAt,
            endsAt: p.endsAt,
            link: p.link,
            labels: p.labels,
          },
        };
      }
      return;
    }
    case 'alert.acknowledged': {
      const fold = entry(state, event.payload.fingerprint);
      if (!fold.ack || fold.ack.hlc > hlc) fold.ack = { by: actor, at: event.payload.occurredAt, hlc };
      return;
    }
    case 'alert.linked': {
      const fold = entry(state, event.payload.fingerprint);
      if (fold.linkIds.has(event.id)) return;
      fold.linkIds.add(event.id);
      const link = { incidentId: event.payload.incidentId, declared: event.payload.declared, by: actor, at: event.payload.occurredAt, hlc };
      let i = fold.links.length;
      while (i > 0 && fold.links[i - 1]!.hlc > hlc) i--;
      fold.links.splice(i, 0, link);
      return;
    }
  }
}

export function foldAlerts(events: Iterable<EventEnvelope>): AlertsState {
  const state = emptyAlerts();
  for (const event of events) applyAlertEvent(state, event);
  return state;
}

export function inboxState(alert: Pick<AlertView, 'status' | 'links' | 'acknowledged'>): InboxState {
  if (alert.status === 'resolved') return 'resolved';
  if (alert.links.length > 0) return 'linked';
  return alert.acknowledged ? 'acknowledged' : 'new';
}

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const STATE_ORDER: Record<InboxState, number> = { new: 0, acknowledged: 1, linked: 2, resolved: 3 };

/**
 * The inbox as shown: alerts whose report has arrived (an acknowledgement alone is not an alert),
 * what needs attention first (new, then acknowledged…), then by severity, then newest first.
 */
export function viewAlerts(state: AlertsState): AlertView[] {
  const views: AlertView[] = [];
  for (const fold of state.values()) {
    if (!fold.report) continue;
    const links = fold.links.map((l) => ({ ...l }));
    const acknowledged = fold.ack ? { by: fold.ack.by, at: fold.ack.at } : null;
    const view = { ...fold.report.view, firstSeenAt: fold.firstSeen?.at ?? fold.report.at, updatedAt: fold.report.at, acknowledged, links };
    views.push({ ...view, state: inboxState(view) });
  }
  return views.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      b.startsAt - a.startsAt ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}

/** Impact to declare with, from the alert's severity: the commander can change it in the form. */
export function impactOfSeverity(severity: AlertSeverity): 'high' | 'medium' | 'low' {
  return severity === 'critical' || severity === 'high' ? 'high' : severity === 'medium' ? 'medium' : 'low';
}

/**
 * The id of "this alert resolved at `endsAt`" on that incident: the same on every laptop, so a
 * resolution two laptops both record is one event (events are idempotent by id, here and on the
 * hub). A UUID of version 8 (custom), from SHA-256.
 */
export function resolutionEventId(fingerprint: string, incidentId: string, endsAt: number): string {
  const hex = bytesToHex(sha256(utf8ToBytes(`warroom alert.resolved\n${fingerprint}\n${incidentId}\n${endsAt}`)))
    .slice(0, 32)
    .split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface Resolution {
  id: string;
  incidentId: string;
  fingerprint: string;
  title: string;
  endsAt: number;
}

/** Each (resolved alert, incident it is linked to) pair: what each incident's record should say. */
export function resolutions(state: AlertsState): Resolution[] {
  const found: Resolution[] = [];
  for (const [fingerprint, fold] of state) {
    const report = fold.report?.view;
    if (!report || report.status !== 'resolved' || report.endsAt === null) continue;
    for (const link of fold.links) {
      found.push({
        id: resolutionEventId(fingerprint, link.incidentId, report.endsAt),
        incidentId: link.incidentId,
        fingerprint,
        title: report.title,
        endsAt: report.endsAt,
      });
    }
  }
  return found;
}
