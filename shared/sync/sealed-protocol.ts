import { z } from 'zod';
import { KeyIdSchema, TeamNameSchema, WrappedKeyringSchema } from './team-key.js';

/**
 * The hub requests a sealed team adds to API v1 (hub/sealed-team.ts; shared/sync/sealing.ts for
 * the events themselves). Every one of them is authenticated with the team's hub token.
 *
 * - `PUT|GET|DELETE /v1/pairings/:slot`: a keyring wrapped with a pairing code and a passphrase,
 *   left for 15 minutes under a hash of the code. The hub cannot open it.
 * - `PUT /v1/team-key`: the team's public key (X25519), so the hub seals what it writes itself
 *   (alerts received, delivery outcomes) and stores them sealed from the moment they arrive.
 * - `POST /v1/disclosures`: what the hub must read, handed over in clear on purpose, in its own
 *   request: a delivery the commander asked for, a status-page visibility or publication. The
 *   same events travel sealed in the log; this copy feeds the hub's features and is not relayed.
 */
export const PAIRING_TTL_MS = 15 * 60_000;
export const PairingSlotSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a pairing slot');

export const PairingPutSchema = z.strictObject({ wrapped: WrappedKeyringSchema });
export const PairingGetSchema = z.strictObject({ wrapped: WrappedKeyringSchema, expiresAt: z.number() });
export const PairingPutResponseSchema = z.strictObject({ expiresAt: z.number() });

export const TeamKeyPutSchema = z.strictObject({
  team: TeamNameSchema,
  keyId: KeyIdSchema,
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** When the key was made: the hub keeps the newest, so a laptop late with a rotation cannot bring an old key back. */
  createdAt: z.number().int().min(0),
});
export type TeamKeyPut = z.infer<typeof TeamKeyPutSchema>;

/** The only kinds a laptop discloses: each one is a user's explicit act of telling the hub. */
export const DISCLOSED_KINDS: ReadonlySet<string> = new Set(['delivery.requested', 'status.visibility', 'status.published']);
export const DisclosureSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(1000) });
export const DisclosureResponseSchema = z.strictObject({ accepted: z.number().int().min(0) });
