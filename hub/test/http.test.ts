import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { EventEnvelope } from '../../shared/record/events.js';
import { HUB_LIMITS, HubErrorSchema, PullResponseSchema, PushResponseSchema } from '../../shared/sync/hub-protocol.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';
import type { HubStorage } from '../storage.js';
import { PostgresHubStorage } from '../storage-postgres.js';
import { SqliteHubStorage } from '../storage-sqlite.js';
import { issueToken } from '../tokens.js';
import { futureEvent, hubCli, noteEvent, startHub, type HubProcess, type StorageArgs } from './support.js';

let dir = '';
let postgres: TestPostgres | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-hub-http-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * How each backend is reached: the hub process gets `--db` or DATABASE_URL; the test opens the
 * same database in process to hand out and revoke tokens, as `npm run hub -- token …` would
 * (that command has its own test below). PostgreSQL starts inside its own suite, so a machine
 * without it fails those tests and still runs the SQLite ones.
 */
interface Backend {
  name: string;
  setup(): Promise<void>;
  storage(): StorageArgs;
  open(): HubStorage;
  teardown(): Promise<void>;
}
const backends: Backend[] = [
  {
    name: 'SQLite',
    setup: async () => undefined,
    storage: () => ({ args: ['--db', join(dir, 'hub.sqlite')], env: {} }),
    open: () => new SqliteHubStorage(join(dir, 'hub.sqlite')),
    teardown: async () => undefined,
  },
  {
    name: 'PostgreSQL',
    setup: async () => {
      postgres = await startTestPostgres();
    },
    storage: () => ({ args: [], env: { DATABASE_URL: postgres!.url } }),
    open: () => new PostgresHubStorage(postgres!.url),
    teardown: async () => {
      await postgres?.stop();
    },
  },
];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Left null: the assertions on `json` then say the body was not JSON.
  }
  return { status: response.status, headers: response.headers, text, json };
}

const errorCode = (answer: Answer) => HubErrorSchema.parse(answer.json).error.code;

describe.each(backends)('hub over HTTP, storage $name', ({ setup, storage, open, teardown }) => {
  let hub: HubProcess;
  let admin: HubStorage;
  let alpha = '';
  let bravo = '';
  const incident = uuidv7();

  const push = (events: unknown[], token = alpha) => call(`${hub.url}/v1/events`, { method: 'POST', token, body: JSON.stringify({ events }) });
  const pull = (after: number, limit = 1000, token = alpha) => call(`${hub.url}/v1/events?after=${after}&limit=${limit}`, { token });

  /** Every event the team holds and the cursor after the last, by paging from the start as a fresh laptop would. */
  async function catchUp(token = alpha): Promise<{ events: EventEnvelope[]; cursor: number }> {
    const events: EventEnvelope[] = [];
    let cursor = 0;
    for (;;) {
      const answer = await pull(cursor, 5000, token);
      expect(answer.status).toBe(200);
      const page = PullResponseSchema.parse(answer.json);
      events.push(...(page.events as EventEnvelope[]));
      cursor = page.cursor;
      if (!page.more) return { events, cursor };
    }
  }
  const everything = async (token = alpha) => (await catchUp(token)).events;

  beforeAll(async () => {
    await setup();
    admin = open();
    await admin.migrate();
    alpha = (await issueToken(admin, 'alpha')).token;
    bravo = (await issueToken(admin, 'bravo')).token;
    hub = await startHub(storage());
  });
  afterAll(async () => {
    await hub?.stop();
    await admin?.close();
    await teardown();
  });

  it('answers health without a token and without data', async () => {
    const answer = await call(`${hub.url}/v1/health`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'ok', api: 'v1' });
  });

  it('round-trips a pushed batch, unknown kinds included, exactly as sent', async () => {
    const before = await catchUp();
    const batch = [noteEvent(incident, 'Checkout errors at 40%'), futureEvent(incident), noteEvent(incident, '  padded text kept  ')];

    const pushed = await push(batch);
    expect(pushed.status).toBe(200);
    const result = PushResponseSchema.parse(pushed.json);
    expect(result).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(result.cursor).toBeGreaterThan(before.cursor);

    const answer = await pull(before.cursor);
    expect(PullResponseSchema.parse(answer.json)).toEqual({
      events: batch,
      cursor: result.cursor,
      more: false,
      epoch: expect.stringMatching(/^[0-9a-f]{32}$/),
      // The id at the cursor asked for: what the laptop last saw there, if this is the history it knows.
      cursorId: before.events.at(-1)?.id ?? null,
    });
    // Verbatim, not merely equal: the newer version's event comes back byte for byte.
    expect(answer.text).toContain(JSON.stringify(batch[1]));
  });

  it('never duplicates a retried batch', async () => {
    const batch = [noteEvent(incident, 'Rolled back deploy 4121'), noteEvent(incident, 'Errors falling')];
    expect((await push(batch)).json).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await push(batch)).json).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((await push([...batch, batch[0]])).json).toMatchObject({ accepted: 0, duplicates: 3 });

    const ids = (await everything()).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === batch[0]!.id)).toHaveLength(1);
  });

  it('pages a long stream with the cursor, in arrival order, each event once', async () => {
    const start = (await catchUp()).cursor;
    const events = Array.from({ length: 2300 }, (_, i) => noteEvent(incident, `entry ${i}`));
    for (let i = 0; i < events.length; i += 1000) expect((await push(events.slice(i, i + 1000))).status).toBe(200);

    const seen: string[] = [];
    const pages: boolean[] = [];
    let cursor = start;
    for (;;) {
      const page = PullResponseSchema.parse((await pull(cursor, 1000)).json);
      expect(page.cursor).toBeGreaterThan(cursor);
      seen.push(...(page.events as EventEnvelope[]).map((e) => e.id));
      pages.push(page.more);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(pages).toEqual([true, true, false]);
    expect(seen).toEqual(events.map((e) => e.id));
  });

  it('compresses a pull page as the client asks (brotli, else gzip, else none), the same JSON once decoded', async () => {
    await push(Array.from({ length: 50 }, (_, i) => noteEvent(incident, `Compressible entry ${i}: BGP session reset on edge router`)));
    /** The raw answer, not decoded: what crossed the wire. */
    const raw = (acceptEncoding: string | null) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { authorization: `Bearer ${alpha}`, ...(acceptEncoding !== null && { 'accept-encoding': acceptEncoding }) };
        http
          .get(`${hub.url}/v1/events?after=0&limit=1000`, { headers }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const plain = await raw(null);
    expect(plain.encoding).toBeUndefined();
    const json = JSON.parse(plain.body.toString('utf8')) as unknown;
    const br = await raw('gzip, br');
    expect(br.encoding).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(br.body).toString('utf8'))).toEqual(json);
    const gzip = await raw('gzip, br;q=0');
    expect(gzip.encoding).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gzip.body).toString('utf8'))).toEqual(json);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect((await raw('identity')).encoding).toBeUndefined();
  });

  it('refuses malformed input with 400 and stores nothing', async () => {
    const before = (await everything()).length;
    const good = noteEvent(incident, 'fine on its own');
    // A prototype name as a key: refused by the consoles' shared limits (shared/record/untrusted.ts).
    const bad = { ...noteEvent(incident, 'x'), payload: JSON.parse('{"entryKind":"note","text":"x","occurredAt":1,"__proto__":{"polluted":true}}') };

    const notJson = await call(`${hub.url}/v1/events`, { method: 'POST', token: alpha, body: '{"events": [' });
    expect(notJson.status).toBe(400);
    expect(errorCode(notJson)).toBe('invalid_request');

    const wrongShape = await call(`${hub.url}/v1/events`, { method: 'POST', token: alpha, body: JSON.stringify({ event: [good] }) });
    expect(wrongShape.status).toBe(400);

    const badEvent = await push([good, bad]);
    expect(badEvent.status).toBe(400);
    const error = HubErrorSchema.parse(badEvent.json).error;
    expect(error.issues).toEqual([{ path: 'body.events.1', message: 'payload.__proto__: "__proto__" is not allowed as a name' }]);

    // 200,000 levels: a clear 400 before anything recursive sees it.
    const deep = await call(`${hub.url}/v1/events`, { method: 'POST', token: alpha, body: `{"events":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}` });
    expect(deep.status).toBe(400);
    expect(HubErrorSchema.parse(deep.json).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/nested more than 32 levels/) });
    const deepEvent = await push([good, { ...noteEvent(incident, 'deep'), payload: { text: JSON.parse('['.repeat(20) + ']'.repeat(20)) } }]);
    expect(HubErrorSchema.parse(deepEvent.json).error.issues).toEqual([
      { path: 'body.events.1', message: expect.stringMatching(/nested more than 16 levels/) },
    ]);

    const badEnvelope = await push([{ ...good, id: 'not-a-uuid', extra: true }]);
    expect(badEnvelope.status).toBe(400);
    expect(HubErrorSchema.parse(badEnvelope.json).error.message).toMatch(/body\.events\.0\.id: must be a UUID/);

    const hugeEvent = await push([good, { ...futureEvent(incident), payload: { blob: 'x'.repeat(HUB_LIMITS.maxEventBytes) } }]);
    expect(hugeEvent.status).toBe(400);
    expect(HubErrorSchema.parse(hugeEvent.json).error.issues).toEqual([{ path: 'body.events.1', message: expect.stringMatching(/at most 262144/) }]);

    const badQuery = await pull(-1);
    expect(badQuery.status).toBe(400);
    expect(HubErrorSchema.parse(badQuery.json).error.issues?.[0]?.path).toBe('query.after');
    expect((await pull(0, 5001)).status).toBe(400);

    const plainText = await call(`${hub.url}/v1/events`, { method: 'POST', token: alpha, body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(plainText.status).toBe(415);
    expect(errorCode(plainText)).toBe('unsupported_media_type');

    expect(await everything()).toHaveLength(before);
  });

  it('relays an event whose payload it cannot fold (a value from a newer version): consoles quarantine it, no outbox stalls', async () => {
    const newer = { ...noteEvent(incident, 'from a newer version'), kind: 'incident.status', payload: { status: 'monitoring', occurredAt: 1 } };
    const pushed = await push([newer]);
    expect(pushed.status).toBe(200);
    expect((await everything()).map((e) => (e as { id: string }).id)).toContain(newer.id);
  });

  it('refuses an oversized body or batch with 413 and stores nothing', async () => {
    const before = (await everything()).length;

    const big = noteEvent(incident, 'x');
    const hugePayload = { ...futureEvent(incident), payload: { blob: 'x'.repeat(4 * 1024 * 1024) } };
    const tooBig = await push([big, hugePayload]);
    expect(tooBig.status).toBe(413);
    expect(errorCode(tooBig)).toBe('payload_too_large');

    const tooMany = await push(Array.from({ length: 1001 }, (_, i) => noteEvent(incident, `n${i}`)));
    expect(tooMany.status).toBe(413);
    expect(errorCode(tooMany)).toBe('batch_too_large');

    expect(await everything()).toHaveLength(before);
  });

  it('answers 401 without a valid token and touches nothing', async () => {
    const before = (await everything()).length;
    const event = [noteEvent(incident, 'should not land')];
    const wrongSecret = alpha.slice(0, -4) + (alpha.endsWith('AAAA') ? 'BBBB' : 'AAAA');

    for (const token of [undefined, 'nonsense', wrongSecret]) {
      const pushed = await call(`${hub.url}/v1/events`, { method: 'POST', token, body: JSON.stringify({ events: event }) });
      expect(pushed.status).toBe(401);
      expect(errorCode(pushed)).toBe('unauthorized');
      expect(pushed.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call(`${hub.url}/v1/events`, { token })).status).toBe(401);
    }
    const basic = await call(`${hub.url}/v1/events`, { headers: { authorization: `Basic ${alpha}` } });
    expect(basic.status).toBe(401);

    expect(await everything()).toHaveLength(before);
  });

  it('keeps teams apart: one team’s token never reads or writes another’s events', async () => {
    const alphaEvents = await everything(alpha);
    expect(alphaEvents.length).toBeGreaterThan(0);
    expect(await everything(bravo)).toEqual([]);

    // Bravo pushing an id alpha already holds stores bravo's own copy and changes nothing for alpha.
    const reused = { ...alphaEvents[0]!, actor: 'Someone Else' };
    expect((await push([reused], bravo)).json).toMatchObject({ accepted: 1, duplicates: 0, cursor: 1 });
    expect(await everything(bravo)).toEqual([reused]);
    expect(await everything(alpha)).toEqual(alphaEvents);
  });

  it('stops accepting a revoked token at once', async () => {
    const extra = await issueToken(admin, 'alpha');
    expect((await pull(0, 1, extra.token)).status).toBe(200);

    expect(await admin.revokeToken(extra.tokenId)).toBe(true);
    expect((await pull(0, 1, extra.token)).status).toBe(401);
    // The team's other token is unaffected.
    expect((await pull(0, 1, alpha)).status).toBe(200);
  });

  it('says when a cursor is beyond anything this hub issued (a reset hub)', async () => {
    const { cursor } = await catchUp();
    expect((await pull(cursor)).status).toBe(200);
    const answer = await pull(cursor + 10);
    expect(answer.status).toBe(409);
    expect(errorCode(answer)).toBe('cursor_ahead');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const answer = await call(`${hub.url}/v2/events`, { token: alpha });
    expect(answer.status).toBe(404);
    expect(errorCode(answer)).toBe('not_found');
  });
});

describe('hub rate limit', () => {
  let hub: HubProcess;
  let alpha = '';
  let bravo = '';

  beforeAll(async () => {
    const file = join(dir, 'rate.sqlite');
    const storage = new SqliteHubStorage(file);
    await storage.migrate();
    alpha = (await issueToken(storage, 'alpha')).token;
    bravo = (await issueToken(storage, 'bravo')).token;
    await storage.close();
    hub = await startHub({ args: ['--db', file], env: {} }, ['--rate-limit', '5']);
  });
  afterAll(() => hub?.stop());

  it('answers 429 with Retry-After past the limit, per token, never on health', async () => {
    const pullWith = (token: string) => call(`${hub.url}/v1/events`, { token });
    for (let i = 0; i < 5; i++) expect((await pullWith(alpha)).status).toBe(200);

    const limited = await pullWith(alpha);
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await pullWith(bravo)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await call(`${hub.url}/v1/health`)).status).toBe(200);
  });

  it('counts failed authentications per address: made-up tokens get 429, and so does a right one from there until the window ends', async () => {
    // Last in this block: it leaves 127.0.0.1 blocked on this hub.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await call(`${hub.url}/v1/events`, { token: `wrh_${i.toString(16).padStart(12, '0')}_guess` })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    const blocked = await call(`${hub.url}/v1/events`, { token: bravo });
    expect(blocked.status).toBe(429);
    expect(errorCode(blocked)).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('hub token command', () => {
  const args = () => ['--db', join(dir, 'cli.sqlite')];

  it('prints a new token alone on stdout, lists and revokes it, and rejects bad input', async () => {
    const created = await hubCli(['token', 'create', 'night-shift', ...args()]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^wrh_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);
    const tokenId = created.stdout.slice(4, 16);
    expect(created.stderr).toContain(tokenId);

    const [listed, revoked, badTeam, unknownId, badPort] = await Promise.all([
      hubCli(['token', 'list', ...args()]),
      hubCli(['token', 'revoke', tokenId, ...args()]),
      hubCli(['token', 'create', 'bad team!', ...args()]),
      hubCli(['token', 'revoke', '000000000000', ...args()]),
      hubCli(['serve', '--port', 'eighty', ...args()]),
    ]);
    expect(listed.stdout).toMatch(new RegExp(`${tokenId}\\s+night-shift\\s+`));
    expect(listed.stdout).not.toContain(created.stdout.trim());
    expect(revoked.code).toBe(0);
    expect(badTeam.code).toBe(2);
    expect(badTeam.stderr).toMatch(/team name/);
    expect(unknownId.code).toBe(1);
    expect(badPort.code).toBe(2);

    const french = await hubCli(['token', 'list', ...args()], { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    expect(french.stdout).toMatch(new RegExp(`${tokenId}\\s+night-shift\\s+\\S+ \\S+\\s+\\d{4}-`));
    expect(french.stdout).toContain('ÉQUIPE');
    expect((await hubCli(['token', 'revoke', tokenId, ...args()])).code).toBe(1);
  });
});
