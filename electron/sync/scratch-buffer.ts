/**
 * A scratch buffer large enough for `bytes`: the same one while it is, a new one twice as large
 * (at least) when it is not. The ciphers' text forms write each event's bytes into scratch rather
 * than into a new Buffer per event (a catch-up opens thousands a second).
 */
export const grown = (buffer: Buffer, bytes: number): Buffer => (buffer.length >= bytes ? buffer : Buffer.allocUnsafeSlow(Math.max(bytes, buffer.length * 2)));
