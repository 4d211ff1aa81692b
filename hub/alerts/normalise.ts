import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERT_LIMITS, AlertLinkSchema, type AlertSeverity, type AlertSourceKind, type AlertStatus } from '../../shared/alerts/events.js';
import { MAX_FORWARD_SKEW_MS } from '../../shared/record/hlc.js';

/**
 * The three shapes a source may post, each mapped onto one alert form:
 * - Prometheus Alertmanager's webhook, payload version "4" (prometheus.io/docs/alerting/latest/configuration/#webhook_config);
 * - Grafana alerting's webhook contact point, the same alert list plus Grafana's fields;
 * - a generic form for anything else: { title, severity, source, fingerprint, startsAt, endsAt, status, link }.
 * Unknown extra fields are ignored; known ones are checked; text is cut to the record's limits and
 * kept as text (the console never renders it as HTML).
 */

export interface NormalisedAlert {
  fingerprint: string;
  title: string;
  description: string;
  severity: AlertSeverity;
  status: AlertStatus;
  startsAt: number;
  /** False when the source gave no start (the generic form): a repeat then is not a new start. */
  startsAtGiven: boolean;
  endsAt: number | null;
  link: string | null;
  labels: { name: string; value: string }[];
}

const Text = z.string().max(20_000);
const StringMap = z.record(z.string(), z.string().max(20_000));
const Rfc3339 = z.string().max(64);

const AmAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: StringMap,
  annotations: StringMap.default({}),
  startsAt: Rfc3339,
  endsAt: Rfc3339.optional(),
  generatorURL: Text.optional(),
  fingerprint: Text.optional(),
});

export const AlertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  receiver: Text.optional(),
  groupKey: Text.optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  externalURL: Text.optional(),
  alerts: z.array(AmAlertSchema).max(1000),
});

export const GrafanaPayloadSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  receiver: Text.optional(),
  title: Text.optional(),
  alerts: z
    .array(
      AmAlertSchema.extend({
        dashboardURL: Text.optional(),
        panelURL: Text.optional(),
        silenceURL: Text.optional(),
      }),
    )
    .max(1000),
});

const GenericAlertSchema = z.strictObject({
  title: z.string().trim().min(1).max(20_000),
  severity: z.string().max(40).default('medium'),
  source: z.string().max(ALERT_LIMITS.source).optional(),
  fingerprint: z.string().min(1).max(ALERT_LIMITS.fingerprint).optional(),
  description: Text.optional(),
  startsAt: Rfc3339.optional(),
  endsAt: Rfc3339.nullable().optional(),
  status: z.enum(['firing', 'resolved']).default('firing'),
  link: Text.nullable().optional(),
});
/** One alert, or `{ alerts: [...] }` for several. */
export const GenericPayloadSchema = z.union([GenericAlertSchema, z.strictObject({ alerts: z.array(GenericAlertSchema).min(1).max(1000) })]);

export class AlertInputError extends Error {
  override name = 'AlertInputError';
}

/** The earliest and latest clock values accepted from a source: nothing before 2000, nothing beyond our clock's skew bound. */
const EARLIEST = Date.UTC(2000, 0, 1);

function time(value: string | undefined | null, now: number, what: string): number | null {
  if (!value) return null;
  // Go's zero time: Alertmanager's "no end yet".
  if (value.startsWith('0001-01-01')) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw new AlertInputError(`${what}: "${value.slice(0, 40)}" is not an RFC 3339 time`);
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > now + MAX_FORWARD_SKEW_MS)
    throw new AlertInputError(`${what}: ${value} is outside the accepted range (2000 to now)`);
  return ms;
}

/** A source's severity words onto the console's five. */
export function severityOf(raw: string | undefined): AlertSeverity {
  const word = (raw ?? '').trim().toLowerCase();
  if (['critical', 'crit', 'page', 'p1', 'emergency', 'fatal', 'disaster'].includes(word)) return 'critical';
  if (['high', 'error', 'major', 'p2', 'severe'].includes(word)) return 'high';
  if (['low', 'minor', 'p4'].includes(word)) return 'low';
  if (['info', 'informational', 'none', 'notice', 'ok', 'p5'].includes(word)) return 'info';
  return 'medium';
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Control characters other than newline and tab are dropped: they only ever hide or garble text. */
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();

function link(value: string | null | undefined): string | null {
  if (!value) return null;
  return AlertLinkSchema.safeParse(value).success ? value : null;
}

function fingerprintOf(given: string | undefined, parts: string[]): string {
  if (given && /^[\x21-\x7e]+$/.test(given) && given.length <= 100) return given;
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function fromAmAlert(alert: z.infer<typeof AmAlertSchema> & { dashboardURL?: string; panelURL?: string }, now: number, index: number): NormalisedAlert {
  const labels = Object.entries(alert.labels);
  const title = clean(alert.annotations.summary ?? alert.labels.alertname ?? '') || 'Alert';
  const startsAt = time(alert.startsAt, now, `alerts.${index}.startsAt`) ?? now;
  const endsAt = alert.status === 'resolved' ? (time(alert.endsAt, now, `alerts.${index}.endsAt`) ?? now) : null;
  return {
    fingerprint: fingerprintOf(alert.fingerprint, labels.map(([k, v]) => `${k}=${v}`).sort()),
    title: cut(title, ALERT_LIMITS.title),
    description: cut(clean(alert.annotations.description ?? alert.annotations.message ?? ''), ALERT_LIMITS.description),
    severity: severityOf(alert.labels.severity),
    status: alert.status,
    startsAt,
    startsAtGiven: true,
    endsAt,
    link: link(alert.annotations.runbook_url) ?? link(alert.dashboardURL) ?? link(alert.panelURL) ?? link(alert.generatorURL),
    labels: labels
      .slice(0, ALERT_LIMITS.labels)
      .map(([name, value]) => ({ name: cut(clean(name), ALERT_LIMITS.labelName) || '?', value: cut(clean(value), ALERT_LIMITS.labelValue) })),
  };
}

/** The alerts a body carries, in its source's terms; throws AlertInputError or ZodError with the reason. */
export function normalise(kind: AlertSourceKind, body: unknown, now: number = Date.now()): NormalisedAlert[] {
  if (kind === 'alertmanager') return AlertmanagerPayloadSchema.parse(body).alerts.map((a, i) => fromAmAlert(a, now, i));
  if (kind === 'grafana') return GrafanaPayloadSchema.parse(body).alerts.map((a, i) => fromAmAlert(a, now, i));
  const parsed = GenericPayloadSchema.parse(body);
  const list = 'alerts' in parsed ? parsed.alerts : [parsed];
  return list.map((a, i) => {
    const title = cut(clean(a.title), ALERT_LIMITS.title) || 'Alert';
    const startsAt = time(a.startsAt, now, `alerts.${i}.startsAt`) ?? now;
    return {
      fingerprint: fingerprintOf(a.fingerprint, [a.source ?? '', a.title]),
      title,
      description: cut(clean(a.description ?? ''), ALERT_LIMITS.description),
      severity: severityOf(a.severity),
      status: a.status,
      startsAt,
      startsAtGiven: a.startsAt !== undefined,
      endsAt: a.status === 'resolved' ? (time(a.endsAt, now, `alerts.${i}.endsAt`) ?? now) : null,
      link: link(a.link),
      labels: a.source ? [{ name: 'source', value: cut(clean(a.source), ALERT_LIMITS.labelValue) }] : [],
    };
  });
}
