import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { HubStorage, IncomingEvent } from '../storage.js';
import { SqliteHubStorage } from '../storage-sqlite.js';
import { PostgresHubStorage } from '../storage-postgres.js';
import { sha256 } from '../tokens.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';

/** One suite, both backends: whatever the hub is told to use must behave the same. */
interface Backend {
  name: string;
  setup(): Promise<void>;
  /** Every storage opened within one test shares one database, as several hub processes would. */
  open(): HubStorage;
  teardown(): Promise<void>;
}

let dir = '';
let testNumber = 0;
let postgres: TestPostgres | undefined;

const backends: Backend[] = [
  {
    name: 'SQLite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'warroom-hub-storage-'));
    },
    open: () => new SqliteHubStorage(join(dir, `test-${testNumber}.sqlite`)),
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  },
  {
    name: 'PostgreSQL',
    async setup() {
      postgres = await startTestPostgres();
    },
    open: () => new PostgresHubStorage(postgres!.url),
    async teardown() {
      await postgres?.stop();
    },
  },
];

/** A byte budget no test page reaches, for tests about counts and order. */
const ANY_SIZE = 1 << 30;

/** Team names are unique per test, so tests sharing one PostgreSQL database never meet. */
const teamName = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

const event = (n: number): IncomingEvent => {
  const id = uuidv7();
  return { id, json: JSON.stringify({ id, n }) };
};

async function pullAll(storage: HubStorage, teamId: number, limit = 1000): Promise<{ seq: number; id: string }[]> {
  const out: { seq: number; id: string }[] = [];
  let cursor = 0;
  for (;;) {
    const page = await storage.after(teamId, cursor, limit, ANY_SIZE);
    page.events.forEach((json, i) => out.push({ seq: cursor + i + 1, id: (JSON.parse(json) as { id: string }).id }));
    cursor = page.cursor;
    if (!page.more) return out;
  }
}

describe.each(backends)('hub storage on $name', (backend) => {
  const opened: HubStorage[] = [];
  const open = async () => {
    const storage = backend.open();
    opened.push(storage);
    await storage.migrate();
    return storage;
  };

  beforeAll(() => backend.setup());
  beforeEach(() => {
    testNumber++;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(() => backend.teardown());

  it('migrates idempotently, even from two processes at once', async () => {
    const a = backend.open();
    const b = backend.open();
    opened.push(a, b);
    await Promise.all([a.migrate(), b.migrate()]);
    await a.migrate();
    const team = await a.ensureTeam(teamName('ops'));
    expect(await b.ensureTeam(team.name)).toEqual(team);
  });

  it('keeps one epoch for its history, shared by every connection, until an operator rotates it', async () => {
    const a = await open();
    const first = await a.epoch();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    const b = await open();
    expect(await b.epoch()).toBe(first);
    const rotated = await b.rotateEpoch();
    expect(rotated).toMatch(/^[0-9a-f]{32}$/);
    expect(rotated).not.toBe(first);
    expect(await a.epoch()).toBe(rotated);
  });

  it('keeps tokens per team, finds them by id and revokes them', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    const tokenId = randomBytes(6).toString('hex');
    await storage.addToken(team.id, tokenId, sha256('secret'));

    const found = await storage.findToken(tokenId);
    expect(found).toMatchObject({ id: tokenId, team, revokedAt: null });
    expect(found!.secretHash.equals(sha256('secret'))).toBe(true);
    expect(await storage.findToken('000000000000')).toBeNull();
    expect((await storage.listTokens()).map((t) => t.id)).toContain(tokenId);

    expect(await storage.revokeToken(tokenId)).toBe(true);
    expect(await storage.revokeToken(tokenId)).toBe(false);
    expect((await storage.findToken(tokenId))!.revokedAt).toEqual(expect.any(Number));
  });

  it('keeps feature records per team and namespace, with compare-and-set writes', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    const other = await storage.ensureTeam(teamName('sales'));
    expect(await storage.findTeam(team.name)).toEqual(team);
    expect(await storage.findTeam(teamName('nobody'))).toBeNull();
    expect(await storage.getRecord(team.id, 'ns', 'k')).toBeNull();
    expect(await storage.putRecord(team.id, 'ns', 'k', 'one', null)).toBe(true);
    expect(await storage.putRecord(team.id, 'ns', 'k', 'two', null)).toBe(false);
    expect(await storage.putRecord(team.id, 'ns', 'k', 'two', 'stale')).toBe(false);
    expect(await storage.putRecord(team.id, 'ns', 'k', 'two', 'one')).toBe(true);
    expect(await storage.putRecord(team.id, 'ns', 'j', 'zero')).toBe(true);
    expect(await storage.getRecord(team.id, 'ns', 'k')).toBe('two');
    expect(await storage.getRecord(other.id, 'ns', 'k')).toBeNull();
    expect(await storage.listRecords(team.id, 'ns')).toEqual([
      { key: 'j', value: 'zero' },
      { key: 'k', value: 'two' },
    ]);
    expect(await storage.listRecords(team.id, 'other')).toEqual([]);
  });

  it('numbers a team’s events 1, 2, 3… and returns them byte for byte', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    // Odd spacing and key order: the hub must not normalise what it relays.
    const odd = { id: uuidv7(), json: '{"z":1,  "id":"x","a":[ "é", 1e3 ]}' };
    const batch = [event(1), odd, event(3)];

    expect(await storage.append(team.id, batch)).toEqual({ accepted: 3, duplicates: 0, head: 3 });
    const page = await storage.after(team.id, 0, 10, ANY_SIZE);
    expect(page).toEqual({ events: batch.map((e) => e.json), cursor: 3, more: false, head: 3, cursorId: null });
    // The id held at the cursor asked for, so a laptop can check it is reading the history it knows.
    expect(await storage.after(team.id, 3, 10, ANY_SIZE)).toEqual({ events: [], cursor: 3, more: false, head: 3, cursorId: batch[2]!.id });
    expect(await storage.after(team.id, 2, 10, ANY_SIZE)).toMatchObject({ cursor: 3, cursorId: odd.id });
  });

  it('never stores an event id twice: retried batches and repeats within a batch are duplicates', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    const batch = [event(1), event(2), event(3)];

    expect(await storage.append(team.id, batch)).toEqual({ accepted: 3, duplicates: 0, head: 3 });
    expect(await storage.append(team.id, batch)).toEqual({ accepted: 0, duplicates: 3, head: 3 });
    const fresh = event(4);
    expect(await storage.append(team.id, [batch[0]!, fresh, fresh])).toEqual({ accepted: 1, duplicates: 2, head: 4 });

    const ids = (await pullAll(storage, team.id)).map((e) => e.id);
    expect(ids).toEqual([...batch.map((e) => e.id), fresh.id]);
  });

  it('pages with a cursor: every event once, in arrival order', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    const all = Array.from({ length: 2500 }, (_, i) => event(i));
    for (let i = 0; i < all.length; i += 1000) await storage.append(team.id, all.slice(i, i + 1000));

    const first = await storage.after(team.id, 0, 1000, ANY_SIZE);
    expect(first).toMatchObject({ cursor: 1000, more: true });
    const last = await storage.after(team.id, 2000, 1000, ANY_SIZE);
    expect(last).toMatchObject({ cursor: 2500, more: false });
    expect(last.events).toHaveLength(500);
    // A page that ends exactly at the head says there is no more.
    expect(await storage.after(team.id, 1500, 1000, ANY_SIZE)).toMatchObject({ cursor: 2500, more: false });

    expect((await pullAll(storage, team.id, 700)).map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('stops a page early rather than exceed its byte budget, but never returns an empty page', async () => {
    const storage = await open();
    const team = await storage.ensureTeam(teamName('ops'));
    const sized = (bytes: number): IncomingEvent => {
      const id = uuidv7();
      const json = JSON.stringify({ id, pad: '' });
      return { id, json: JSON.stringify({ id, pad: 'é'.repeat((bytes - json.length) / 2) }) };
    };
    // 100 bytes each but 77 UTF-16 units ('é' is two bytes): the budget counts UTF-8 bytes.
    const events = Array.from({ length: 10 }, () => sized(100));
    expect(Buffer.byteLength(events[0]!.json)).toBe(100);
    await storage.append(team.id, events);

    const page = await storage.after(team.id, 0, 1000, 3 * 101);
    expect(page).toMatchObject({ cursor: 3, more: true });
    expect(page.events).toEqual(events.slice(0, 3).map((e) => e.json));
    expect(await storage.after(team.id, 3, 1000, 3 * 101 - 1)).toMatchObject({ cursor: 5, more: true });
    // An event larger than the whole budget still comes, alone, so a pull always progresses.
    expect(await storage.after(team.id, 5, 1000, 10)).toMatchObject({ events: [events[5]!.json], cursor: 6, more: true });
    expect(await storage.after(team.id, 6, 1000, 4 * 101)).toMatchObject({ cursor: 10, more: false });
  });

  it('keeps teams apart: own sequences, own id space, no reads across', async () => {
    const storage = await open();
    const alpha = await storage.ensureTeam(teamName('alpha'));
    const bravo = await storage.ensureTeam(teamName('bravo'));
    const shared = event(1);

    await storage.append(alpha.id, [shared, event(2)]);
    // The same id in another team is that team's own event, not a duplicate.
    expect(await storage.append(bravo.id, [shared])).toEqual({ accepted: 1, duplicates: 0, head: 1 });
    expect(await pullAll(storage, bravo.id)).toEqual([{ seq: 1, id: shared.id }]);
    expect(await pullAll(storage, alpha.id)).toHaveLength(2);
  });

  it('never lets a reader paging during concurrent pushes skip an event', async () => {
    const writers = await Promise.all([open(), open(), open()]);
    const reader = await open();
    const team = await writers[0]!.ensureTeam(teamName('ops'));
    const batches = Array.from({ length: 30 }, (_, b) => Array.from({ length: 20 }, (_, i) => event(b * 100 + i)));

    const seen: string[] = [];
    let cursor = 0;
    let writing = true;
    const read = async () => {
      const page = await reader.after(team.id, cursor, 50, ANY_SIZE);
      for (const json of page.events) seen.push((JSON.parse(json) as { id: string }).id);
      cursor = page.cursor;
      return page.more;
    };
    const readLoop = (async () => {
      while (writing) await read();
      while (await read());
    })();
    await Promise.all(batches.map((batch, i) => writers[i % writers.length]!.append(team.id, batch)));
    writing = false;
    await readLoop;

    const expected = batches.flat().map((e) => e.id);
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(cursor).toBe(expected.length);
  });
});
