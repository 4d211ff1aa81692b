import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AlertSourceKindSchema, type AlertSourceKind } from '../../shared/alerts/events.js';
import type { HubStorage, Team } from '../storage.js';
import { sha256 } from '../tokens.js';

/**
 * One integration per alert source, each with its own secret, so one can be rotated or revoked
 * without touching the others or the team tokens. Two ways to prove a post comes from it:
 * - bearer: `Authorization: Bearer wra_<id>_<secret>` (Alertmanager's http_config.authorization);
 *   only the sha256 of the secret is kept, as for team tokens.
 * - hmac: an HMAC-SHA256 of the raw body with the shared key, hex, in `X-Warroom-Signature`
 *   (or Grafana's `X-Grafana-Alerting-Signature`), optionally prefixed `sha256=`. The hub must
 *   hold the key itself to check it, so it is kept as is: protect the hub's database.
 * Records live hub-wide (team 0) keyed by the integration id, which is in the URL.
 */
const NS = 'alert-integration';
const HUB_WIDE = 0;

export const INTEGRATION_ID_PATTERN = /^[0-9a-f]{12}$/;
const BEARER_PATTERN = /^wra_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const IntegrationNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'an integration name is 1–64 letters, digits, spaces, ".", "_" or "-"');
export const AUTH_MODES = ['bearer', 'hmac'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const IntegrationSchema = z.strictObject({
  id: z.string().regex(INTEGRATION_ID_PATTERN),
  teamId: z.number().int(),
  teamName: z.string(),
  name: IntegrationNameSchema,
  kind: AlertSourceKindSchema,
  auth: z.enum(AUTH_MODES),
  /** bearer: hex sha256 of the secret; hmac: the key itself (base64url). */
  secret: z.string(),
  createdAt: z.number(),
  rotatedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type Integration = z.infer<typeof IntegrationSchema>;

export interface IssuedIntegration {
  integration: Integration;
  /** Shown once: the bearer token or the HMAC key. */
  secret: string;
}

function newSecret(id: string, auth: AuthMode): { shown: string; stored: string } {
  const raw = randomBytes(32).toString('base64url');
  return auth === 'bearer' ? { shown: `wra_${id}_${raw}`, stored: sha256(raw).toString('hex') } : { shown: raw, stored: raw };
}

export async function createIntegration(storage: HubStorage, team: Team, name: string, kind: AlertSourceKind, auth: AuthMode): Promise<IssuedIntegration> {
  const id = randomBytes(6).toString('hex');
  const { shown, stored } = newSecret(id, auth);
  const integration: Integration = {
    id,
    teamId: team.id,
    teamName: team.name,
    name,
    kind,
    auth,
    secret: stored,
    createdAt: Date.now(),
    rotatedAt: null,
    revokedAt: null,
  };
  await storage.putRecord(HUB_WIDE, NS, id, JSON.stringify(integration), null);
  return { integration, secret: shown };
}

export async function findIntegration(storage: HubStorage, id: string): Promise<Integration | null> {
  if (!INTEGRATION_ID_PATTERN.test(id)) return null;
  const raw = await storage.getRecord(HUB_WIDE, NS, id);
  return raw === null ? null : IntegrationSchema.parse(JSON.parse(raw));
}

export async function listIntegrations(storage: HubStorage): Promise<Integration[]> {
  return (await storage.listRecords(HUB_WIDE, NS)).map((r) => IntegrationSchema.parse(JSON.parse(r.value)));
}

/** A new secret; the old one stops working at once. Null when there is no such live integration. */
export async function rotateIntegration(storage: HubStorage, id: string): Promise<IssuedIntegration | null> {
  const current = await findIntegration(storage, id);
  if (!current || current.revokedAt !== null) return null;
  const { shown, stored } = newSecret(id, current.auth);
  const next: Integration = { ...current, secret: stored, rotatedAt: Date.now() };
  await storage.putRecord(HUB_WIDE, NS, id, JSON.stringify(next));
  return { integration: next, secret: shown };
}

export async function revokeIntegration(storage: HubStorage, id: string): Promise<boolean> {
  const current = await findIntegration(storage, id);
  if (!current || current.revokedAt !== null) return false;
  await storage.putRecord(HUB_WIDE, NS, id, JSON.stringify({ ...current, revokedAt: Date.now() }));
  return true;
}

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export const SIGNATURE_HEADERS = ['x-warroom-signature', 'x-grafana-alerting-signature'] as const;

/** Whether the request proves it comes from this integration; constant time in the secret. */
export function verifyIntegration(integration: Integration, headers: Record<string, string | string[] | undefined>, body: Buffer): boolean {
  if (integration.revokedAt !== null) return false;
  if (integration.auth === 'bearer') {
    const match = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''));
    const token = match ? BEARER_PATTERN.exec(match[1]!) : null;
    if (!token || token[1] !== integration.id) return false;
    return equal(sha256(token[2]!), Buffer.from(integration.secret, 'hex'));
  }
  const expected = createHmac('sha256', integration.secret).update(body).digest();
  for (const name of SIGNATURE_HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    const hex = value.trim().replace(/^sha256=/i, '');
    if (/^[0-9a-f]{64}$/i.test(hex) && equal(Buffer.from(hex, 'hex'), expected)) return true;
  }
  return false;
}
