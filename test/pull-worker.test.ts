import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { pullWorker, pullWorkerStats } from '../electron/sync/pull-worker-client.js';
import type { PullWorkerReply, PullWorkerRequest } from '../electron/sync/pull-worker-protocol.js';
import { SyncEngine } from '../electron/sync/sync.js';
import type { HubProcess } from '../hub/test/support.js';
import { createKeyring, type TeamKeyring } from '../shared/sync/team-key.js';
import { declareInput, tempDir } from './helpers.js';
import { FAST, openDevice, startTestHub, syncAll, type Device } from './sync-support.js';

/**
 * Issues #14 and #11: pull pages are read (and sealed ones opened) by the pull worker (a thread of
 * its own, electron/sync/pull-worker.ts) while the core's thread writes the page before, and
 * nothing of the untrusted-input path changes: an event that does not open is kept, quarantined with why,
 * never folded; a worker that ends mid catch-up loses nothing.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const devices: Device[] = [];
const hubs: HubProcess[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

/** A laptop asking for small pages, so a few dozen events make many pages; a fetch of its own keeps every page on the core's thread. */
function reader(hub: { url: string; token: string }, ring: TeamKeyring | null, pullPageSize: number, ownFetch?: typeof fetch): Device {
  const dir = tempDir('warroom-device-');
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const sync = new SyncEngine(core, store, { token: hub.token, timing: FAST, keyring: ring, pullPageSize, ...(ownFetch ? { fetch: ownFetch } : {}) });
  core.attachSync(sync);
  sync.configure({ hubUrl: hub.url, enabled: true });
  const device = { dir, store, core, sync, close: () => (sync.stop(), store.close()) };
  devices.push(device);
  return device;
}

/** A sealed team's record on a fresh hub: `count` entries written by a laptop that pushed them. */
async function sealedRecord(count: number) {
  const hub = await startTestHub();
  hubs.push(hub);
  const ring = createKeyring('ops', Date.now() - 60_000);
  const writer = openDevice({ hubUrl: hub.url, token: hub.token, keyring: ring });
  devices.push(writer);
  const { incidentId } = writer.core.handle('incident.declare', declareInput);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(writer.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i}` }).eventId);
  await syncAll([writer], 1);
  expect(writer.sync.status().pending).toBe(0);
  return { hub, ring, incidentId, ids };
}

/** A fresh laptop's catch-up of 31 events, 7 a page: every page read by the worker, none on the core's thread. */
async function caughtUpByTheWorker(hub: { url: string; token: string }, ring: TeamKeyring | null): Promise<Device> {
  expect(await pullWorker().started).toBe(true);
  const before = { ...pullWorkerStats };
  const device = reader(hub, ring, 7);
  await syncAll([device], 1);
  expect(pullWorkerStats.pages - before.pages).toBeGreaterThanOrEqual(5);
  expect(pullWorkerStats.here - before.here).toBe(0);
  return device;
}

/** Someone with the hub's database changes one event as it is stored there. */
function changeOnHub(dbFile: string, eventId: string, change: (stored: Record<string, unknown>) => void): void {
  const db = new Database(dbFile);
  try {
    const row = db.prepare<[string], { body: string }>('SELECT body FROM events WHERE id = ?').get(eventId)!;
    const stored = JSON.parse(row.body) as Record<string, unknown>;
    change(stored);
    db.prepare('UPDATE events SET body = ? WHERE id = ?').run(JSON.stringify(stored), eventId);
  } finally {
    db.close();
  }
}

const texts = (d: Device, incidentId: string) =>
  d.store
    .timeline(incidentId, 0, 1000)
    .entries.map((e) => e.payload['text'])
    .filter((t) => typeof t === 'string' && t.startsWith('entry '));

describe('the pull worker', () => {
  test('opens a sealed catch-up off the core thread; a ciphertext changed on the hub is still quarantined with why, the rest folds', async () => {
    const { hub, ring, incidentId, ids } = await sealedRecord(30);
    // Someone with the hub's database flips one character of one sealed event, mid-record.
    const changed = ids[17]!;
    changeOnHub(hub.dbFile, changed, (sealed) => {
      const box = String(sealed['box']);
      sealed['box'] = box.slice(0, 20) + (box[20] === 'A' ? 'B' : 'A') + box.slice(21);
    });

    const b = await caughtUpByTheWorker(hub, ring);
    const expected = Array.from({ length: 30 }, (_, i) => `entry ${i}`).filter((t) => t !== 'entry 17');
    expect(texts(b, incidentId)).toEqual(expected);
    // Kept, never folded, and shown with its reason.
    expect(b.store.hasEvent(changed)).toBe(true);
    const listed = b.core.handle('quarantine.list', {});
    expect(listed.events).toEqual([expect.objectContaining({ eventId: changed, code: 'not_authentic', incidentId })]);
    expect(JSON.stringify(listed.events[0])).toContain('does not open with key');
    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', quarantined: 1 });
  });

  test("reads a clear team's catch-up off the core thread too: the same record and the same quarantine as one read on the core thread", async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const writer = openDevice({ hubUrl: hub.url, token: hub.token });
    devices.push(writer);
    const { incidentId } = writer.core.handle('incident.declare', declareInput);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(writer.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i}` }).eventId);
    await syncAll([writer], 1);
    expect(writer.sync.status().pending).toBe(0);
    // Someone with the hub's database gives one entry a text that is not text: kept, never folded.
    const changed = ids[17]!;
    changeOnHub(hub.dbFile, changed, (event) => ((event['payload'] as Record<string, unknown>)['text'] = 17));

    const offThread = await caughtUpByTheWorker(hub, null);
    const before = { ...pullWorkerStats };
    const here = reader(hub, null, 7, (input, init) => fetch(input, init));
    await syncAll([here], 1);
    expect(pullWorkerStats).toEqual(before);

    const expected = Array.from({ length: 30 }, (_, i) => `entry ${i}`).filter((t) => t !== 'entry 17');
    expect(texts(offThread, incidentId)).toEqual(expected);
    expect(texts(here, incidentId)).toEqual(expected);
    const quarantined = (d: Device) => d.core.handle('quarantine.list', {}).events.map(({ quarantinedAt: _at, ...rest }) => rest);
    expect(quarantined(offThread)).toEqual([expect.objectContaining({ eventId: changed, incidentId })]);
    expect(quarantined(offThread)).toEqual(quarantined(here));
    // The log holds the same bytes: the payloads the worker wrote out for the log are the events' own.
    const stored = (d: Device) => d.store.db.prepare<[], { id: string; payload: string }>('SELECT id, payload FROM events ORDER BY id').all();
    expect(stored(offThread)).toHaveLength(31);
    expect(stored(offThread)).toEqual(stored(here));
    for (const d of [offThread, here]) expect(d.sync.status()).toMatchObject({ state: 'up_to_date', quarantined: 1, pending: 0 });
  });

  test('a worker that ends mid catch-up loses nothing: the pages left are pulled on the core thread, and the next catch-up has a new worker', async () => {
    const { hub, ring, incidentId } = await sealedRecord(40);
    const worker = pullWorker();
    expect(await worker.started).toBe(true);
    const before = { ...pullWorkerStats };
    const b = reader(hub, ring, 4);
    let killed: Promise<number> | null = null;
    b.sync.onStatus((status) => {
      // The second page written: the worker is holding the next one.
      if (!killed && (status.progress?.pulled ?? 0) >= 8) killed = worker.kill();
    });
    b.sync.syncNow();
    await b.sync.idle();
    expect(killed).not.toBeNull();
    await killed;

    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', quarantined: 0, pending: 0 });
    expect(texts(b, incidentId)).toEqual(Array.from({ length: 40 }, (_, i) => `entry ${i}`));
    expect(pullWorkerStats.pages - before.pages).toBeGreaterThanOrEqual(2);
    expect(pullWorkerStats.here - before.here).toBeGreaterThanOrEqual(1);

    // A new thread for the next laptop's catch-up.
    const next = pullWorker();
    expect(next).not.toBe(worker);
    expect(await next.started).toBe(true);
    const c = reader(hub, ring, 4);
    const mid = { ...pullWorkerStats };
    await syncAll([c], 1);
    expect(texts(c, incidentId)).toEqual(texts(b, incidentId));
    expect(pullWorkerStats.pages - mid.pages).toBeGreaterThanOrEqual(10);
    expect(pullWorkerStats.here - mid.here).toBe(0);
  });

  test('a hub that takes the connection and never answers is asked once, and the laptop says it did not answer in time', async () => {
    // A half-open VPN or a captive portal: the connection is taken, no answer ever comes.
    const asked: string[] = [];
    const hanging = http.createServer((request) => void asked.push(`${request.method} ${request.url}`));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      expect(await pullWorker().started).toBe(true);
      const before = { ...pullWorkerStats };
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const device = openDevice({ hubUrl: url, token: 'hub-token', timing: { ...FAST, requestTimeoutMs: 400 } });
      devices.push(device);
      device.sync.syncNow();
      await device.sync.idle();
      expect(device.sync.status()).toMatchObject({ state: 'offline', reason: { code: 'hub_timed_out' } });
      // Asked by the worker only: the core did not wait as long again for the same page.
      expect(asked).toEqual(['GET /v1/events?after=0&limit=1000']);
      expect(pullWorkerStats.here - before.here).toBe(0);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test('the bundled pull worker (dist/electron/pull-worker.cjs) runs in plain Node and opens a page', async () => {
    const bundle = path.join(root, 'dist', 'electron', 'pull-worker.cjs');
    if (!existsSync(bundle)) throw new Error('Build first: npm run build (this test starts the pull worker that ships)');
    const { hub, ring, incidentId, ids } = await sealedRecord(3);
    const worker = new Worker(bundle);
    try {
      const replies: PullWorkerReply[] = [];
      const page = new Promise<PullWorkerReply>((resolve, reject) => {
        worker.on('message', (reply: PullWorkerReply) => {
          replies.push(reply);
          if (reply.type === 'page') resolve(reply);
        });
        worker.on('error', reject);
      });
      worker.postMessage({
        id: 1,
        hubUrl: hub.url,
        limit: 100,
        nextLimit: 100,
        auth: { bearer: `Bearer ${hub.token}` },
        timeoutMs: 5000,
        after: 0,
        now: Date.now(),
        ring,
      } satisfies PullWorkerRequest);
      const reply = await page;
      // It found libsodium's addon from where the bundle lies, as the core's bundle does (not a fallback).
      expect(replies[0]).toEqual({ type: 'ready', cipher: 'libsodium' });
      if (reply.type !== 'page' || !reply.ok) throw new Error('the bundled worker did not answer a page');
      const events = JSON.parse(reply.events) as { id: string; incidentId: string; payload: Record<string, unknown> }[];
      expect(events.filter((e) => e.incidentId === incidentId && ids.includes(e.id)).map((e) => e.payload['text'])).toEqual(['entry 0', 'entry 1', 'entry 2']);
      expect(reply.quarantine).toEqual([]);
      expect(reply.payloads).toEqual(events.map((e) => JSON.stringify(e.payload)));
      expect(reply).toMatchObject({ more: false, cursor: 4 });
    } finally {
      await worker.terminate();
    }
  });
});
