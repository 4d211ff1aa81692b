import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HubStorage, Team } from './storage.js';

/**
 * Team tokens look like `wrh_<id>_<secret>`. The id is public (it names the token in
 * `token list` and `token revoke`, and finds its row); only the sha256 of the 32-byte
 * secret is stored. A hash without salt or stretching is enough because the secret is
 * random, not a password: there is nothing to guess from a dictionary.
 */
const TOKEN_PATTERN = /^wrh_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const TOKEN_ID_PATTERN = /^[0-9a-f]{12}$/;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export interface IssuedToken {
  token: string;
  tokenId: string;
  team: Team;
}

export async function issueToken(storage: HubStorage, teamName: string): Promise<IssuedToken> {
  const team = await storage.ensureTeam(teamName);
  const tokenId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await storage.addToken(team.id, tokenId, sha256(secret));
  return { token: `wrh_${tokenId}_${secret}`, tokenId, team };
}

/** The team a presented token belongs to, or null for a malformed, unknown or revoked token. */
export async function authenticate(storage: HubStorage, presented: string): Promise<Team | null> {
  const match = TOKEN_PATTERN.exec(presented);
  if (!match) return null;
  const record = await storage.findToken(match[1]!);
  if (!record || record.revokedAt !== null) return null;
  // Constant time, so response timing says nothing about how much of a guessed secret was right.
  return timingSafeEqual(sha256(match[2]!), record.secretHash) ? record.team : null;
}
