import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { currentKey, fromBase64Url, roomAuthKey, toBase64Url, type TeamKeyring } from '../../shared/sync/team-key.js';

/**
 * How every request between room peers is authenticated (issue #14): HMAC-SHA256, under a key
 * derived from the team key, over method, path, a timestamp and the body's hash; five minutes of
 * skew allowed. Its own module because two threads sign: the core's (RoomPeer) and the pull
 * worker's, which asks a peer for the next page while the core writes the one before.
 */
const AUTH_SCHEME = 'WarroomRoom';
const MAX_SKEW_MS = 5 * 60_000;

function mac(key: Uint8Array, method: string, pathAndQuery: string, timestamp: string, body: string): Buffer {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', key).update(`${method}\n${pathAndQuery}\n${timestamp}\n${bodyHash}`).digest();
}

export function roomAuthorization(ring: TeamKeyring, method: string, pathAndQuery: string, body: string, now: number): string {
  const entry = currentKey(ring);
  const timestamp = String(now);
  return `${AUTH_SCHEME} ${entry.id}.${timestamp}.${toBase64Url(mac(roomAuthKey(fromBase64Url(entry.key)), method, pathAndQuery, timestamp, body))}`;
}

export function authorised(ring: TeamKeyring | null, header: string | undefined, method: string, pathAndQuery: string, body: string, now: number): boolean {
  if (!ring || !header) return false;
  const match = new RegExp(`^${AUTH_SCHEME} ([0-9a-f]{16})\\.(\\d{1,16})\\.([A-Za-z0-9_-]{43})$`).exec(header);
  if (!match) return false;
  const [, keyId, timestamp, given] = match;
  if (Math.abs(Number(timestamp) - now) > MAX_SKEW_MS) return false;
  const entry = ring.keys.find((k) => k.id === keyId);
  if (!entry) return false;
  const expected = mac(roomAuthKey(fromBase64Url(entry.key)), method, pathAndQuery, timestamp!, body);
  const actual = Buffer.from(given!, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
