import { z } from 'zod';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { x25519 } from '@noble/curves/ed25519.js';
import type { TeamKeyStatus } from './team-key-channels.js';

/**
 * The team key (issue #14): 32 random bytes made on one laptop and given to the others, by a key
 * file or by a pairing code plus a passphrase. Every event leaves a laptop sealed with it
 * (shared/sync/sealing.ts), so the hub relays what it cannot read. A keyring keeps every key the
 * team has used: the newest seals, the older ones still open old events after a rotation.
 *
 * Kept like the hub token (electron/host/secrets.ts: the OS keychain, or a private file), never in
 * SQLite nor in an event. Pure and Node-free (it runs in shared/); the cryptography is
 * @noble/ciphers (XChaCha20-Poly1305), @noble/hashes (HKDF-SHA256, scrypt), @noble/curves (X25519).
 */

export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);
// shared/ sees neither DOM nor Node types; TextDecoder is a global of every runtime that runs it.
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };
/** One decoder for every event a catch-up opens: @noble's bytesToUtf8 makes a new one per call, half its cost. */
const utf8Decoder = new TextDecoder();
export const fromUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes);

/**
 * base64url without padding. Node's Buffer where it exists (the laptop's core, the hub: a catch-up
 * decodes every pulled event) — several times faster than going through a binary string.
 */
interface BufferLike {
  from(data: Uint8Array | string, encoding?: string): Uint8Array & { toString(encoding: string): string };
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array & { toString(encoding: string): string };
}
// shared/ is typed without Node or the DOM; both runtimes have these globals (btoa/atob since Node 16).
const runtime = globalThis as unknown as { Buffer?: BufferLike; btoa(binary: string): string; atob(text: string): string };
const NodeBuffer = runtime.Buffer;

/**
 * `utf8` for what every sealed event encodes (its associated data and what is sealed): Node's
 * Buffer where it exists, about 2.5× faster than TextEncoder for these short texts. Not for
 * secrets (a short Buffer is a slice of Node's shared pool).
 */
export const utf8Bulk: (text: string) => Uint8Array = NodeBuffer ? (text) => NodeBuffer.from(text, 'utf8') : utf8;

export function toBase64Url(bytes: Uint8Array): string {
  // A view of the same bytes, not a copy (every sealed event's box and nonce go through here).
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return runtime.btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64url'));
  const binary = runtime.atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `fromBase64Url` for text already matched against /^[A-Za-z0-9_-]*$/ (a sealed event's shape check): no second test, no copy. */
export function fromCheckedBase64Url(text: string): Uint8Array {
  if (!NodeBuffer) return fromBase64Url(text);
  const bytes = NodeBuffer.from(text, 'base64url');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export const KeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be a team key id (16 hex digits)');
const KeyBytesSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');
/** A label the team chose ("ops"); bound into every seal, so a team's events cannot pass as another's. */
export const TeamNameSchema = z.string().trim().min(1).max(64);

export const TeamKeyEntrySchema = z.strictObject({
  id: KeyIdSchema,
  key: KeyBytesSchema,
  createdAt: z.number().int().min(0),
});
export type TeamKeyEntry = z.infer<typeof TeamKeyEntrySchema>;

/** The keyring as kept in the private file and as exported in a key file. */
export const TeamKeyringSchema = z
  .strictObject({
    format: z.literal('warroom-team-key'),
    version: z.literal(1),
    team: TeamNameSchema,
    /** Which key seals new events: the newest one after a rotation. */
    current: KeyIdSchema,
    keys: z.array(TeamKeyEntrySchema).min(1).max(64),
  })
  .refine((ring) => ring.keys.some((k) => k.id === ring.current), 'current must name one of the keys')
  .refine((ring) => ring.keys.every((k) => keyIdOf(fromBase64Url(k.key)) === k.id), 'a key id does not match its key');
export type TeamKeyring = z.infer<typeof TeamKeyringSchema>;

/** A key's id: public (it travels with every sealed event), derived so a key file cannot lie about it. */
export function keyIdOf(key: Uint8Array): string {
  return hex(sha256(concat(utf8('warroom team key id\0'), key)).subarray(0, 8));
}

/** What people compare aloud or on screen to know two laptops hold the same key: 20 hex digits in fives. */
export function fingerprintOf(key: Uint8Array): string {
  const digits = hex(sha256(concat(utf8('warroom team key fingerprint\0'), key)).subarray(0, 10));
  return digits.match(/.{5}/g)!.join('-');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function newEntry(now: number): TeamKeyEntry {
  const key = randomBytes(32);
  return { id: keyIdOf(key), key: toBase64Url(key), createdAt: now };
}

export function createKeyring(team: string, now: number): TeamKeyring {
  const entry = newEntry(now);
  return { format: 'warroom-team-key', version: 1, team: TeamNameSchema.parse(team), current: entry.id, keys: [entry] };
}

/** A new key for new events; every older key is kept so old events still open. */
export function rotateKeyring(ring: TeamKeyring, now: number): TeamKeyring {
  const entry = newEntry(Math.max(now, ...ring.keys.map((k) => k.createdAt + 1)));
  return { ...ring, current: entry.id, keys: [...ring.keys, entry] };
}

/**
 * A keyring received (key file, pairing) joined with the one held: every key of both, and the
 * newer current key seals from now on. A different team's keyring is refused, not merged.
 */
export function mergeKeyrings(held: TeamKeyring | null, received: TeamKeyring): TeamKeyring {
  if (!held) return received;
  if (held.team !== received.team) throw new Error(`this key file is for team "${received.team}", and this laptop holds the key of team "${held.team}"`);
  const keys = new Map(held.keys.map((k) => [k.id, k]));
  for (const k of received.keys) if (!keys.has(k.id)) keys.set(k.id, k);
  const all = [...keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const createdOf = (id: string) => keys.get(id)!.createdAt;
  const current = createdOf(received.current) > createdOf(held.current) ? received.current : held.current;
  return { ...held, current, keys: all.slice(-64) };
}

export function currentKey(ring: TeamKeyring): TeamKeyEntry {
  return ring.keys.find((k) => k.id === ring.current)!;
}

/** When the team started sealing: events stamped from then on must arrive sealed. */
export function sealedSince(ring: TeamKeyring): number {
  return Math.min(...ring.keys.map((k) => k.createdAt));
}

// ---- The team public key: what the hub seals alerts to (shared/sync/sealing.ts, sealToTeam) ----

/** The X25519 secret of a team key, derived (never stored): whoever holds the team key opens what the hub sealed. */
export function teamBoxSecret(key: Uint8Array): Uint8Array {
  return hkdf(sha256, key, utf8('warroom team box'), utf8('x25519 secret v1'), 32);
}

export function teamPublicKey(key: Uint8Array): Uint8Array {
  return x25519.getPublicKey(teamBoxSecret(key));
}

export const TeamPublicKeySchema = z.strictObject({ keyId: KeyIdSchema, publicKey: KeyBytesSchema });
export type TeamPublicKey = z.infer<typeof TeamPublicKeySchema>;

export function teamPublicKeyOf(ring: TeamKeyring): TeamPublicKey {
  const entry = currentKey(ring);
  return { keyId: entry.id, publicKey: toBase64Url(teamPublicKey(fromBase64Url(entry.key))) };
}

/** The key a room peer authenticates requests with (electron/sync/room.ts): derived, never the team key itself. */
export function roomAuthKey(key: Uint8Array): Uint8Array {
  return hkdf(sha256, key, utf8('warroom room'), utf8('room request auth v1'), 32);
}

// ---- Pairing: a short code plus a passphrase wrap the keyring so it may travel through the hub ----

/** Crockford-like alphabet: no I, L, O, U, so a code read aloud is not misheard. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters, 60 bits: with the passphrase, what a hub operator would have to guess offline. */
const CODE_LENGTH = 12;

export function newPairingCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  const chars = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]!).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** What was typed, in canonical form: case, spaces and dashes do not matter. */
export function normalisePairingCode(typed: string): string | null {
  const chars = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (chars.length !== CODE_LENGTH || [...chars].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return chars.match(/.{4}/g)!.join('-');
}

/** The name the wrapped keyring is filed under on the hub: a hash, so the hub never learns the code itself. */
export function pairingSlot(code: string): string {
  return hex(sha256(utf8(`warroom pairing slot\0${code}`)).subarray(0, 16));
}

/** scrypt N=2^16, r=8, p=1: about half a second on a laptop, 64 MiB, for each guess of code and passphrase. */
const PAIRING_SCRYPT = { N: 2 ** 16, r: 8, p: 1, dkLen: 32 } as const;

export const WrappedKeyringSchema = z.strictObject({
  format: z.literal('warroom-wrapped-team-key'),
  version: z.literal(1),
  salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{32}$/),
  box: z.string().regex(/^[A-Za-z0-9_-]{1,200000}$/),
});
export type WrappedKeyring = z.infer<typeof WrappedKeyringSchema>;

async function keyEncryptionKey(code: string, passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  // The code and the passphrase are both secret; NFC so the same words typed on two keyboards agree.
  return scryptAsync(utf8(`${code}\0${passphrase.normalize('NFC')}`), salt, PAIRING_SCRYPT);
}

export async function wrapKeyring(ring: TeamKeyring, code: string, passphrase: string): Promise<WrappedKeyring> {
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const kek = await keyEncryptionKey(code, passphrase, salt);
  const box = xchacha20poly1305(kek, nonce, utf8('warroom-wrapped-team-key-1')).encrypt(utf8(JSON.stringify(ring)));
  return { format: 'warroom-wrapped-team-key', version: 1, salt: toBase64Url(salt), nonce: toBase64Url(nonce), box: toBase64Url(box) };
}

/** Null when the code or the passphrase is wrong (or the bytes were changed): the AEAD says which is impossible to tell. */
export async function unwrapKeyring(wrapped: WrappedKeyring, code: string, passphrase: string): Promise<TeamKeyring | null> {
  const kek = await keyEncryptionKey(code, passphrase, fromBase64Url(wrapped.salt));
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(kek, fromBase64Url(wrapped.nonce), utf8('warroom-wrapped-team-key-1')).decrypt(fromBase64Url(wrapped.box));
  } catch {
    return null;
  }
  const ring = TeamKeyringSchema.safeParse(JSON.parse(fromUtf8(plain)));
  return ring.success ? ring.data : null;
}

// ---- What the settings show ----

export function keyStatus(ring: TeamKeyring | null, storedIn: string): TeamKeyStatus {
  if (!ring) return { state: 'none', team: null, keyId: null, fingerprint: null, keys: 0, sealedSince: null, storedIn };
  const entry = currentKey(ring);
  return {
    state: 'sealed',
    team: ring.team,
    keyId: entry.id,
    fingerprint: fingerprintOf(fromBase64Url(entry.key)),
    keys: ring.keys.length,
    sealedSince: sealedSince(ring),
    storedIn,
  };
}
