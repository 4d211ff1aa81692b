import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { nobleSealCipher, SEAL_NONCE_BYTES, SEAL_TAG_BYTES, XChaChaSubkeys, type SealCipher } from '../../shared/sync/seal-cipher.js';
import type { SealCipherKind } from '../../shared/sync/team-key-channels.js';
import { grown } from './scratch-buffer.js';
import { loadSodiumSealCipher } from './sodium-seal-cipher.js';

const AEAD = 'chacha20-poly1305';
const TAG_OPTIONS = { authTagLength: SEAL_TAG_BYTES } as const;
/** Reused for every event (the core is one thread, and createCipheriv copies subkey and nonce at once). */
const subkeys = new XChaChaSubkeys();

/**
 * Scratch for the text forms (sealText, openText): the bytes going into the cipher are written
 * here rather than into a new Buffer per event, then handed to it at once (it reads them during
 * the call). They hold routing fields, ciphertext, or plaintext being sealed, never a key, and the
 * core is one thread. Grown for an event larger than they are.
 */
let scratch: Buffer = Buffer.allocUnsafeSlow(16 * 1024);
let aadScratch: Buffer = Buffer.allocUnsafeSlow(1024);
const nonceScratch = Buffer.allocUnsafeSlow(SEAL_NONCE_BYTES);

/** The associated data's UTF-8 into its scratch, as a view of the written bytes. */
function aadOf(text: string): Buffer {
  // A UTF-16 unit is at most 3 bytes of UTF-8.
  aadScratch = grown(aadScratch, text.length * 3);
  return aadScratch.subarray(0, aadScratch.write(text, 0, 'utf8'));
}

/**
 * The sealed format (shared/sync/seal-cipher.ts) through Node's own ChaCha20-Poly1305: @noble's
 * HChaCha20 derives the XChaCha20 subkey, OpenSSL does the rest. About 30 µs an event against
 * about 90 µs in pure JS, and a catch-up opens every event of the day once.
 */
const openSslSealCipher: SealCipher = {
  name: `node:crypto ${AEAD} + @noble hchacha`,
  seal(key, nonce, associatedData, plaintext) {
    subkeys.derive(key, nonce);
    const cipher = createCipheriv(AEAD, subkeys.subkey, subkeys.nonce12, TAG_OPTIONS);
    cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
    const head = cipher.update(plaintext);
    // A stream cipher: final() adds nothing; the tag follows the ciphertext (Buffer.concat takes small results from Node's pool).
    const tail = cipher.final();
    const tag = cipher.getAuthTag();
    return tail.length === 0 ? Buffer.concat([head, tag], head.length + tag.length) : Buffer.concat([head, tail, tag]);
  },
  open(key, nonce, associatedData, sealed) {
    if (sealed.length < SEAL_TAG_BYTES) return null;
    try {
      subkeys.derive(key, nonce);
      const textLength = sealed.length - SEAL_TAG_BYTES;
      const decipher = createDecipheriv(AEAD, subkeys.subkey, subkeys.nonce12, TAG_OPTIONS);
      decipher.setAAD(associatedData, { plaintextLength: textLength });
      decipher.setAuthTag(sealed.subarray(textLength));
      const head = decipher.update(sealed.subarray(0, textLength));
      // final() throws when the tag does not match: nothing of the plaintext is used before it passed.
      const tail = decipher.final();
      if (tail.length === 0) return new Uint8Array(head.buffer, head.byteOffset, head.length);
      const plain = new Uint8Array(head.length + tail.length);
      plain.set(head, 0);
      plain.set(tail, head.length);
      return plain;
    } catch {
      return null;
    }
  },
  sealText(key, nonce, associatedData, plaintext) {
    subkeys.derive(key, nonce);
    scratch = grown(scratch, plaintext.length * 3 + SEAL_TAG_BYTES);
    const length = scratch.write(plaintext, 0, 'utf8');
    const cipher = createCipheriv(AEAD, subkeys.subkey, subkeys.nonce12, TAG_OPTIONS);
    cipher.setAAD(aadOf(associatedData), { plaintextLength: length });
    const head = cipher.update(scratch.subarray(0, length));
    // A stream cipher: final() adds nothing (checked, so a change of that would not cut the box short).
    if (cipher.final().length !== 0) throw new Error('chacha20-poly1305 held back bytes');
    // ciphertext ‖ tag in one run of bytes (base64 of each part apart would not be the same text).
    head.copy(scratch, 0);
    cipher.getAuthTag().copy(scratch, head.length);
    return scratch.toString('base64url', 0, head.length + SEAL_TAG_BYTES);
  },
  openText(key, nonce, associatedData, box) {
    // Unpadded base64url: 4 characters are 3 bytes, and 2 or 3 left over are 1 or 2.
    const boxBytes = Math.floor((box.length * 3) / 4);
    if (boxBytes < SEAL_TAG_BYTES || nonce.length !== 32) return null;
    try {
      scratch = grown(scratch, boxBytes);
      const length = scratch.write(box, 0, boxBytes, 'base64url');
      if (length !== boxBytes || nonceScratch.write(nonce, 0, SEAL_NONCE_BYTES, 'base64url') !== SEAL_NONCE_BYTES) return null;
      subkeys.derive(key, nonceScratch);
      const textLength = length - SEAL_TAG_BYTES;
      const decipher = createDecipheriv(AEAD, subkeys.subkey, subkeys.nonce12, TAG_OPTIONS);
      decipher.setAAD(aadOf(associatedData), { plaintextLength: textLength });
      decipher.setAuthTag(scratch.subarray(textLength, length));
      const head = decipher.update(scratch.subarray(0, textLength));
      // final() throws when the tag does not match: nothing of the plaintext is used before it passed.
      const tail = decipher.final();
      return tail.length === 0 ? head.toString('utf8') : Buffer.concat([head, tail]).toString('utf8');
    } catch {
      return null;
    }
  },
};

/**
 * The cipher the laptop's core seals and opens with, the fastest of those that work here:
 * libsodium's (sodium-native, electron/sync/sodium-seal-cipher.ts) where its addon loads; else
 * Node's where its crypto has ChaCha20-Poly1305 (Node's OpenSSL; Electron's BoringSSL does not
 * offer it to createCipheriv: electron/electron#24024); else @noble's. Each is checked once against
 * @noble's on a probe, both ways and in both forms, before it is trusted with the team's record.
 */
export const SEAL_CIPHER: SealCipher = chooseSealCipher([loadSodiumSealCipher(), getCiphers().includes(AEAD) ? openSslSealCipher : null]);

/** SEAL_CIPHER as the settings name it: a desktop install that falls back to JavaScript says so, rather than only syncing slower. */
export const SEAL_CIPHER_KIND: SealCipherKind =
  SEAL_CIPHER === nobleSealCipher ? 'javascript' : SEAL_CIPHER === openSslSealCipher ? 'node-crypto' : 'libsodium';

/** The first candidate (null: not available here) that seals and opens the probe as @noble's does; @noble's when none does. */
export function chooseSealCipher(candidates: readonly (SealCipher | null)[]): SealCipher {
  return candidates.find((candidate) => candidate !== null && agreesWithNoble(candidate)) ?? nobleSealCipher;
}

function agreesWithNoble(candidate: SealCipher): boolean {
  const key = new Uint8Array(32).fill(7);
  const nonce = new Uint8Array(24).fill(9);
  const aad = new Uint8Array([1, 2, 3]);
  const plain = new Uint8Array([4, 5, 6, 7, 0xc3, 0xa9]);
  const same = (a: Uint8Array | null) => a !== null && a.length === plain.length && a.every((b, i) => b === plain[i]);
  try {
    if (!same(nobleSealCipher.open(key, nonce, aad, candidate.seal(key, nonce, aad, plain)))) return false;
    if (!same(candidate.open(key, nonce, aad, nobleSealCipher.seal(key, nonce, aad, plain)))) return false;
    // The text forms, where the candidate has them: the same box as its bytes form, opened back.
    const text = Buffer.from(plain).toString('utf8');
    const box = Buffer.from(nobleSealCipher.seal(key, nonce, Buffer.from('ad'), plain)).toString('base64url');
    const nonceText = Buffer.from(nonce).toString('base64url');
    if (candidate.sealText && candidate.sealText(key, nonce, 'ad', text) !== box) return false;
    if (candidate.openText && candidate.openText(key, nonceText, 'ad', box) !== text) return false;
    // A forgery must not open.
    const forged = nobleSealCipher.seal(key, nonce, aad, plain);
    forged[0] = forged[0]! ^ 1;
    return candidate.open(key, nonce, aad, forged) === null;
  } catch {
    return false;
  }
}

/** For the compatibility test: Node's implementation itself, whatever SEAL_CIPHER chose. */
export const nodeSealCipher: SealCipher = openSslSealCipher;
