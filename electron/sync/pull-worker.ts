import { parentPort } from 'node:worker_threads';
import { parseUntrustedJson } from '../../shared/record/untrusted.js';
import { HUB_LIMITS, PullResponseSchema } from '../../shared/sync/hub-protocol.js';
import { admitPulled } from '../../shared/sync/sealing.js';
import { SEAL_CIPHER, SEAL_CIPHER_KIND } from './node-seal-cipher.js';
import { requestPage, type PageAnswer } from './page-request.js';
import { roomAuthorization } from './room-auth.js';
import type { PullWorkerReply, PullWorkerRequest } from './pull-worker-protocol.js';

/**
 * The pull worker (issues #14 and #11): a thread that pulls a page from the hub (or a room peer)
 * and reads it (decompress, parse, open every sealed event, the checks on arrival) while the
 * core's thread writes the page before it. On the core's thread, opening a sealed page took
 * 65–100 ms per 5,000 events, and reading a clear one 12–15 ms of the 60 a page cost: on the path
 * of every catch-up.
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

const pagePath = (after: number, limit: number) => `/v1/events?after=${after}&limit=${limit}`;

/** Who the pages are asked of, and with what: ahead-of-time pages are only used for the same. */
const askerOf = (request: PullWorkerRequest) => `${request.hubUrl} ${'bearer' in request.auth ? request.auth.bearer : 'room'}`;

/** A page's text as the hub (or the room peer) sent it, or why not (the core then asks for it itself, unless it timed out). */
function pageText(pathAndQuery: string, request: PullWorkerRequest, now: () => number): Promise<PageAnswer> {
  let authorization: string;
  if ('bearer' in request.auth) authorization = request.auth.bearer;
  else if (request.ring) {
    // Signed when asked (a page asked ahead of time too), on the core's clock, as the core signs its own requests.
    authorization = roomAuthorization(request.ring, 'GET', pathAndQuery, '', now());
  } else return Promise.resolve({ refused: 'invalid' });
  return requestPage({
    url: `${request.hubUrl}${pathAndQuery}`,
    headers: { authorization, accept: 'application/json', 'accept-encoding': 'br, gzip' },
    timeoutMs: request.timeoutMs,
    maxBytes: MAX_RESPONSE_BYTES,
  });
}

/**
 * The next page, asked for as soon as a page says there is more: the hub reads it while this
 * thread opens the page before and the core writes the one before that. Used only when the core
 * asks for that very page of the same hub with the same token (or of the same room peer); opened
 * then, with the core's clock and keyring.
 */
let ahead: { asker: string; path: string; text: Promise<PageAnswer> } | null = null;

async function pull(request: PullWorkerRequest): Promise<PullWorkerReply> {
  const refused: PullWorkerReply = { type: 'page', id: request.id, ok: false };
  try {
    // The core's clock (a test's, or one the user set) as it moves on here.
    const offset = request.now - Date.now();
    const now = () => Date.now() + offset;
    const path = pagePath(request.after, request.limit);
    const asker = askerOf(request);
    const asked = ahead !== null && ahead.asker === asker && ahead.path === path ? ahead.text : pageText(path, request, now);
    ahead = null;
    const answer = await asked;
    // No answer in time: said so, and the core does not wait as long again for the same page.
    if ('refused' in answer) return answer.refused === 'timed_out' ? { ...refused, timedOut: true } : refused;
    const { text } = answer;
    const page = PullResponseSchema.safeParse(parseUntrustedJson(text));
    if (!page.success || page.data.cursor < request.after) return refused;
    if (page.data.more) {
      const next = pagePath(page.data.cursor, request.nextLimit);
      ahead = { asker, path: next, text: pageText(next, request, now) };
    }
    // The same untrusted-input path as the core's (SyncEngine.fetchPage): sealed events opened, one that does not open kept with why.
    const admitted = admitPulled(page.data.events, request.ring, { now: request.now, cipher: SEAL_CIPHER, keepArrived: request.keepArrived === true });
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
      ...(admitted.arrived ? { arrived: admitted.arrived } : {}),
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
