import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PULL_CURSOR_KEY } from '../electron/store/store.js';
import { createKeyring } from '../shared/sync/team-key.js';
import type { HubProcess } from '../hub/test/support.js';
import { declareInput } from './helpers.js';
import { openDevice, startTestHub, syncAll, type Device } from './sync-support.js';

/**
 * Issue #11: pull pages are fetched, parsed, checked and opened on the page reader's thread
 * (electron/sync/page-reader.ts) while the core writes the page before. Every page here goes
 * through that thread (the tests wait for it before the first pull), against a real hub process
 * or a hostile one on loopback, into a real SQLite file: the same strictness, the same
 * quarantine, the same reasons, and a cursor that moves only with its page.
 */
const devices: Device[] = [];
const hubs: HubProcess[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
  while (servers.length) await new Promise((r) => servers.pop()!.close(r));
});

function device(options: Parameters<typeof openDevice>[0] = {}): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

/** A laptop whose pull pages all go through the reader's thread: the thread has loaded before the hub is named. */
async function readerDevice(hubUrl: string, token: string, options: Parameters<typeof openDevice>[0] = {}): Promise<Device> {
  const d = device(options);
  expect(await d.sync.pageReaderReady()).toBe(true);
  d.sync.configure({ hubUrl, token, enabled: true });
  return d;
}

const texts = (d: Device, incidentId: string) => d.store.timeline(incidentId, 0, 1000).entries.map((e) => e.payload['text']);

describe('pull pages read on the page reader thread', () => {
  test('a sealed record arrives whole over several pages; a ciphertext changed on the hub is quarantined with its reason, nothing else', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const logged = Array.from({ length: 11 }, (_, i) => a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i}` }));
    await syncAll([a], 1);
    expect(a.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0 });
    await hub.stop();
    hubs.length = 0;

    // Someone with the hub's database flips one character of one sealed event.
    const changed = logged[6]!.eventId;
    const db = new Database(hub.dbFile);
    const row = db.prepare<[string], { body: string }>('SELECT body FROM events WHERE id = ?').get(changed)!;
    const sealed = JSON.parse(row.body) as { box: string };
    sealed.box = sealed.box.slice(0, 20) + (sealed.box[20] === 'A' ? 'B' : 'A') + sealed.box.slice(21);
    db.prepare('UPDATE events SET body = ? WHERE id = ?').run(JSON.stringify(sealed), changed);
    db.close();

    const back = await startTestHub(hub.dbFile);
    hubs.push(back);
    // Pages of 4: the 12 events cross in three pages, each written while the next is read.
    const b = await readerDevice(back.url, back.token, { keyring: ring, pullPageSize: 4 });
    await syncAll([b], 1);
    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', error: null });
    expect(b.store.eventCount()).toBe(12);
    expect(texts(b, incidentId)).toEqual(texts(a, incidentId).filter((t) => t !== 'entry 6'));
    expect(b.core.handle('incident.get', { incidentId }).incident?.title).toBe(declareInput.title);
    const listed = b.core.handle('quarantine.list', {});
    expect(listed.events).toEqual([expect.objectContaining({ eventId: changed, code: 'not_authentic', incidentId })]);
    expect(b.sync.status().quarantined).toBe(1);
    // Kept (sealed, as it came), never folded; the cursor is the hub's head.
    expect(b.store.hasEvent(changed)).toBe(true);
    expect(b.store.getMeta(PULL_CURSOR_KEY)).toBe('12');
  });
});

/** A hub impostor on loopback: pushes acknowledged, pull pages as the test says (a pull left unanswered until `hold` resolves). */
async function fakeHub(page: () => string, hold: () => Promise<void> = () => Promise.resolve()): Promise<{ url: string; pulls: number }> {
  const hub = { url: '', pulls: 0 };
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST') return res.end(JSON.stringify({ accepted: 1, duplicates: 0, cursor: 1 }));
    hub.pulls++;
    void hold().then(() => res.end(page()));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}

const EPOCH = '0123456789abcdef0123456789abcdef';

describe('hostile pages and a reader thread that fails', () => {
  test('a page of the wrong shape, the thread stopped mid-page, an event that cannot be kept: clear reasons, the cursor moves only with a page applied', async () => {
    // Events another laptop really recorded, to serve.
    const other = device();
    const { incidentId } = other.core.handle('incident.declare', declareInput);
    other.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'from the other laptop' });
    const events = [...other.store.allEvents()];
    let serve = () => JSON.stringify({ events: 'lots', cursor: 9, more: false, epoch: EPOCH });
    let hold = () => Promise.resolve();
    const hub = await fakeHub(
      () => serve(),
      () => hold(),
    );
    const b = await readerDevice(hub.url, 'wrh_test_test-test-test');
    b.store.setMeta(PULL_CURSOR_KEY, '3');

    await syncAll([b], 1);
    expect(b.sync.status()).toMatchObject({ state: 'error', reason: { code: 'bad_pull_page' } });
    expect(b.store.eventCount()).toBe(0);
    expect(b.store.getMeta(PULL_CURSOR_KEY)).toBe('3');

    // The thread stops (as a crash would) while the hub is still answering a sound page.
    expect(await b.sync.pageReaderReady()).toBe(true);
    serve = () => JSON.stringify({ events, cursor: 9, more: false, epoch: EPOCH });
    let release = () => {};
    hold = () => new Promise<void>((r) => (release = r));
    const pulls = hub.pulls;
    b.sync.syncNow();
    await vi.waitFor(() => expect(hub.pulls).toBe(pulls + 1));
    await b.sync.stopPageReaderForTests();
    await b.sync.idle();
    release();
    expect(b.sync.status()).toMatchObject({ state: 'error', reason: { code: 'page_reader_failed' } });
    expect(b.sync.status().error).toMatch(/could not be read on this laptop/);
    expect(b.store.eventCount()).toBe(0);
    expect(b.store.getMeta(PULL_CURSOR_KEY)).toBe('3');

    // A new thread reads the next round; an event that cannot be kept (a prototype name) is skipped,
    // the sound ones are applied with their cursor.
    hold = () => Promise.resolve();
    const hostile = { ...events[1]!, id: '018f0000-0000-7000-8000-0000000000ff', payload: JSON.parse('{"__proto__":{"polluted":true}}') as object };
    serve = () => JSON.stringify({ events: [...events, hostile], cursor: 9, more: false, epoch: EPOCH });
    expect(await b.sync.pageReaderReady()).toBe(true);
    await syncAll([b], 1);
    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', error: null });
    expect(b.store.eventCount()).toBe(events.length);
    expect(b.store.hasEvent(hostile.id)).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(texts(b, incidentId)).toEqual(texts(other, incidentId));
    expect(b.store.getMeta(PULL_CURSOR_KEY)).toBe('9');
  });
});
