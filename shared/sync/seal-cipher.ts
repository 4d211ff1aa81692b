import { hchacha, xchacha20poly1305 } from '@noble/ciphers/chacha.js';

/**
 * The AEAD every sealed event uses (shared/sync/sealing.ts): XChaCha20-Poly1305, a 32-byte key, a
 * 24-byte nonce, the 16-byte tag after the ciphertext. One format, two implementations that must
 * agree byte for byte (test/seal-cipher.test.ts seals with each and opens with the other):
 * - `nobleSealCipher` (@noble/ciphers, pure JS): the default, everywhere shared/ runs;
 * - Node's own ChaCha20-Poly1305 (OpenSSL) behind an HChaCha20 subkey, injected by the laptop's
 *   core (electron/sync/node-seal-cipher.ts), about three times faster per event: a catch-up of a
 *   sealed day opens every event once.
 * shared/ stays free of Node: the fast one comes from outside, through these functions' `cipher`.
 */
export interface SealCipher {
  /** For figures and the team-key status: which implementation seals and opens. */
  readonly name: string;
  /** ciphertext ‖ tag. */
  seal(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when key, nonce, associated data or bytes do not fit (never throws on bad bytes). */
  open(key: Uint8Array, nonce: Uint8Array, associatedData: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /**
   * Optional: `seal` on the forms an event is sealed from and leaves as: UTF-8 texts in, the
   * box (ciphertext ‖ tag) out in base64url. Same bytes as `seal`; an implementation that has it
   * saves the encodings and copies around the cipher (a sealed append seals every event).
   */
  sealText?(key: Uint8Array, nonce: Uint8Array, associatedData: string, plaintext: string): string;
  /**
   * Optional: `open` on the forms a sealed event arrives in (nonce and box in base64url, the
   * alphabet already checked with the envelope), the plaintext as UTF-8 text, or null as `open`.
   * A catch-up opens every event it pulls.
   */
  openText?(key: Uint8Array, nonce: string, associatedData: string, box: string): string | null;
}

export const SEAL_KEY_BYTES = 32;
export const SEAL_NONCE_BYTES = 24;
export const SEAL_TAG_BYTES = 16;

export const nobleSealCipher: SealCipher = {
  name: '@noble/ciphers xchacha20poly1305',
  seal: (key, nonce, associatedData, plaintext) => xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext),
  open(key, nonce, associatedData, sealed) {
    try {
      return xchacha20poly1305(key, nonce, associatedData).decrypt(sealed);
    } catch {
      return null;
    }
  },
};

/** "expand 32-byte k", the ChaCha constants, as the four little-endian words HChaCha20 starts from. */
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * XChaCha20 as RFC draft-irtf-cfrg-xchacha defines it: HChaCha20(key, nonce[0..16]) gives a subkey,
 * and ChaCha20-Poly1305 (RFC 8439, 12-byte nonce) runs under it with 4 zero bytes ‖ nonce[16..24].
 * What an implementation of plain ChaCha20-Poly1305 needs to read and write the sealed format;
 * HChaCha20 is @noble/ciphers' own (no hand-written cryptography).
 *
 * One deriver per caller, reused for every event: its word buffers are allocated once (allocating
 * them cost five times HChaCha20 itself). `subkey` and `nonce12` are overwritten by the next
 * `derive`: a caller hands them on at once (Node's createCipheriv copies them).
 */
export class XChaChaSubkeys {
  private readonly keyWords = new Uint32Array(8);
  private readonly keyBytes = new Uint8Array(this.keyWords.buffer);
  private readonly nonceWords = new Uint32Array(4);
  private readonly nonceBytes = new Uint8Array(this.nonceWords.buffer);
  private readonly out = new Uint32Array(8);
  readonly subkey = new Uint8Array(this.out.buffer);
  readonly nonce12 = new Uint8Array(12);

  derive(key: Uint8Array, nonce: Uint8Array): void {
    if (key.length !== SEAL_KEY_BYTES) throw new Error(`a seal key is ${SEAL_KEY_BYTES} bytes`);
    if (nonce.length !== SEAL_NONCE_BYTES) throw new Error(`a seal nonce is ${SEAL_NONCE_BYTES} bytes`);
    // Word views of the bytes; @noble/ciphers' own xchacha20poly1305 refuses big-endian hosts too.
    if (!littleEndian) throw new Error('XChaCha20 subkeys are derived on little-endian hosts only');
    this.keyBytes.set(key);
    this.nonceBytes.set(nonce.subarray(0, 16));
    hchacha(SIGMA, this.keyWords, this.nonceWords, this.out);
    // nonce12[0..4] stays zero.
    this.nonce12.set(nonce.subarray(16, 24), 4);
  }
}
