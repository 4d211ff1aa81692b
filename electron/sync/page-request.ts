import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { decodeUtf8 } from './read-body.js';

/**
 * A pull page read the way the pull worker needs it: the body as it came off the socket, then
 * decompressed in one call. fetch decodes brotli through a zlib stream on the thread pool, 16 KiB
 * at a time, each handed on through a web stream: a sealed team's page (1.5 MB of brotli holding
 * 2.9 MB of JSON, mostly ciphertext) cost 25 ms of wall time and 36 ms of CPU that way, and 7 ms in
 * one call here (4 of them decompressing); a clear page 7 ms against 1. The pull worker is a
 * thread of its own, so a call that holds it for those milliseconds holds up nothing else.
 *
 * Bounds as the core's own reader (read-body.ts): more than `maxBytes` on the wire or once
 * decompressed is refused, and so is a body cut off, an encoding other than brotli, gzip or none,
 * or bytes that do not decompress. Refused, the core asks for the page itself and says why in the
 * user's words; except for no answer in time, which it is told as such (`refused: 'timed_out'`): asking a hub
 * that hangs (a half-open VPN, a captive portal) a second time only made the commander wait twice
 * as long to read that the hub did not answer.
 */
export interface PageRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
}

/** Connections kept open between pages, as fetch keeps them: a catch-up asks for one page after another. */
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** The page's text, or why not: no answer in time, or anything else (refused). */
export type PageAnswer = { text: string } | { refused: 'timed_out' | 'invalid' };

export function requestPage({ url, headers, timeoutMs, maxBytes }: PageRequest): Promise<PageAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const deadline = AbortSignal.timeout(timeoutMs);
    const settle = (text: string | null) => {
      if (settled) return;
      settled = true;
      // Whatever ended it once the time was up (no answer, or an answer stalled midway) is no answer in time.
      resolve(text !== null ? { text } : { refused: deadline.aborted ? 'timed_out' : 'invalid' });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return settle(null);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return settle(null);
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(target, { headers, agent: agents[target.protocol], signal: deadline }, (response) => {
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers['content-length']);
      if (status < 200 || status > 299 || (Number.isFinite(declared) && declared > maxBytes)) {
        response.destroy();
        return settle(null);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy();
          settle(null);
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => settle(response.complete ? decoded(Buffer.concat(chunks, size), response.headers['content-encoding'], maxBytes) : null));
      response.on('error', () => settle(null));
      response.on('close', () => settle(null));
    });
    request.on('error', () => settle(null));
    request.end();
  });
}

/** The body's text, or null for an encoding this reader does not take or bytes that do not decompress within the bound. */
function decoded(body: Buffer, encoding: string | undefined, maxBytes: number): string | null {
  const name = (encoding ?? '').trim().toLowerCase();
  try {
    if (name === '' || name === 'identity') return decodeUtf8(body);
    if (name === 'br') return decodeUtf8(zlib.brotliDecompressSync(body, { maxOutputLength: maxBytes }));
    if (name === 'gzip' || name === 'x-gzip') return decodeUtf8(zlib.gunzipSync(body, { maxOutputLength: maxBytes }));
    return null;
  } catch {
    // Past the bound (RangeError) or not brotli or gzip at all.
    return null;
  }
}
