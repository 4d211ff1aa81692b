import { parentPort } from 'node:worker_threads';
import { parseUntrustedJson } from '../../shared/record/untrusted.js';
import { HUB_LIMITS, PullResponseSchema } from '../../shared/sync/hub-protocol.js';
import { admitPulled } from '../../shared/sync/sealing.js';
import { SEAL_CIPHER, SEAL_CIPHER_KIND } from './node-seal-cipher.js';
import { requestPage } from './page-request.js';
import type { PullWorkerReply, PullWorkerRequest } from './pull-worker-protocol.js';

/**
 * The pull worker (issues #14 and #11): a thread that pulls a page from the hub and reads it
 * (decompress, parse, open every sealed event, the checks on arrival) while the core's thread
 * writes the page before it. On the core's thread, opening a sealed page took 65–100 ms per 5,000
 * events, and reading a clear one 12–15 ms of the 60 a page cost: on the path of every catch-up.
 * What it hands back is what the core's own admitPulled would have made, as one JSON text.
 *
 * It only ever answers a page it read in full and found in shape; anything else (the hub
 * unreachable, an error status, a page too large or out of shape) is answered `ok: false` and the
 * core asks for that page itself, through its own request, which says why in the user's words.
 */
const port = parentPort;
if (!port) throw new Error('the pull worker must run as a worker thread');

/** The core's own bound (electron/sync/sync.ts MAX_RESPONSE_BYTES): a page bigger than this is answered by the core. */
const MAX_RESPONSE_BYTES = HUB_LIMITS.maxPageBytes + 64 * 1024;

const pageUrl = (hubUrl: string, after: number, limit: number) => `${hubUrl}/v1/events?after=${after}&limit=${limit}`;

/** A page's text as the hub sent it, or null for anything else (the core then asks for it itself). */
function pageText(url: string, request: PullWorkerRequest): Promise<string | null> {
  return requestPage({
    url,
    headers: { authorization: request.authorization, accept: 'application/json', 'accept-encoding': 'br, gzip' },
    timeoutMs: request.timeoutMs,
    maxBytes: MAX_RESPONSE_BYTES,
  });
}

/**
 * The next page, asked for as soon as a page says there is more: the hub reads it while this
 * thread opens the page before and the core writes the one before that. Used only when the core
 * asks for that very page with the same token; opened then, with the core's clock and keyring.
 */
let ahead: { url: string; authorization: string; text: Promise<string | null> } | null = null;

async function pull(request: PullWorkerRequest): Promise<PullWorkerReply> {
  const refused: PullWorkerReply = { type: 'page', id: request.id, ok: false };
  try {
    const url = pageUrl(request.hubUrl, request.after, request.limit);
    const asked = ahead !== null && ahead.url === url && ahead.authorization === request.authorization ? ahead.text : pageText(url, request);
    ahead = null;
    const text = await asked;
    if (text === null) return refused;
    const page = PullResponseSchema.safeParse(parseUntrustedJson(text));
    if (!page.success || page.data.cursor < request.after) return refused;
    if (page.data.more) {
      const next = pageUrl(request.hubUrl, page.data.cursor, request.nextLimit);
      ahead = { url: next, authorization: request.authorization, text: pageText(next, request) };
    }
    // The same untrusted-input path as the core's (SyncEngine.fetchPage): sealed events opened, one that does not open kept with why.
    const admitted = admitPulled(page.data.events, request.ring, { now: request.now, cipher: SEAL_CIPHER });
    const lastRaw = page.data.events.at(-1) as { id?: unknown } | undefined;
    return {
      type: 'page',
      id: request.id,
      ok: true,
      cursor: page.data.cursor,
      more: page.data.more,
      epoch: page.data.epoch,
      cursorId: page.data.cursorId,
      lastId: typeof lastRaw?.id === 'string' ? lastRaw.id : (admitted.events.at(-1)?.id ?? null),
      events: JSON.stringify(admitted.events),
      payloads: admitted.events.map((event) => JSON.stringify(event.payload)),
      quarantine: [...admitted.quarantine],
    };
  } catch {
    return refused;
  }
}

port.on('message', (request: PullWorkerRequest) => {
  void pull(request).then((reply) => port.postMessage(reply));
});
// Which implementation opens the pages (libsodium, unless its addon did not load from where this bundle runs).
port.postMessage({ type: 'ready', cipher: SEAL_CIPHER_KIND } satisfies PullWorkerReply);
