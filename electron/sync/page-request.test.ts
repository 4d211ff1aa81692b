import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requestPage } from './page-request.js';

/**
 * The pull worker's reader (page-request.ts) against a real server on loopback: a page comes back
 * as the text the hub serialised, however it was encoded, and anything the core's own reader
 * would refuse (read-body.ts: too large, cut off) is refused here too, so the core asks for it.
 */
const page = JSON.stringify({ events: [{ text: 'Chloé: bascule vers DC2 📟' }, { text: 'x'.repeat(20_000) }], cursor: 2, more: false });
const bytes = Buffer.from(page);
const MAX = 64 * 1024;

type Answer = (request: http.IncomingMessage, response: http.ServerResponse) => void;
const answers: Record<string, Answer> = {
  '/br': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(bytes)),
  '/gzip': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(bytes)),
  '/plain': (_q, r) => r.writeHead(200).end(bytes),
  '/chunked': (_q, r) => {
    r.writeHead(200, { 'content-encoding': 'br' });
    const body = zlib.brotliCompressSync(bytes);
    r.write(body.subarray(0, 10));
    setTimeout(() => r.end(body.subarray(10)), 20);
  },
  '/headers': (q, r) => r.writeHead(200).end(JSON.stringify({ authorization: q.headers.authorization, encoding: q.headers['accept-encoding'] })),
  '/status': (_q, r) => r.writeHead(503).end(page),
  // Small on the wire, past the bound once decompressed.
  '/bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(Buffer.alloc(MAX + 1, 0x20))),
  '/large': (_q, r) => r.writeHead(200).end(Buffer.alloc(MAX + 1, 0x20)),
  // Said to be large before a byte of it is sent.
  '/declared': (_q, r) => r.writeHead(200, { 'content-length': String(MAX + 1) }).end(),
  '/cut': (_q, r) => {
    r.writeHead(200, { 'content-length': String(bytes.length) });
    r.write(bytes.subarray(0, 100));
    setTimeout(() => r.destroy(), 20);
  },
  '/deflate': (_q, r) => r.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(bytes)),
  '/garbled': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(Buffer.from('not brotli at all')),
  '/slow': () => undefined,
  // Headers and the start of the page, then nothing more.
  '/stalls': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).write(page.slice(0, 100)),
};

let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((request, response) => answers[request.url ?? '']!(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answer = (path: string, timeoutMs = 5000) =>
  requestPage({ url: base + path, headers: { authorization: 'Bearer t0ken', 'accept-encoding': 'br, gzip' }, timeoutMs, maxBytes: MAX });
/** The page's text, or null when refused. */
const get = async (path: string, timeoutMs = 5000) => {
  const got = await answer(path, timeoutMs);
  return 'text' in got ? got.text : null;
};

describe('a pull page read by the pull worker', () => {
  test('brotli, gzip, none, or in pieces: the text the hub serialised, accents and emoji included', async () => {
    for (const path of ['/br', '/gzip', '/plain', '/chunked']) expect(await get(path)).toBe(page);
    expect(JSON.parse((await get('/headers'))!)).toEqual({ authorization: 'Bearer t0ken', encoding: 'br, gzip' });
  });

  test('refused, so the core asks for the page itself: an error status, too large on the wire or once decompressed, cut off, an encoding it does not take, bytes that do not decompress; no answer in time (none, or one stalled midway) told apart', async () => {
    for (const path of ['/status', '/bomb', '/large', '/declared', '/cut', '/deflate', '/garbled'])
      expect(await answer(path), path).toEqual({ refused: 'invalid' });
    // No answer in time is told apart: the core does not ask a hub that hangs again.
    expect(await answer('/slow', 200)).toEqual({ refused: 'timed_out' });
    expect(await answer('/stalls', 300)).toEqual({ refused: 'timed_out' });
    expect(await requestPage({ url: 'ftp://127.0.0.1/x', headers: {}, timeoutMs: 1000, maxBytes: MAX })).toEqual({ refused: 'invalid' });
    // The connection kept between pages still serves the next one.
    expect(await get('/br')).toBe(page);
  });
});
