import { z } from 'zod';
import { randomBytes } from '@noble/ciphers/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { IdSchema, type EventEnvelope } from '../record/events.js';
import { decodeHlc, HLC_PATTERN } from '../record/hlc.js';
import { admitEvent, utf8Bytes, UNTRUSTED_LIMITS, type AdmitOptions, type AdmittedBatch, type QuarantineReason } from '../record/untrusted.js';
import {
  concat,
  currentKey,
  fromBase64Url,
  fromCheckedBase64Url,
  fromUtf8,
  KeyIdSchema,
  sealedSince,
  teamBoxSecret,
  toBase64Url,
  utf8,
  utf8Bulk,
  type TeamKeyring,
  type TeamPublicKey,
} from './team-key.js';
import { nobleSealCipher, SEAL_NONCE_BYTES, type SealCipher } from './seal-cipher.js';

/**
 * A sealed event: what leaves a laptop holding a team key, and all the hub ever sees of it.
 *
 * In clear, the routing fields the hub needs to store and relay it and nothing else: the event id
 * (the idempotency key), the incident, the kind's family ("timeline", not "timeline.entry"), the
 * clock, and which key sealed it. The rest (kind, payload, actor, device, recorded at) is sealed
 * with XChaCha20-Poly1305 under the team key, with the team's name and every routing field as
 * associated data: a hub that moves a ciphertext to another event, incident or clock makes it fail
 * to open, and a laptop quarantines it.
 *
 * Two ways to seal:
 * - `seal: 'key'`: a laptop, with the team key itself. Only team members can make one.
 * - `seal: 'box'`: the hub, for what it writes itself (an alert received, a delivery outcome),
 *   sealed to the team's public key (X25519 + HKDF-SHA256 + XChaCha20-Poly1305, a sealed box) so
 *   it is stored sealed from the moment it arrives. Anyone holding the public key (the hub) can
 *   make one, so a laptop folds a box only for the kinds the hub writes and from the hub's device.
 */
export const SEAL_VERSION = 1 as const;

const B64 = /^[A-Za-z0-9_-]+$/;
/** An event's JSON may be 256 KiB; sealed and in base64url it is a third larger, plus the envelope. */
export const MAX_SEALED_EVENT_BYTES = Math.ceil((UNTRUSTED_LIMITS.maxEventBytes * 4) / 3) + 2048;
const FamilySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .max(32);

const routing = {
  id: IdSchema,
  incidentId: IdSchema,
  family: FamilySchema,
  hlc: z.string().regex(HLC_PATTERN, 'must be an HLC stamp'),
  keyId: KeyIdSchema,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'must be 24 bytes in base64url'),
  box: z.string().regex(B64).max(MAX_SEALED_EVENT_BYTES),
};

export const SealedEventSchema = z.discriminatedUnion('seal', [
  z.strictObject({ seal: z.literal('key'), v: z.literal(SEAL_VERSION), ...routing }),
  z.strictObject({ seal: z.literal('box'), v: z.literal(SEAL_VERSION), ...routing, epk: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
]);
export type SealedEvent = z.infer<typeof SealedEventSchema>;
/** Sealed by a laptop with the team key itself. */
export type KeySealedEvent = Extract<SealedEvent, { seal: 'key' }>;

/** Kinds the hub writes itself, the only ones a box (sealed to the team's public key) may carry. */
export const HUB_SEALED_KINDS: ReadonlySet<string> = new Set(['alert.received', 'delivery.outcome']);
export const HUB_DEVICE = 'hub';

/** Looks like a sealed event (then SealedEventSchema decides), as opposed to an event in clear. */
export function isSealedShape(raw: unknown): raw is { seal: unknown } {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.prototype.hasOwnProperty.call(raw, 'seal');
}

/**
 * Every field but the box is bounded by the schema (ids, family, clock, key id, nonce, epk: ASCII,
 * a few hundred bytes with their names): only a box this close to the limit needs the exact count.
 */
const ENVELOPE_BOUND = 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FAMILY = /^[a-z][a-z0-9_]*$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const NONCE = /^[A-Za-z0-9_-]{32}$/;
const EPK = /^[A-Za-z0-9_-]{43}$/;
const KEY_FIELDS = 9;

/**
 * SealedEventSchema's test, written out: a catch-up checks every event it pulls and the hub every
 * event pushed, and zod's discriminated union of strict objects took several µs an event (about a
 * tenth of a sealed catch-up). It accepts only what the schema accepts (test: sealing.test.ts
 * compares both on valid and broken envelopes); anything it does not accept goes to the schema,
 * which says why, so the refusals read exactly as before.
 */
export function isSealedEvent(raw: unknown): raw is SealedEvent {
  // JSON.parse and the hub's body parser make plain objects; anything else is left to the schema.
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return false;
  const e = raw as Record<string, unknown>;
  const { seal } = e;
  let fields = KEY_FIELDS;
  if (seal === 'box') {
    if (typeof e['epk'] !== 'string' || !EPK.test(e['epk'])) return false;
    fields++;
  } else if (seal !== 'key') return false;
  const { v, id, incidentId, family, hlc, keyId, nonce, box } = e;
  return (
    v === SEAL_VERSION &&
    typeof id === 'string' &&
    UUID.test(id) &&
    typeof incidentId === 'string' &&
    UUID.test(incidentId) &&
    typeof family === 'string' &&
    family.length <= 32 &&
    FAMILY.test(family) &&
    typeof hlc === 'string' &&
    HLC_PATTERN.test(hlc) &&
    typeof keyId === 'string' &&
    KEY_ID.test(keyId) &&
    typeof nonce === 'string' &&
    NONCE.test(nonce) &&
    typeof box === 'string' &&
    box.length <= MAX_SEALED_EVENT_BYTES &&
    B64.test(box) &&
    // Strict: no field beyond these (the ones checked above are all present, so counting is enough).
    Object.keys(e).length === fields
  );
}

/** Why the hub must refuse this sealed event (size and shape only: it cannot read more), or null. */
export function sealedRefusal(raw: unknown): string | null {
  if (!isSealedEvent(raw)) {
    const parsed = SealedEventSchema.safeParse(raw);
    if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    // Only an object the fast check leaves to the schema (not a plain one) gets here: its shape is the schema's to judge.
  }
  const box = (raw as SealedEvent).box;
  // A catch-up checks every event: skip serialising one again when its size cannot be at issue.
  if (box.length + ENVELOPE_BOUND <= MAX_SEALED_EVENT_BYTES) return null;
  const bytes = utf8Bytes(JSON.stringify(raw));
  return bytes > MAX_SEALED_EVENT_BYTES ? `the sealed event is ${bytes} bytes; at most ${MAX_SEALED_EVENT_BYTES}` : null;
}

export const familyOf = (kind: string): string => kind.slice(0, kind.indexOf('.') < 0 ? kind.length : kind.indexOf('.'));

/** A team's name as JSON, kept: the associated data of every event of a catch-up starts with it. */
const teamJson = new Map<string, string>();

/**
 * The JSON array ["warroom-sealed", 1, seal, team, keyId, id, incidentId, family, hlc], written out
 * as JSON.stringify writes it: the routing fields all match their patterns (a checked envelope, or
 * an event of the log: UUIDs, hex, [a-z0-9_], an HLC stamp), so none needs escaping; the team's
 * name may, and goes through JSON.stringify.
 */
function associatedDataText(team: string, sealed: Pick<SealedEvent, 'seal' | 'id' | 'incidentId' | 'family' | 'hlc' | 'keyId'>): string {
  let teamText = teamJson.get(team);
  if (teamText === undefined) {
    teamText = JSON.stringify(team);
    teamJson.set(team, teamText);
  }
  return `["warroom-sealed",${SEAL_VERSION},"${sealed.seal}",${teamText},"${sealed.keyId}","${sealed.id}","${sealed.incidentId}","${sealed.family}","${sealed.hlc}"]`;
}

/** The associated data as the cipher takes it: `associatedDataText` in UTF-8. */
const associatedData = (team: string, sealed: Pick<SealedEvent, 'seal' | 'id' | 'incidentId' | 'family' | 'hlc' | 'keyId'>): Uint8Array =>
  utf8Bulk(associatedDataText(team, sealed));

/**
 * What is sealed: everything of the event that is not a routing field, as JSON.stringify writes
 * {kind, payload, actor, deviceId, recordedAt}. `payloadJson`: the payload's JSON when the caller
 * already made it (the store writes it into the log in the same transaction), so it is not made twice.
 */
function innerText(event: EventEnvelope, payloadJson: string = JSON.stringify(event.payload)): string {
  return `{"kind":${JSON.stringify(event.kind)},"payload":${payloadJson},"actor":${JSON.stringify(event.actor)},"deviceId":${JSON.stringify(event.deviceId)},"recordedAt":${JSON.stringify(event.recordedAt)}}`;
}

/** Per-key cipher material, so a catch-up of 10,000 events decodes each key once. */
const keyCache = new WeakMap<TeamKeyring, Map<string, Uint8Array>>();
function keyBytes(ring: TeamKeyring, keyId: string): Uint8Array | null {
  let cache = keyCache.get(ring);
  if (!cache) {
    cache = new Map(ring.keys.map((k) => [k.id, fromBase64Url(k.key)]));
    keyCache.set(ring, cache);
  }
  return cache.get(keyId) ?? null;
}

/** A team key's X25519 box secret and public key, derived once (two scalar multiplications saved per alert opened). */
const boxCache = new WeakMap<Uint8Array, { secret: Uint8Array; publicKey: Uint8Array }>();
function boxPair(key: Uint8Array): { secret: Uint8Array; publicKey: Uint8Array } {
  let pair = boxCache.get(key);
  if (!pair) {
    const secret = teamBoxSecret(key);
    pair = { secret, publicKey: x25519.getPublicKey(secret) };
    boxCache.set(key, pair);
  }
  return pair;
}

/**
 * Nonces come from the system's random source 256 at a time (one call instead of one per event:
 * the call cost as much as the rest of sealing an event), each handed out once and never again: a
 * used block is dropped, never refilled in place.
 */
const NONCES_PER_DRAW = 256;
let nonceBlock = new Uint8Array(0);
let nonceAt = 0;
export function freshNonce(): Uint8Array {
  if (nonceAt + SEAL_NONCE_BYTES > nonceBlock.length) {
    nonceBlock = randomBytes(SEAL_NONCE_BYTES * NONCES_PER_DRAW);
    nonceAt = 0;
  }
  const nonce = nonceBlock.subarray(nonceAt, nonceAt + SEAL_NONCE_BYTES);
  nonceAt += SEAL_NONCE_BYTES;
  return nonce;
}

/**
 * Seal one event with the team's current key (a laptop, before the event leaves for the hub or a
 * peer). `cipher`: the XChaCha20-Poly1305 implementation (shared/sync/seal-cipher.ts); the laptop's
 * core passes Node's, faster, and both write the same bytes.
 */
export function sealEvent(event: EventEnvelope, ring: TeamKeyring, cipher: SealCipher = nobleSealCipher, payloadJson?: string): KeySealedEvent {
  const entry = currentKey(ring);
  const head = {
    seal: 'key' as const,
    v: SEAL_VERSION,
    id: event.id,
    incidentId: event.incidentId,
    family: familyOf(event.kind),
    hlc: event.hlc,
    keyId: entry.id,
  };
  const nonce = freshNonce();
  const key = keyBytes(ring, entry.id)!;
  const aad = associatedDataText(ring.team, head);
  const inner = innerText(event, payloadJson);
  // The cipher's text form where it has one (Node's): no byte arrays made per event on the way.
  const box = cipher.sealText ? cipher.sealText(key, nonce, aad, inner) : toBase64Url(cipher.seal(key, nonce, utf8Bulk(aad), utf8Bulk(inner)));
  return { ...head, nonce: toBase64Url(nonce), box };
}

/**
 * A key-sealed event's JSON as JSON.stringify writes it (same fields, same order), written out: an
 * append seals every event it queues, and serialising the envelope again (its box most of all)
 * cost as much as the cipher. Every field matches its pattern (UUIDs, [a-z0-9_], an HLC stamp,
 * hex, base64url), so none needs escaping (test: sealing.test.ts compares it with JSON.stringify).
 */
export function sealedWire(sealed: KeySealedEvent): string {
  return `{"seal":"key","v":${SEAL_VERSION},"id":"${sealed.id}","incidentId":"${sealed.incidentId}","family":"${sealed.family}","hlc":"${sealed.hlc}","keyId":"${sealed.keyId}","nonce":"${sealed.nonce}","box":"${sealed.box}"}`;
}

function boxKey(shared: Uint8Array, epk: Uint8Array, recipient: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, concat(epk, recipient), utf8('warroom sealed box v1'), 32);
}

/**
 * The hub seals what it writes to the team's public key: a fresh X25519 key pair per event, the
 * shared secret through HKDF, then XChaCha20-Poly1305 with the routing fields as associated data.
 * `team` is the team's name as the laptops' keyring spells it (the hub learns it when the key is registered).
 */
export function sealToTeam(event: EventEnvelope, recipient: TeamPublicKey & { team: string }, cipher: SealCipher = nobleSealCipher): SealedEvent {
  const ephemeral = x25519.utils.randomSecretKey();
  const epk = x25519.getPublicKey(ephemeral);
  const publicKey = fromBase64Url(recipient.publicKey);
  const key = boxKey(x25519.getSharedSecret(ephemeral, publicKey), epk, publicKey);
  const head = {
    seal: 'box' as const,
    v: SEAL_VERSION,
    id: event.id,
    incidentId: event.incidentId,
    family: familyOf(event.kind),
    hlc: event.hlc,
    keyId: recipient.keyId,
  };
  const nonce = randomBytes(24);
  const box = cipher.seal(key, nonce, associatedData(recipient.team, head), utf8Bulk(innerText(event)));
  return { ...head, epk: toBase64Url(epk), nonce: toBase64Url(nonce), box: toBase64Url(box) };
}

export type Opened = { ok: true; event: unknown } | { ok: false; reason: QuarantineReason };

const fail = (code: QuarantineReason['code'], reason: string): Opened => ({ ok: false, reason: { code, reason } });

/** The byte form of opening: a box sealed to the team's public key, or a cipher without `openText`. May throw on bad bytes. */
function openBytes(sealed: SealedEvent, key: Uint8Array, team: string, cipher: SealCipher): Uint8Array | null {
  const nonce = fromCheckedBase64Url(sealed.nonce);
  const box = fromCheckedBase64Url(sealed.box);
  let cipherKey = key;
  if (sealed.seal === 'box') {
    const { secret, publicKey } = boxPair(key);
    const epk = fromBase64Url(sealed.epk);
    cipherKey = boxKey(x25519.getSharedSecret(secret, epk), epk, publicKey);
  }
  return cipher.open(cipherKey, nonce, associatedData(team, sealed), box);
}

/** Open a sealed event (one that passed `sealedRefusal`) with the keyring, or say why it cannot be (never throws on bad bytes). */
export function openSealed(sealed: SealedEvent, ring: TeamKeyring | null, cipher: SealCipher = nobleSealCipher): Opened {
  if (!ring) return fail('no_team_key', 'sealed with a team key, and this laptop holds none');
  const key = keyBytes(ring, sealed.keyId);
  if (!key)
    return fail('unknown_key', `sealed with key ${sealed.keyId}, which this laptop does not hold (another team's key, or a newer key not given to it yet)`);
  let plain: Uint8Array | string | null;
  try {
    // Their alphabet was checked with the envelope's shape.
    if (sealed.seal === 'key' && cipher.openText) plain = cipher.openText(key, sealed.nonce, associatedDataText(ring.team, sealed), sealed.box);
    else plain = openBytes(sealed, key, ring.team, cipher);
  } catch {
    plain = null;
  }
  if (plain === null) {
    return fail(
      'not_authentic',
      `does not open with key ${sealed.keyId}: its bytes or routing fields were changed, or it was sealed with another key of the same id`,
    );
  }
  let inner: Record<string, unknown>;
  try {
    const parsed = JSON.parse(typeof plain === 'string' ? plain : fromUtf8(plain)) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    inner = parsed as Record<string, unknown>;
  } catch {
    return fail('not_authentic', 'opens, but what it holds is not an event');
  }
  const kind = typeof inner['kind'] === 'string' ? inner['kind'] : '';
  if (familyOf(kind) !== sealed.family) return fail('not_authentic', `sealed as a "${sealed.family}" event, and it holds a "${kind}"`);
  if (sealed.seal === 'box' && (!HUB_SEALED_KINDS.has(kind) || inner['deviceId'] !== HUB_DEVICE)) {
    // Whoever knows the team's public key (the hub) can make a box: it may only say what the hub says.
    return fail('not_authentic', `sealed to the team's public key, which only the hub's own ${[...HUB_SEALED_KINDS].join(' and ')} events may be`);
  }
  return {
    ok: true,
    event: {
      id: sealed.id,
      incidentId: sealed.incidentId,
      kind,
      payload: inner['payload'],
      actor: inner['actor'],
      deviceId: inner['deviceId'],
      hlc: sealed.hlc,
      recordedAt: inner['recordedAt'],
    },
  };
}

/** The kind under which a sealed event that did not open is kept: stored, synced onward as it came, never folded. */
export const UNOPENED_KIND = 'sealed.unopened';

/**
 * A sealed event this laptop cannot open is kept all the same (nothing is silently dropped, and it
 * is relayed onward byte for byte): an envelope of its routing fields, holding the sealed form.
 */
export function unopenedEnvelope(sealed: SealedEvent): EventEnvelope {
  return {
    id: sealed.id,
    incidentId: sealed.incidentId,
    kind: UNOPENED_KIND,
    payload: { sealed },
    actor: sealed.seal === 'box' ? 'hub (sealed)' : 'unknown (sealed)',
    deviceId: sealed.seal === 'box' ? HUB_DEVICE : 'sealed',
    hlc: sealed.hlc,
    recordedAt: decodeHlc(sealed.hlc).wall,
  };
}

/**
 * What goes to the hub for one event of the log: sealed with the current key when this laptop
 * holds a team key (never in clear then), as it is otherwise; an event that arrived sealed and did
 * not open goes on exactly as it came.
 */
export function outgoing(event: EventEnvelope, ring: TeamKeyring | null, cipher: SealCipher = nobleSealCipher): unknown {
  if (event.kind === UNOPENED_KIND) {
    const sealed = event.payload['sealed'];
    if (isSealedEvent(sealed) || SealedEventSchema.safeParse(sealed).success) return sealed;
  }
  return ring ? sealEvent(event, ring, cipher) : event;
}

/**
 * `outgoing` for the outbox (issue #14: sealed before it enters it): the JSON that will leave, and
 * the key that sealed it, '' for an event relayed exactly as it came. Only for a laptop holding a key.
 */
export function sealedForOutbox(
  event: EventEnvelope,
  ring: TeamKeyring,
  cipher: SealCipher = nobleSealCipher,
  /** The payload's JSON, when the caller already made it (the store, writing the event into the log). */
  payloadJson?: string,
): { wire: string; keyId: string } {
  if (event.kind !== UNOPENED_KIND) {
    const sealed = sealEvent(event, ring, cipher, payloadJson);
    return { wire: sealedWire(sealed), keyId: sealed.keyId };
  }
  const out = outgoing(event, ring, cipher) as SealedEvent;
  // outgoing hands back the sealed form an unopened event carries, itself, when it relays it as it came.
  return { wire: JSON.stringify(out), keyId: out === event.payload['sealed'] ? '' : out.keyId };
}

/** How pulled events are admitted (shared/record/untrusted.ts), and which implementation opens the sealed ones. */
export interface PulledOptions extends AdmitOptions {
  cipher?: SealCipher;
  /**
   * Keep each opened event's sealed form as it arrived (`PulledBatch.arrived`): what a room peer
   * hands over goes on to the hub from this laptop's outbox, and relaying those bytes costs
   * nothing where sealing them again cost half of writing a room peer's page.
   */
  keepArrived?: boolean;
}

/** A sealed event as it arrived, to relay onward as it is: its envelope's JSON and the key that sealed it. */
export interface ArrivedSealed {
  wire: string;
  keyId: string;
}

export interface PulledBatch extends AdmittedBatch {
  /** With `keepArrived`: for each event of `events`, in order, its sealed form as it arrived when it was opened from one sealed with a team key, else null. */
  arrived?: (ArrivedSealed | null)[];
}

/**
 * The untrusted-input path for what a hub (or a peer) hands over, sealed or not: sealed events are
 * opened first and then admitted like any other (shared/record/untrusted.ts); one that does not
 * open is kept quarantined with why. A laptop holding a team key also quarantines an event that
 * arrives in clear stamped after the team began sealing: anyone with the hub's token (or the hub
 * itself) could have written it, and a team member never sends one.
 */
export function admitPulled(raw: readonly unknown[], ring: TeamKeyring | null, options: PulledOptions = {}): PulledBatch {
  const batch: PulledBatch = { events: [], quarantine: new Map(), refused: [] };
  const arrived: (ArrivedSealed | null)[] | null = options.keepArrived ? (batch.arrived = []) : null;
  const since = ring ? sealedSince(ring) : null;
  raw.forEach((candidate, index) => {
    if (isSealedShape(candidate)) {
      const shape = sealedRefusal(candidate);
      if (shape !== null) {
        batch.refused.push({ index, reason: shape });
        return;
      }
      const sealed = candidate as SealedEvent;
      const opened = openSealed(sealed, ring, options.cipher);
      if (!opened.ok) {
        batch.events.push(unopenedEnvelope(sealed));
        arrived?.push(null);
        batch.quarantine.set(sealed.id, opened.reason);
        return;
      }
      const admission = admitEvent(opened.event, options);
      if (!admission.ok) {
        // A team member's event this version cannot even keep: kept sealed, as it came.
        batch.events.push(unopenedEnvelope(sealed));
        arrived?.push(null);
        batch.quarantine.set(sealed.id, { code: 'invalid_payload', reason: `opens, and cannot be kept: ${admission.reason}` });
        return;
      }
      batch.events.push(admission.event);
      arrived?.push(sealed.seal === 'key' ? { wire: sealedWire(sealed), keyId: sealed.keyId } : null);
      if (admission.quarantine) batch.quarantine.set(admission.event.id, admission.quarantine);
      return;
    }
    const admission = admitEvent(candidate, options);
    if (!admission.ok) {
      batch.refused.push({ index, reason: admission.reason });
      return;
    }
    batch.events.push(admission.event);
    arrived?.push(null);
    if (admission.quarantine) batch.quarantine.set(admission.event.id, admission.quarantine);
    else if (since !== null && decodeHlc(admission.event.hlc).wall >= since) {
      batch.quarantine.set(admission.event.id, {
        code: 'not_sealed',
        reason: 'arrived in clear, stamped after the team began sealing: not written by a holder of the team key',
      });
    }
  });
  return batch;
}

/**
 * An event kept unopened, looked at again with the keyring held now: opened and admitted, or
 * still unopened with the reason as it stands now (a key id still unknown, a key that does not fit).
 */
export function reopenUnopened(
  sealed: unknown,
  ring: TeamKeyring | null,
  options: PulledOptions = {},
): { event: EventEnvelope; quarantine: QuarantineReason | null } {
  const batch = admitPulled([sealed], ring, options);
  const event = batch.events[0];
  if (!event) {
    const parsed = SealedEventSchema.parse(sealed);
    return { event: unopenedEnvelope(parsed), quarantine: { code: 'not_authentic', reason: batch.refused[0]?.reason ?? 'not a sealed event' } };
  }
  return { event, quarantine: batch.quarantine.get(event.id) ?? null };
}
