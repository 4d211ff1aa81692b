import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { parseEvent, type EventEnvelope } from '../shared/record/events.js';
import { sealToTeam } from '../shared/sync/sealing.js';
import {
  DISCLOSED_KINDS,
  DisclosureSchema,
  PAIRING_TTL_MS,
  PairingPutSchema,
  PairingSlotSchema,
  TeamKeyPutSchema,
  type TeamKeyPut,
} from '../shared/sync/sealed-protocol.js';
import type { HubStorage, Team } from './storage.js';

/**
 * What a team that seals its record (issue #14) asks of the hub beyond relaying sealed events:
 * a drop box for a wrapped keyring during pairing, the team's public key to seal what the hub
 * writes, and the explicit disclosures its features need. Registered inside the authenticated
 * scope of hub/server.ts, so `request.team` is always set here.
 */
const PAIRING_NS = 'pairing';
const TEAM_KEY_NS = 'team-key';

export interface SealedTeamErrors {
  notFound(message: string): Error;
  invalid(message: string, issues?: { path: string; message: string }[]): Error;
}

function issuesOf(error: ZodError, prefix: string) {
  return error.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path].join('.'), message: i.message }));
}

export async function teamPublicKey(storage: HubStorage, teamId: number): Promise<TeamKeyPut | null> {
  const raw = await storage.getRecord(teamId, TEAM_KEY_NS, 'current');
  const parsed = raw ? TeamKeyPutSchema.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : null;
}

/** What the hub writes into a team's log, sealed to the team when it has given its public key. */
export async function sealForTeam(storage: HubStorage, teamId: number, events: EventEnvelope[]): Promise<{ id: string; json: string }[]> {
  const key = await teamPublicKey(storage, teamId);
  return events.map((event) => ({ id: event.id, json: JSON.stringify(key ? sealToTeam(event, key) : event) }));
}

export function registerSealedTeamRoutes(
  scope: FastifyInstance,
  deps: { storage: HubStorage; errors: SealedTeamErrors; disclose(team: Team, events: EventEnvelope[]): Promise<void>; now?: () => number },
): void {
  const now = deps.now ?? Date.now;
  const { storage, errors } = deps;
  const slotOf = (raw: string) => {
    const slot = PairingSlotSchema.safeParse(raw);
    if (!slot.success) throw errors.invalid('params.slot: must be a pairing slot', issuesOf(slot.error, 'params.slot'));
    return slot.data;
  };

  scope.put<{ Params: { slot: string } }>('/v1/pairings/:slot', async (request) => {
    const slot = slotOf(request.params.slot);
    const body = PairingPutSchema.safeParse(request.body);
    if (!body.success) throw errors.invalid('The body is not a wrapped team key', issuesOf(body.error, 'body'));
    const expiresAt = now() + PAIRING_TTL_MS;
    await storage.putRecord(request.team!.id, PAIRING_NS, slot, JSON.stringify({ wrapped: body.data.wrapped, expiresAt }));
    return { expiresAt };
  });

  scope.get<{ Params: { slot: string } }>('/v1/pairings/:slot', async (request, reply) => {
    const slot = slotOf(request.params.slot);
    const raw = await storage.getRecord(request.team!.id, PAIRING_NS, slot);
    const held = raw ? (JSON.parse(raw) as { expiresAt: number }) : null;
    // Expired or already used: the same answer as a wrong code, so the hub says nothing about which.
    if (!held || held.expiresAt <= now()) throw errors.notFound('No pairing under this code: it is wrong, expired (15 minutes) or already used');
    return reply.header('cache-control', 'no-store').send(held);
  });

  scope.delete<{ Params: { slot: string } }>('/v1/pairings/:slot', async (request) => {
    const slot = slotOf(request.params.slot);
    await storage.putRecord(request.team!.id, PAIRING_NS, slot, JSON.stringify({ expiresAt: 0 }));
    return { deleted: true };
  });

  scope.put('/v1/team-key', async (request) => {
    const body = TeamKeyPutSchema.safeParse(request.body);
    if (!body.success) throw errors.invalid('The body is not a team public key', issuesOf(body.error, 'body'));
    for (let attempt = 0; attempt < 5; attempt++) {
      const raw = await storage.getRecord(request.team!.id, TEAM_KEY_NS, 'current');
      const held = raw ? TeamKeyPutSchema.safeParse(JSON.parse(raw)) : null;
      if (held?.success && held.data.createdAt >= body.data.createdAt) return { keyId: held.data.keyId };
      if (await storage.putRecord(request.team!.id, TEAM_KEY_NS, 'current', JSON.stringify(body.data), raw)) return { keyId: body.data.keyId };
    }
    throw new Error('team key: too many concurrent updates');
  });

  scope.post('/v1/disclosures', async (request) => {
    const body = DisclosureSchema.safeParse(request.body);
    if (!body.success) throw errors.invalid('The body is not a list of disclosed events', issuesOf(body.error, 'body'));
    const events: EventEnvelope[] = [];
    const issues: { path: string; message: string }[] = [];
    body.data.events.forEach((raw, index) => {
      try {
        const event = parseEvent(raw);
        if (DISCLOSED_KINDS.has(event.kind)) events.push(event);
        else issues.push({ path: `body.events.${index}.kind`, message: `only ${[...DISCLOSED_KINDS].join(', ')} are disclosed to the hub` });
      } catch (error) {
        if (!(error instanceof ZodError)) throw error;
        issues.push(...issuesOf(error, `body.events.${index}`));
      }
    });
    if (issues.length) throw errors.invalid(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues.slice(0, 20));
    await deps.disclose(request.team!, events);
    return { accepted: events.length };
  });
}
