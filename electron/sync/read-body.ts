import { isAscii } from 'node:buffer';

/** A response body as text, or why it was refused: larger than the limit, or cut off while read. */
export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'cut_off' };

/**
 * Read a response body, refusing (and cancelling) one larger than `limit` bytes, whether it says
 * so in its Content-Length or only once read. The sync engine and the pull worker read pages
 * through this one reader, so both hold the same bound.
 */
export async function readBody(response: Response, limit: number): Promise<BodyRead> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return { ok: false, reason: 'too_large' };
  }
  if (!response.body) return { ok: true, text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'cut_off' };
  }
  return { ok: true, text: decodeUtf8(Buffer.concat(chunks, size)) };
}

/**
 * UTF-8 to text. A pull page is ASCII but for the words people typed in other scripts or with
 * accents, and ASCII bytes read as Latin-1 are the same text: read that way, a 5,000-event page
 * (1.9 MB) took 1-6 ms here, against 20-50 ms through the UTF-8 decoder. Anything else goes
 * through the decoder as before.
 */
export function decodeUtf8(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
