import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import { ALERTS_STREAM_ID } from '../../shared/alerts/events.js';
import type { EventEnvelope } from '../../shared/record/events.js';
import type { HubRecorder } from '../recorder.js';
import type { HubStorage } from '../storage.js';
import { parseSourceBody, SOURCE_BODY_LIMITS, UntrustedInputError } from '../untrusted-json.js';
import { findIntegration, verifyIntegration, type Integration } from './integrations.js';
import { AlertInputError, normalise, type NormalisedAlert } from './normalise.js';

/** What the hub remembers per alert to tell a change from a repeat (Alertmanager re-sends firing alerts every repeat_interval). */
const SEEN_NS = 'alert-seen';

export interface AlertRouteErrors {
  unauthorized(message: string): Error;
  invalid(message: string, issues?: { path: string; message: string }[]): Error;
}

/**
 * The hub's count of failed authentications per address (hub/server.ts), shared with the team
 * API: a guesser trying integration ids or secrets is stopped like one trying team tokens.
 */
export interface FailedAuthGuard {
  /** Throws (429, with Retry-After on the reply) when this address failed too often lately. */
  refuseIfBlocked(address: string, reply: FastifyReply): void;
  failed(address: string): void;
}

export interface AlertAnswer {
  received: number;
  recorded: number;
  duplicates: number;
}

/**
 * Kept hashed: the alert itself is sealed to the team (hub/sealed-team.ts) and this record must not
 * hold its title in clear beside it. A hash still tells a repeat from a change.
 */
const stateOf = (alert: NormalisedAlert) =>
  createHash('sha256')
    .update(JSON.stringify([alert.status, alert.startsAtGiven ? alert.startsAt : null, alert.title, alert.severity]))
    .digest('hex');
const seenKey = (fingerprint: string) => createHash('sha256').update(fingerprint).digest('hex');

/**
 * Record the alerts that are new or changed, one `alert.received` event each, deduplicated by
 * fingerprint with a compare-and-set per alert (two posts racing record one event, not two).
 */
export async function recordAlerts(storage: HubStorage, recorder: HubRecorder, integration: Integration, alerts: NormalisedAlert[]): Promise<AlertAnswer> {
  const events: EventEnvelope[] = [];
  const claimed: { key: string; previous: string | null }[] = [];
  // Within one post, the last report of a fingerprint is the one that counts.
  const latest = new Map(alerts.map((a) => [a.fingerprint, a]));
  for (const alert of latest.values()) {
    const fingerprint = `${integration.id}:${alert.fingerprint}`;
    const state = stateOf(alert);
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = seenKey(fingerprint);
      const previous = await storage.getRecord(integration.teamId, SEEN_NS, key);
      if (previous === state) break;
      if (!(await storage.putRecord(integration.teamId, SEEN_NS, key, state, previous))) continue;
      claimed.push({ key, previous });
      events.push(
        recorder.build(
          ALERTS_STREAM_ID,
          'alert.received',
          {
            fingerprint,
            integration: integration.name,
            sourceKind: integration.kind,
            title: alert.title,
            description: alert.description,
            severity: alert.severity,
            status: alert.status,
            startsAt: alert.startsAt,
            endsAt: alert.endsAt,
            link: alert.link,
            labels: alert.labels,
            occurredAt: alert.status === 'resolved' ? (alert.endsAt ?? alert.startsAt) : alert.startsAt,
          },
          integration.name,
        ),
      );
      break;
    }
  }
  try {
    await recorder.append(integration.teamId, events);
  } catch (error) {
    // Not recorded: forget the claims, so the source's retry records them.
    for (const claim of claimed) {
      if (claim.previous === null) await storage.putRecord(integration.teamId, SEEN_NS, claim.key, '', undefined).catch(() => undefined);
      else await storage.putRecord(integration.teamId, SEEN_NS, claim.key, claim.previous).catch(() => undefined);
    }
    throw error;
  }
  return { received: alerts.length, recorded: events.length, duplicates: alerts.length - events.length };
}

/**
 * `POST /v1/alerts/:integrationId`: a monitoring source posts here with its own secret. The body
 * is read as bytes (an HMAC is over the exact bytes), checked by the untrusted-input limits,
 * then by the source's schema.
 */
export async function registerAlertRoutes(
  app: FastifyInstance,
  deps: { storage: HubStorage; recorder: HubRecorder; errors: AlertRouteErrors; failedAuth: FailedAuthGuard },
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SOURCE_BODY_LIMITS.bytes }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { integrationId: string } }>('/v1/alerts/:integrationId', async (request, reply) => {
      // Past the limit an address is not even checked, right or wrong (as on the team API).
      deps.failedAuth.refuseIfBlocked(request.ip, reply);
      const integration = await findIntegration(deps.storage, request.params.integrationId);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!integration || !verifyIntegration(integration, request.headers, body)) {
        deps.failedAuth.failed(request.ip);
        throw deps.errors.unauthorized('Unknown or revoked integration, or a wrong secret or signature');
      }
      let alerts: NormalisedAlert[];
      try {
        alerts = normalise(integration.kind, parseSourceBody(body));
      } catch (error) {
        if (error instanceof ZodError) {
          const issues = error.issues.slice(0, 20).map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message }));
          throw deps.errors.invalid(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
        }
        if (error instanceof UntrustedInputError || error instanceof AlertInputError) throw deps.errors.invalid(error.message);
        throw error;
      }
      return recordAlerts(deps.storage, deps.recorder, integration, alerts);
    });
  });
}
