import { getCiphers, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseSealCipher, nodeSealCipher, SEAL_CIPHER } from '../electron/sync/node-seal-cipher.js';
import { loadSodiumSealCipher } from '../electron/sync/sodium-seal-cipher.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { encodeHlc } from '../shared/record/hlc.js';
import { nobleSealCipher, type SealCipher } from '../shared/sync/seal-cipher.js';
import { admitPulled, sealEvent, type SealedEvent } from '../shared/sync/sealing.js';
import { createKeyring, fromBase64Url, toBase64Url } from '../shared/sync/team-key.js';

/**
 * Issue #14: the sealed format has three implementations: @noble's in pure JS (shared/, the
 * default), libsodium's through sodium-native (the laptop's core, fastest), and Node's
 * ChaCha20-Poly1305 behind @noble's HChaCha20 (the core's where the addon does not load). They must
 * be one format: what any seals the others open, and all refuse the same forgeries.
 */
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const bytes = (data: Uint8Array) => Buffer.from(data).toString('hex');

// sodium-native ships prebuilt binaries for Linux, macOS and Windows on x64 and arm64: it loads wherever the tests run.
const sodiumSealCipher = loadSodiumSealCipher()!;

const ciphers: [string, SealCipher][] = [
  ['@noble', nobleSealCipher],
  ['node:crypto', nodeSealCipher],
  ['libsodium', sodiumSealCipher],
];
const pairs: [string, SealCipher, SealCipher][] = [
  ['@noble seals, node:crypto opens', nobleSealCipher, nodeSealCipher],
  ['node:crypto seals, @noble opens', nodeSealCipher, nobleSealCipher],
  ['@noble seals, libsodium opens', nobleSealCipher, sodiumSealCipher],
  ['libsodium seals, @noble opens', sodiumSealCipher, nobleSealCipher],
];

describe('the XChaCha20-Poly1305 implementations of the sealed format', () => {
  it('the laptop core uses libsodium’s, which loads here', () => {
    expect(sodiumSealCipher).not.toBeNull();
    expect(SEAL_CIPHER.name).toBe(sodiumSealCipher.name);
  });

  it('falls back to Node’s, then @noble’s, where the addon does not load, the crypto lacks ChaCha20-Poly1305 (Electron’s BoringSSL), or a probe disagrees or throws', () => {
    expect(chooseSealCipher([sodiumSealCipher, nodeSealCipher])).toBe(sodiumSealCipher);
    expect(chooseSealCipher([null, nodeSealCipher])).toBe(nodeSealCipher);
    expect(chooseSealCipher([null, getCiphers().includes('chacha20-poly1305') ? nodeSealCipher : null])).toBe(nodeSealCipher);
    expect(chooseSealCipher([null, null])).toBe(nobleSealCipher);
    // A cipher that writes other bytes than the format's, opens a forgery, or fails outright, is not used.
    const wrongBytes: SealCipher = {
      ...nodeSealCipher,
      seal: (key, nonce, aad, plaintext) => {
        const sealed = nodeSealCipher.seal(key, nonce, aad, plaintext);
        sealed[0] = sealed[0]! ^ 1;
        return sealed;
      },
    };
    const failing: SealCipher = {
      ...nodeSealCipher,
      seal: () => {
        throw new Error('Unsupported cipher');
      },
    };
    const opensForgeries: SealCipher = {
      ...sodiumSealCipher,
      open: (key, nonce, aad, sealed) => nobleSealCipher.open(key, nonce, aad, sealed) ?? new Uint8Array(sealed.length - 16),
    };
    const wrongText: SealCipher = { ...sodiumSealCipher, openText: () => 'x' };
    for (const bad of [wrongBytes, failing, opensForgeries, wrongText]) {
      expect(chooseSealCipher([bad, null])).toBe(nobleSealCipher);
      expect(chooseSealCipher([bad, nodeSealCipher])).toBe(nodeSealCipher);
    }
  });

  // draft-irtf-cfrg-xchacha-03, appendix A.3.1: the published AEAD test vector.
  const vector = {
    key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
    nonce: hex('404142434445464748494a4b4c4d4e4f5051525354555657'),
    aad: hex('50515253c0c1c2c3c4c5c6c7'),
    plaintext: new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."),
    sealed:
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
      'c0875924c1c7987947deafd8780acf49',
  };

  it.each(ciphers)('%s seals the published test vector byte for byte and opens it', (_name, cipher) => {
    expect(bytes(cipher.seal(vector.key, vector.nonce, vector.aad, vector.plaintext))).toBe(vector.sealed);
    expect(bytes(cipher.open(vector.key, vector.nonce, vector.aad, hex(vector.sealed))!)).toBe(bytes(vector.plaintext));
  });

  it.each(pairs)('%s: the same bytes both ways, any length, any associated data', (_name, sealer, opener) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        fc.uint8Array({ maxLength: 80 }),
        // Around the 64-byte ChaCha block and the 16-byte Poly1305 block.
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 4000, maxLength: 5000 })),
        (key, nonce, aad, plaintext) => {
          const sealed = sealer.seal(key, nonce, aad, plaintext);
          expect(sealed.length).toBe(plaintext.length + 16);
          // Deterministic for one key and nonce: both implementations write the same ciphertext and tag.
          expect(bytes(sealed)).toBe(bytes(opener.seal(key, nonce, aad, plaintext)));
          expect(bytes(opener.open(key, nonce, aad, sealed)!)).toBe(bytes(plaintext));
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(pairs)('%s: tampered bytes, a wrong key, a wrong nonce or other associated data are refused', (_name, sealer, opener) => {
    const key = Uint8Array.from(randomBytes(32));
    const nonce = Uint8Array.from(randomBytes(24));
    const aad = new TextEncoder().encode('["warroom-sealed",1,"key","ops"]');
    const plaintext = new TextEncoder().encode('{"kind":"timeline.entry","payload":{"text":"the attacker pivoted through the VPN"}}');
    const sealed = sealer.seal(key, nonce, aad, plaintext);
    const flipped = (data: Uint8Array, at: number) => {
      const copy = Uint8Array.from(data);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    for (const cipher of [sealer, opener]) {
      expect(cipher.open(key, nonce, aad, flipped(sealed, 0)), 'first ciphertext byte').toBeNull();
      expect(cipher.open(key, nonce, aad, flipped(sealed, plaintext.length - 1)), 'last ciphertext byte').toBeNull();
      expect(cipher.open(key, nonce, aad, flipped(sealed, sealed.length - 1)), 'tag').toBeNull();
      expect(cipher.open(key, nonce, aad, sealed.subarray(0, sealed.length - 1)), 'truncated').toBeNull();
      expect(cipher.open(key, nonce, aad, sealed.subarray(0, 10)), 'shorter than a tag').toBeNull();
      expect(cipher.open(flipped(key, 31), nonce, aad, sealed), 'wrong key').toBeNull();
      // Both halves of the nonce: the first 16 bytes go into the subkey, the last 8 into ChaCha20's nonce.
      expect(cipher.open(key, flipped(nonce, 0), aad, sealed), 'wrong nonce (subkey half)').toBeNull();
      expect(cipher.open(key, flipped(nonce, 23), aad, sealed), 'wrong nonce (ChaCha half)').toBeNull();
      expect(cipher.open(key, nonce, flipped(aad, 3), sealed), 'other associated data').toBeNull();
      expect(cipher.open(key, nonce, new Uint8Array(0), sealed), 'no associated data').toBeNull();
      expect(bytes(cipher.open(key, nonce, aad, sealed)!)).toBe(bytes(plaintext));
    }
  });

  it.each([
    ['node:crypto', nodeSealCipher],
    ['libsodium', sodiumSealCipher],
  ])('%s’s text forms (what an append seals and a catch-up opens) are the format’s bytes, and refuse what was changed', (_name, cipher) => {
    const sealText = cipher.sealText!;
    const openText = cipher.openText!;
    const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64url');
    const utf8 = (text: string) => new TextEncoder().encode(text);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        // Past the scratch buffers' first size too (16 KiB), in any script.
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'grapheme', minLength: 9000, maxLength: 12000 })),
        (key, nonce, aad, plaintext) => {
          const box = sealText(key, nonce, aad, plaintext);
          expect(box).toBe(b64(nobleSealCipher.seal(key, nonce, utf8(aad), utf8(plaintext))));
          expect(openText(key, b64(nonce), aad, box)).toBe(plaintext);
          expect(new TextDecoder().decode(nobleSealCipher.open(key, nonce, utf8(aad), fromBase64Url(box))!)).toBe(plaintext);
          // One bit of the box, of the associated data or of the nonce, and it does not open.
          const bytes = fromBase64Url(box);
          bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
          expect(openText(key, b64(nonce), aad, b64(bytes))).toBeNull();
          expect(openText(key, b64(nonce), `${aad}x`, box)).toBeNull();
          const otherNonce = Uint8Array.from(nonce);
          otherNonce[0] = otherNonce[0]! ^ 0x01;
          expect(openText(key, b64(otherNonce), aad, box)).toBeNull();
          expect(openText(key, b64(nonce), aad, box.slice(0, -2))).toBeNull();
        },
      ),
      { numRuns: 150 },
    );
    expect(openText(new Uint8Array(32), 'A'.repeat(32), '', 'AAAA')).toBeNull();
    expect(openText(new Uint8Array(32), 'A'.repeat(31), '', 'A'.repeat(40))).toBeNull();
  });

  it.each(pairs)('%s: a sealed event crosses, and a tampered one is quarantined, not opened', (_name, sealer, opener) => {
    const now = Date.UTC(2026, 11, 3, 9, 0);
    const ring = createKeyring('ops', now - 60_000);
    const event: EventEnvelope = {
      id: '00000000-0000-7000-8000-000000000001',
      incidentId: '00000000-0000-7000-8000-000000000abc',
      kind: 'timeline.entry',
      payload: { entryKind: 'note', text: 'the attacker pivoted through the VPN concentrator', occurredAt: now },
      actor: 'Ada',
      deviceId: 'laptopA',
      hlc: encodeHlc({ wall: now, counter: 0, node: 'laptopA' }),
      recordedAt: now,
    };
    const sealed = sealEvent(event, ring, sealer);
    const box = fromBase64Url(sealed.box);
    box[5] = box[5]! ^ 0x80;
    const tampered: SealedEvent = { ...sealed, id: '00000000-0000-7000-8000-000000000002', box: toBase64Url(box) };
    const batch = admitPulled([sealed, tampered], ring, { now, cipher: opener });
    expect(batch.events[0]).toEqual(event);
    expect(batch.quarantine.get(event.id)).toBeUndefined();
    expect(batch.events[1]).toMatchObject({ id: tampered.id, kind: 'sealed.unopened' });
    expect(batch.quarantine.get(tampered.id)).toMatchObject({ code: 'not_authentic' });
  });
});
