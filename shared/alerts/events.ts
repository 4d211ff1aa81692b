import { z } from 'zod';

/**
 * Event payloads of alerts from monitoring (written by the hub when a source posts one) and of
 * what the room does with them (acknowledge, declare from, attach to an incident). Kept apart
 * from shared/record/events.ts, which spreads them into its PayloadSchemas. Imports only zod:
 * shared/record/events.ts imports this file.
 */

/**
 * Alerts live on one well-known stream, never declared and so never listed as an incident
 * (like the settings stream, shared/clocks/policy.ts). An alert's link to an incident is recorded
 * there too, so the inbox folds one stream; the incident's timeline gets its own event.
 */
export const ALERTS_STREAM_ID = '00000000-0000-0000-0000-0000000000a1';

export const ALERT_SOURCE_KINDS = ['alertmanager', 'grafana', 'generic'] as const;
export const AlertSourceKindSchema = z.enum(ALERT_SOURCE_KINDS);
export type AlertSourceKind = z.infer<typeof AlertSourceKindSchema>;

/** Severity as the console shows it; each source's words are mapped onto these (hub/alerts/normalise.ts). */
export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const AlertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export const AlertStatusSchema = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

export const ALERT_LIMITS = {
  fingerprint: 128,
  title: 200,
  description: 2000,
  source: 120,
  link: 2000,
  labels: 30,
  labelName: 100,
  labelValue: 300,
} as const;

const TimestampSchema = z.number().int().min(0).max(8_640_000_000_000_000);
const IdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');

/** Printable ASCII without spaces: a fingerprint is an identifier, never shown as prose. */
export const FingerprintSchema = z
  .string()
  .min(1)
  .max(ALERT_LIMITS.fingerprint)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Only http(s) links: a `javascript:` URL from a hostile source must never become a clickable link. */
export const AlertLinkSchema = z
  .string()
  .max(ALERT_LIMITS.link)
  // By shape (shared/ has no URL class): a scheme of http or https, a host, no spaces or quotes.
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?([/?#][^\s"'<>\\]*)?$/, 'must be an http(s) URL');

/** Labels as a list of pairs, not an object: a label named "__proto__" stays plain data. */
export const AlertLabelsSchema = z
  .array(z.strictObject({ name: z.string().min(1).max(ALERT_LIMITS.labelName), value: z.string().max(ALERT_LIMITS.labelValue) }))
  .max(ALERT_LIMITS.labels);

export const ALERT_PAYLOADS = {
  /** Written by the hub when a source reports a new alert or a change of its status; `occurredAt` is when the source says it happened. */
  'alert.received': z.strictObject({
    fingerprint: FingerprintSchema,
    /** The integration's name on the hub (`npm run hub -- integration list`). */
    integration: z.string().trim().min(1).max(ALERT_LIMITS.source),
    sourceKind: AlertSourceKindSchema,
    title: z.string().trim().min(1).max(ALERT_LIMITS.title),
    description: z.string().trim().max(ALERT_LIMITS.description),
    severity: AlertSeveritySchema,
    status: AlertStatusSchema,
    startsAt: TimestampSchema,
    endsAt: TimestampSchema.nullable(),
    link: AlertLinkSchema.nullable(),
    labels: AlertLabelsSchema,
    occurredAt: TimestampSchema,
  }),
  'alert.acknowledged': z.strictObject({ fingerprint: FingerprintSchema, occurredAt: TimestampSchema }),
  /** On the alerts stream: this alert now belongs to that incident (declared from it, or attached to it). */
  'alert.linked': z.strictObject({ fingerprint: FingerprintSchema, incidentId: IdSchema, declared: z.boolean(), occurredAt: TimestampSchema }),
  /** On the incident's stream: the alert as the room saw it when attaching it, shown as an external entry. */
  'alert.attached': z.strictObject({
    fingerprint: FingerprintSchema,
    title: z.string().trim().min(1).max(ALERT_LIMITS.title),
    severity: AlertSeveritySchema,
    integration: z.string().trim().min(1).max(ALERT_LIMITS.source),
    startsAt: TimestampSchema,
    link: AlertLinkSchema.nullable(),
    occurredAt: TimestampSchema,
  }),
  /**
   * On the incident's stream: an attached alert resolved at its source (`endsAt`), so the
   * incident's own record says it, synced with it and in its report. Recorded by whichever laptop
   * sees the resolution first, under an id derived from the alert, the incident and the
   * resolution (resolutionEventId in shared/alerts/alerts.ts): laptops that record it too make
   * one event, not several.
   */
  'alert.resolved': z.strictObject({
    fingerprint: FingerprintSchema,
    title: z.string().trim().min(1).max(ALERT_LIMITS.title),
    endsAt: TimestampSchema,
    occurredAt: TimestampSchema,
  }),
} as const;
