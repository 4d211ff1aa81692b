import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

import { parseUntrustedJson } from '../../shared/record/untrusted.js';
import { HUB_LIMITS, PullResponseSchema, PushResponseSchema } from '../../shared/sync/hub-protocol.js';
import { admitPulled, sealedForOutbox } from '../../shared/sync/sealing.js';
import { SEAL_CIPHER } from './node-seal-cipher.js';
import { pullOffThread, pullWorker, type WorkerPage } from './pull-worker-client.js';
import { readBody } from './read-body.js';
import { currentKey, fingerprintOf, fromBase64Url, type TeamKeyring } from '../../shared/sync/team-key.js';
import { authorised, roomAuthorization } from './room-auth.js';
import type { RoomProblem } from '../../shared/sync/room-channels.js';
import type { WarroomCore } from '../core/core.js';
import type { Store } from '../store/store.js';

/**
 * Room sync (issue #14): with the hub unreachable, laptops in the same room sync with each other
 * over the same pull/push protocol as the hub's (shared/sync/hub-protocol.ts), sealed with the
 * team key. A console serves it only when asked, on the interface and port the user picks; a peer
 * is added by its peer code (address, port, team key fingerprint).
 *
 * Every request is authenticated with a key derived from the team key (room-auth.ts); the events
 * themselves travel sealed, so confidentiality and integrity come from the AEAD as through the hub.
 * What a peer hands over goes into this console's outbox too, as the peer sealed it, so it reaches
 * the hub once the hub is back (event ids stay the idempotency key: nothing is duplicated).
 */
const ROOM_EPOCH_KEY = 'room.epoch';
/** The most of a peer's answer read: a page at the hub's bound and its envelope, as the sync engine reads the hub's. */
const MAX_ANSWER_BYTES = HUB_LIMITS.maxPageBytes + 64 * 1024;
/** How long a peer has to answer a request (RoomPeer's own, unless told otherwise). */
const REQUEST_TIMEOUT_MS = 20_000;

/** A failure of room sync with its stable problem code (shared/sync/room-channels.ts), said in EN/FR by the settings. */
export class RoomError extends Error {
  constructor(
    readonly problem: RoomProblem,
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

export interface PeerCode {
  host: string;
  port: number;
  fingerprint: string;
}

const PeerCodeSchema = z.strictObject({
  h: z.string().min(1).max(255),
  p: z.number().int().min(1).max(65535),
  f: z.string().regex(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/),
});

export function encodePeerCode(code: PeerCode): string {
  return `wrp1.${Buffer.from(JSON.stringify({ h: code.host, p: code.port, f: code.fingerprint })).toString('base64url')}`;
}

export function decodePeerCode(text: string): PeerCode | null {
  const match = /^wrp1\.([A-Za-z0-9_-]{1,400})$/.exec(text.trim());
  if (!match) return null;
  try {
    const parsed = PeerCodeSchema.safeParse(JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')));
    return parsed.success ? { host: parsed.data.h, port: parsed.data.p, fingerprint: parsed.data.f } : null;
  } catch {
    return null;
  }
}

/**
 * What leaves for a peer for one event of the log, as JSON: while the event waits for the hub, the
 * sealed bytes its outbox row keeps (sealed at append, issue #14: the same bytes the hub is pushed,
 * nothing sealed again), if sealed with the key sealing now or relayed as it came; otherwise
 * (acknowledged by the hub, or sealed with a key since rotated) sealed now, as the hub push would.
 */
function wireForPeer(row: ReturnType<Store['logAfterWithSealed']>[number], ring: TeamKeyring): string {
  const { sealed } = row;
  if (sealed && (sealed.keyId === '' || sealed.keyId === currentKey(ring).id)) return sealed.wire;
  return sealedForOutbox(row.event, ring, SEAL_CIPHER, row.payloadJson).wire;
}

/** A JSON array of events already serialised (wireForPeer). */
const eventsJson = (wires: string[]) => `[${wires.join(',')}]`;

export interface RoomServerOptions {
  core: WarroomCore;
  store: Store;
  keyring: () => TeamKeyring | null;
  now?: () => number;
}

/** An answer's JSON, written already. */
class JsonText {
  constructor(readonly text: string) {}
}

/** The peer endpoint: GET and POST /v1/events as the hub speaks them, for holders of the team key only. */
export class RoomServer {
  private server: http.Server | null = null;
  private readonly now: () => number;

  constructor(private readonly options: RoomServerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Off until called; `host` is the interface the user picked (127.0.0.1 in the tests). */
  async listen(host: string, port: number): Promise<PeerCode> {
    await this.close();
    const ring = this.options.keyring();
    if (!ring) throw new Error('Room sync needs a team key: every request is authenticated with it.');
    const server = http.createServer((request, response) => void this.answer(request, response));
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    return { host, port: address.port, fingerprint: fingerprintOf(fromBase64Url(currentKey(ring).key)) };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A peer's request under way is cut rather than waited for: it asks again (ids make it idempotent).
    server.closeAllConnections();
    await closed;
  }

  /** `body`: an answer, or its JSON already written (a pull page of events already serialised). */
  private send(response: http.ServerResponse, status: number, body: unknown): void {
    const text = body instanceof JsonText ? body.text : JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  private error(response: http.ServerResponse, status: number, code: string, message: string): void {
    this.send(response, status, { error: { code, message } });
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    // A browser page on another origin must never reach this (a console in a browser sends an Origin).
    if (request.headers.origin !== undefined) return this.error(response, 403, 'forbidden', 'Cross-origin requests are refused');
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > HUB_LIMITS.maxBodyBytes) return this.error(response, 413, 'payload_too_large', `Request body exceeds ${HUB_LIMITS.maxBodyBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > HUB_LIMITS.maxBodyBytes) return this.error(response, 413, 'payload_too_large', `Request body exceeds ${HUB_LIMITS.maxBodyBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const ring = this.options.keyring();
    if (!authorised(ring, request.headers.authorization, request.method ?? '', url, body, this.now())) {
      return this.error(response, 401, 'unauthorized', 'Every request to a room peer is authenticated with the team key');
    }
    try {
      const parsed = new URL(url, 'http://peer');
      if (request.method === 'GET' && parsed.pathname === '/v1/events') return this.send(response, 200, this.pull(parsed, ring!));
      if (request.method === 'POST' && parsed.pathname === '/v1/events') return this.send(response, 200, this.push(body, ring!));
      return this.error(response, 404, 'not_found', 'A room peer serves GET and POST /v1/events only');
    } catch (error) {
      return this.error(response, 400, 'invalid_request', error instanceof Error ? error.message : String(error));
    }
  }

  private epoch(): string {
    const { store } = this.options;
    return store.getMeta(ROOM_EPOCH_KEY) ?? (store.setMeta(ROOM_EPOCH_KEY, randomBytes(16).toString('hex')), store.getMeta(ROOM_EPOCH_KEY)!);
  }

  private pull(url: URL, ring: TeamKeyring) {
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? HUB_LIMITS.defaultPage) || 1), HUB_LIMITS.maxPage);
    if (!Number.isSafeInteger(after) || after < 0) throw new Error('query.after: must be a non-negative integer');
    const rows = this.options.store.logAfterWithSealed(after, limit + 1);
    const page = rows.slice(0, limit);
    // The page as JSON.stringify would write it, its events as they are sealed (wireForPeer).
    const rest = JSON.stringify({
      cursor: page.at(-1)?.seq ?? after,
      more: rows.length > limit,
      epoch: this.epoch(),
      cursorId: after === 0 ? null : (this.options.store.idAtSeq(after) ?? null),
    });
    return new JsonText(`{"events":${eventsJson(page.map((row) => wireForPeer(row, ring)))},${rest.slice(1)}`);
  }

  private push(body: string, ring: TeamKeyring) {
    const parsed = z.strictObject({ events: z.array(z.unknown()).max(HUB_LIMITS.maxBatch) }).parse(parseUntrustedJson(body));
    const batch = admitPulled(parsed.events, ring, { now: this.now(), cipher: SEAL_CIPHER, keepArrived: true });
    if (batch.refused.length) throw new Error(batch.refused.map((r) => `body.events.${r.index}: ${r.reason}`).join('; '));
    // Into the outbox too: what a peer wrote reaches the hub from here once the hub is back, as the peer sealed it.
    const { inserted } = this.options.core.ingest(batch, { outbox: true, ...(batch.arrived ? { sealedAsArrived: batch.arrived } : {}) });
    return { accepted: inserted.length, duplicates: batch.events.length - inserted.length, cursor: this.options.store.lastSeq() };
  }
}

/** A peer's page, admitted: read by the pull worker (with each payload's JSON) or on the core's thread. */
type RoomPage = Pick<WorkerPage, 'events' | 'quarantine' | 'arrived' | 'cursor' | 'more' | 'epoch'> & { payloadJson?: string[] };

/** Whether this keyring holds the key a peer code names (the current one or an older one kept). */
export function holdsFingerprint(ring: TeamKeyring, fingerprint: string): boolean {
  return ring.keys.some((k) => fingerprintOf(fromBase64Url(k.key)) === fingerprint);
}

/**
 * One peer, as a client: push everything of this log the peer may lack (after a 'pushed up to'
 * marker kept per peer), then pull everything after the peer's cursor. Events pulled go into the
 * outbox, for the hub.
 */
export class RoomPeer {
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  /** Whether pull pages are read (and opened) by the pull worker: Node's own network, as the worker has it; a test's own fetch keeps every page here. */
  private readonly offThread: boolean;
  /** Events asked for per pull page: the protocol's most, fewer in the tests (to make many pages of a few events). */
  private readonly pageSize: number;
  /** How long the peer has to answer a request. */
  private readonly timeoutMs: number;

  constructor(
    private readonly core: WarroomCore,
    private readonly store: Store,
    private readonly keyring: () => TeamKeyring | null,
    readonly code: PeerCode,
    options: { now?: () => number; fetch?: typeof fetch; pageSize?: number; timeoutMs?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? fetch;
    this.offThread = options.fetch === undefined;
    this.pageSize = options.pageSize ?? HUB_LIMITS.maxPage;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    // Started now, so it is ready by the first pull (a start from source takes a second under load).
    if (this.offThread) pullWorker();
  }

  private get base(): string {
    const host = this.code.host.includes(':') ? `[${this.code.host}]` : this.code.host;
    return `http://${host}:${this.code.port}`;
  }

  private metaKey(what: string): string {
    return `room.peer.${this.code.host}:${this.code.port}.${what}`;
  }

  private ring(): TeamKeyring {
    const ring = this.keyring();
    if (!ring) throw new RoomError('room_needs_team_key', 'Room sync needs a team key.');
    if (!holdsFingerprint(ring, this.code.fingerprint)) {
      throw new RoomError('room_peer_other_key', 'This peer holds another team key (its fingerprint differs): nothing was sent.');
    }
    return ring;
  }

  private async request(method: 'GET' | 'POST', pathAndQuery: string, body = ''): Promise<unknown> {
    const ring = this.ring();
    const response = await this.fetch(`${this.base}${pathAndQuery}`, {
      method,
      headers: {
        authorization: roomAuthorization(ring, method, pathAndQuery, body, this.now()),
        accept: 'application/json',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: unknown) => {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      throw new RoomError('room_peer_unreachable', `The peer at ${this.code.host}:${this.code.port} could not be reached (${cause}).`);
    });
    // Read within the bound, as the hub's pages are (read-body.ts): an answer that goes on past it is cut off there, not held whole first.
    const read = await readBody(response, MAX_ANSWER_BYTES);
    if (!read.ok) {
      if (read.reason === 'too_large') throw new RoomError('room_peer_answer_invalid', 'The peer sent an answer too large to read.');
      throw new RoomError('room_peer_unreachable', `The peer at ${this.code.host}:${this.code.port} stopped answering mid-answer.`);
    }
    const text = read.text;
    let json: unknown;
    try {
      json = parseUntrustedJson(text);
    } catch {
      throw new RoomError('room_peer_answer_invalid', `The peer answered HTTP ${response.status} with something that is not JSON.`);
    }
    if (!response.ok) throw new RoomError('room_peer_refused', `The peer refused the request (HTTP ${response.status}): ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  }

  /**
   * The peer's page after `cursor`, admitted (sealed events opened, the checks on arrival). Read
   * and opened by the pull worker, as the hub's pages are (issue #11: the core's thread only
   * writes; opening a sealed page of 5,000 events took it ~30 ms, while the commander types), with
   * the next page asked for while this one is written; a page the worker does not answer (not
   * started yet, or anything but a page in shape) is asked for here, which says why.
   */
  private async pullPage(cursor: number): Promise<RoomPage> {
    const pathAndQuery = `/v1/events?after=${cursor}&limit=${this.pageSize}`;
    if (this.offThread) {
      const page = await pullOffThread({
        hubUrl: this.base,
        limit: this.pageSize,
        nextLimit: this.pageSize,
        auth: { room: true },
        timeoutMs: this.timeoutMs,
        after: cursor,
        now: this.now(),
        ring: this.ring(),
        keepArrived: true,
      });
      // A peer that did not answer in time is not asked again (twice the wait before the commander reads it).
      if (page === 'timed_out') throw new RoomError('room_peer_unreachable', `The peer at ${this.code.host}:${this.code.port} did not answer in time.`);
      if (page) return page;
    }
    const page = PullResponseSchema.safeParse(await this.request('GET', pathAndQuery));
    if (!page.success) throw new RoomError('room_peer_answer_invalid', 'The peer sent a pull page of the wrong shape; nothing was applied.');
    const batch = admitPulled(page.data.events, this.keyring(), { now: this.now(), cipher: SEAL_CIPHER, keepArrived: true });
    return { ...batch, cursor: page.data.cursor, more: page.data.more, epoch: page.data.epoch };
  }

  /** One exchange with this peer; resolves with what moved. */
  async syncOnce(): Promise<{ pushed: number; pulled: number }> {
    const ring = this.ring();
    let pushed = 0;
    for (;;) {
      const from = Number(this.store.getMeta(this.metaKey('pushed')) ?? '0');
      const rows = this.store.logAfterWithSealed(from, HUB_LIMITS.maxBatch);
      if (rows.length === 0) break;
      const answer = PushResponseSchema.safeParse(
        await this.request('POST', '/v1/events', `{"events":${eventsJson(rows.map((row) => wireForPeer(row, ring)))}}`),
      );
      if (!answer.success) throw new RoomError('room_peer_answer_invalid', 'The peer answered a push with something that is not a push receipt.');
      this.store.setMeta(this.metaKey('pushed'), String(rows.at(-1)!.seq));
      pushed += rows.length;
    }
    let pulled = 0;
    for (;;) {
      const cursor = Number(this.store.getMeta(this.metaKey('cursor')) ?? '0');
      const page = await this.pullPage(cursor);
      const known = this.store.getMeta(this.metaKey('epoch'));
      if (known !== null && known !== page.epoch) {
        // Another log behind the same address (a new store): start over with it, idempotent by id.
        this.store.setMeta(this.metaKey('cursor'), '0');
        this.store.setMeta(this.metaKey('pushed'), '0');
        this.store.setMeta(this.metaKey('epoch'), page.epoch);
        return this.syncOnce();
      }
      this.store.setMeta(this.metaKey('epoch'), page.epoch);
      const { inserted } = this.core.ingest(page, {
        outbox: true,
        ...(page.payloadJson ? { payloadJson: page.payloadJson } : {}),
        ...(page.arrived ? { sealedAsArrived: page.arrived } : {}),
      });
      pulled += inserted.length;
      this.store.setMeta(this.metaKey('cursor'), String(page.cursor));
      if (!page.more) break;
    }
    return { pushed, pulled };
  }
}
