import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { nobleSealCipher, SEAL_TAG_BYTES, XChaChaSubkeys, type SealCipher } from '../../shared/sync/seal-cipher.js';

const AEAD = 'chacha20-poly1305';
const TAG_OPTIONS = { authTagLength: SEAL_TAG_BYTES } as const;
/** Reused for every event (the core is one thread, and createCipheriv copies subkey and nonce at once). */
const subkeys = new XChaChaSubkeys();

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
};

/**
 * The cipher the laptop's core seals and opens with: Node's where its crypto has ChaCha20-Poly1305
 * (Node's OpenSSL), @noble's otherwise (Electron's BoringSSL does not offer it to createCipheriv:
 * electron/electron#24024), checked once by sealing and opening a probe.
 */
export const SEAL_CIPHER: SealCipher = chooseSealCipher();

/** `available`: the ciphers this runtime's crypto offers; `candidate`: Node's implementation (both given by the fallback test). */
export function chooseSealCipher(available: readonly string[] = getCiphers(), candidate: SealCipher = openSslSealCipher): SealCipher {
  if (!available.includes(AEAD)) return nobleSealCipher;
  try {
    const key = new Uint8Array(32).fill(7);
    const nonce = new Uint8Array(24).fill(9);
    const aad = new Uint8Array([1, 2, 3]);
    const plain = new Uint8Array([4, 5, 6, 7]);
    const sealed = candidate.seal(key, nonce, aad, plain);
    const same = nobleSealCipher.open(key, nonce, aad, sealed);
    return same && same.length === plain.length && same.every((b, i) => b === plain[i]) ? candidate : nobleSealCipher;
  } catch {
    return nobleSealCipher;
  }
}

/** For the compatibility test: Node's implementation itself, whatever SEAL_CIPHER chose. */
export const nodeSealCipher: SealCipher = openSslSealCipher;
