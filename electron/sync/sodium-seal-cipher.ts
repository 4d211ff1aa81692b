import { createRequire } from 'node:module';
import { SEAL_KEY_BYTES, SEAL_NONCE_BYTES, SEAL_TAG_BYTES, type SealCipher } from '../../shared/sync/seal-cipher.js';
import { grown } from './scratch-buffer.js';

/** The part of sodium-native (libsodium's own bindings) the sealed format uses. */
interface Sodium {
  /** Writes ciphertext ‖ tag into `c` (m.length + 16 bytes); returns its length. */
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  /** Writes the plaintext into `m` (c.length − 16 bytes); throws when the tag does not verify. */
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
}

/**
 * libsodium's XChaCha20-Poly1305 through sodium-native (N-API, prebuilt for Linux, macOS and
 * Windows: the same binary loads in Node and in Electron, no rebuild). The sealed format is
 * libsodium's crypto_aead_xchacha20poly1305_ietf byte for byte, so this is that format's reference
 * implementation rather than a second one. About 1.5 µs to open an event against 8–10 µs through
 * node:crypto's ChaCha20-Poly1305 with an HChaCha20 subkey made in JS, and 30 µs or more in pure JS
 * (@noble, which Electron fell back to: its BoringSSL offers no ChaCha20-Poly1305 to createCipheriv).
 * A sealed team's catch-up opens every event it pulls, and a sealed append seals every entry.
 *
 * null when the addon cannot be loaded here (a platform without a prebuilt binary): the core then
 * uses Node's crypto or @noble (electron/sync/node-seal-cipher.ts).
 */
export function loadSodiumSealCipher(): SealCipher | null {
  let sodium: Sodium;
  try {
    sodium = createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return null;
  }
  return sodiumSealCipher(sodium);
}

function sodiumSealCipher(sodium: Sodium): SealCipher {
  /**
   * Scratch for the text forms: the bytes going into the cipher and out of it are written here
   * rather than into new Buffers per event (a catch-up opens thousands a second, and the garbage
   * they made was a tenth of the pull worker's time). They hold routing fields, ciphertext or
   * plaintext, never a key; each call hands its result on as a string before it returns, and a
   * thread (the core's, the pull worker's) has its own copy of this module.
   */
  let input: Buffer = Buffer.allocUnsafeSlow(16 * 1024);
  let output: Buffer = Buffer.allocUnsafeSlow(16 * 1024);
  let aad: Buffer = Buffer.allocUnsafeSlow(1024);
  const nonceBytes = Buffer.allocUnsafeSlow(SEAL_NONCE_BYTES);
  const aadOf = (text: string): Buffer => {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    aad = grown(aad, text.length * 3);
    return aad.subarray(0, aad.write(text, 0, 'utf8'));
  };
  const checkSizes = (key: Uint8Array, nonce: Uint8Array) => {
    if (key.length !== SEAL_KEY_BYTES) throw new Error(`a seal key is ${SEAL_KEY_BYTES} bytes`);
    if (nonce.length !== SEAL_NONCE_BYTES) throw new Error(`a seal nonce is ${SEAL_NONCE_BYTES} bytes`);
  };

  return {
    name: 'libsodium (sodium-native) xchacha20poly1305_ietf',
    seal(key, nonce, associatedData, plaintext) {
      checkSizes(key, nonce);
      const sealed = new Uint8Array(plaintext.length + SEAL_TAG_BYTES);
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, plaintext, associatedData, null, nonce, key);
      return sealed;
    },
    open(key, nonce, associatedData, sealed) {
      if (key.length !== SEAL_KEY_BYTES || nonce.length !== SEAL_NONCE_BYTES || sealed.length < SEAL_TAG_BYTES) return null;
      const plain = new Uint8Array(sealed.length - SEAL_TAG_BYTES);
      try {
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plain, null, sealed, associatedData, nonce, key);
        return plain;
      } catch {
        // Wrong key, other associated data, altered bytes: nothing of the plaintext is used.
        return null;
      }
    },
    sealText(key, nonce, associatedData, plaintext) {
      checkSizes(key, nonce);
      input = grown(input, plaintext.length * 3);
      const length = input.write(plaintext, 0, 'utf8');
      output = grown(output, length + SEAL_TAG_BYTES);
      const box = output.subarray(0, length + SEAL_TAG_BYTES);
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(box, input.subarray(0, length), aadOf(associatedData), null, nonce, key);
      return box.toString('base64url');
    },
    openText(key, nonce, associatedData, box) {
      // Unpadded base64url: 4 characters are 3 bytes, and 2 or 3 left over are 1 or 2.
      const boxBytes = Math.floor((box.length * 3) / 4);
      if (key.length !== SEAL_KEY_BYTES || boxBytes < SEAL_TAG_BYTES || nonce.length !== 32) return null;
      input = grown(input, boxBytes);
      if (input.write(box, 0, boxBytes, 'base64url') !== boxBytes) return null;
      if (nonceBytes.write(nonce, 0, SEAL_NONCE_BYTES, 'base64url') !== SEAL_NONCE_BYTES) return null;
      const textLength = boxBytes - SEAL_TAG_BYTES;
      output = grown(output, textLength);
      const plain = output.subarray(0, textLength);
      try {
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plain, null, input.subarray(0, boxBytes), aadOf(associatedData), nonceBytes, key);
      } catch {
        return null;
      }
      return plain.toString('utf8');
    },
  };
}
