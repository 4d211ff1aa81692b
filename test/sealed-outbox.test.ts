import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { HubProcess } from '../hub/test/support.js';
import { nodeSealCipher } from '../electron/sync/node-seal-cipher.js';
import { nobleSealCipher, type SealCipher } from '../shared/sync/seal-cipher.js';
import { isSealedEvent, openSealed } from '../shared/sync/sealing.js';
import { createKeyring, rotateKeyring, type TeamKeyring } from '../shared/sync/team-key.js';
import { declareInput, tempDir } from './helpers.js';
import { openDevice, startTestHub, syncAll, type Device } from './sync-support.js';

/**
 * Issue #14: every event is sealed on the laptop before it enters the outbox. With a team key, what
 * waits for the hub is kept sealed (migration 13), written in the transaction that stores the event:
 * what a commander types is in no outbox row in clear, on disk (the SQLite file and its WAL, byte
 * for byte), and still reaches the team. Events queued before the key arrived are sealed when it
 * does; a rotation seals what still waits with the new key.
 */
const PHRASE = 'Eve copied the payroll export out through tftp-lab-07';

const devices: Device[] = [];
const hubs: HubProcess[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

function device(options: Parameters<typeof openDevice>[0] = {}): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

interface OutboxRow {
  seq: number;
  key_id: string;
  wire: string;
}
const outboxRows = (d: Device) => d.store.db.prepare<[], OutboxRow>('SELECT seq, key_id, wire FROM outbox_sealed ORDER BY seq').all();

/** What is typed is sealed into the outbox right after it is stored (Store.queueSeals): its rows, once every waiting event has one. */
async function sealedRows(d: Device): Promise<OutboxRow[]> {
  await vi.waitFor(() => expect(outboxRows(d)).toHaveLength(d.store.outboxCount()));
  return outboxRows(d);
}

/**
 * Every page of the store as it is on disk now: the main file's pages, each replaced by its newest
 * frame in the WAL of the current generation (the WAL header's salts; frames left from before a
 * checkpoint carry older ones). Read from the files, not through SQLite.
 */
function pagesOnDisk(dbFile: string): Map<number, Buffer> {
  const main = readFileSync(dbFile);
  const declared = main.readUInt16BE(16);
  const pageSize = declared === 1 ? 65_536 : declared;
  const pages = new Map<number, Buffer>();
  for (let at = 0; at + pageSize <= main.length; at += pageSize) pages.set(at / pageSize + 1, main.subarray(at, at + pageSize));
  const walFile = `${dbFile}-wal`;
  if (existsSync(walFile)) {
    const wal = readFileSync(walFile);
    if (wal.length >= 32) {
      const salts = wal.subarray(16, 24);
      for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
        if (!wal.subarray(at + 8, at + 16).equals(salts)) continue;
        pages.set(wal.readUInt32BE(at), wal.subarray(at + 24, at + 24 + pageSize));
      }
    }
  }
  return pages;
}

/** The bytes on disk of one table's pages (its B-tree and overflow pages, as SQLite's dbstat lists them). */
function tableBytes(d: Device, table: string): Buffer {
  const pageNumbers = d.store.db.prepare<[string], { pageno: number }>('SELECT DISTINCT pageno FROM dbstat WHERE name = ?').all(table);
  const pages = pagesOnDisk(path.join(d.dir, STORE_FILE_NAME));
  return Buffer.concat(pageNumbers.map((p) => pages.get(p.pageno) ?? Buffer.alloc(0)));
}

const texts = (d: Device, incidentId: string) => d.store.timeline(incidentId).entries.map((e) => e.payload['text']);

describe('the outbox of a laptop holding a team key', () => {
  test('holds a typed phrase sealed only, on disk too; the event still syncs and a teammate reads it', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    // Offline: no hub yet, everything typed waits in the outbox.
    const a = device({ keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const logged = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });

    const rows = await sealedRows(a);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.wire).not.toContain('payroll');
      expect(row.wire).not.toContain(declareInput.title);
      expect(row.key_id).toBe(ring.current);
      const sealed = JSON.parse(row.wire) as unknown;
      expect(isSealedEvent(sealed)).toBe(true);
    }
    // The row of the typed entry opens, with the team key, to the entry.
    const entryRow = rows.find((r) => r.wire.includes(logged.eventId))!;
    const opened = openSealed(JSON.parse(entryRow.wire) as Parameters<typeof openSealed>[0], ring);
    expect(opened).toMatchObject({ ok: true, event: { id: logged.eventId, payload: { text: PHRASE } } });

    // Byte for byte on disk (main file and WAL): the outbox's pages hold the entry's id and its sealed
    // box, not a word of it; the log's own pages (this laptop's record) do hold the phrase, so the search finds it where it is.
    const outboxOnDisk = tableBytes(a, 'outbox_sealed');
    expect(outboxOnDisk.includes(Buffer.from(logged.eventId))).toBe(true);
    expect(outboxOnDisk.includes(Buffer.from((JSON.parse(entryRow.wire) as { box: string }).box))).toBe(true);
    expect(outboxOnDisk.includes(Buffer.from(PHRASE))).toBe(false);
    expect(outboxOnDisk.includes(Buffer.from('payroll'))).toBe(false);
    expect(tableBytes(a, 'events').includes(Buffer.from(PHRASE))).toBe(true);

    // The hub comes back: what was sealed into the outbox is what it gets and keeps, and the outbox empties.
    const hub = await startTestHub();
    hubs.push(hub);
    a.sync.configure({ hubUrl: hub.url, token: hub.token, enabled: true });
    await syncAll([a]);
    expect(a.store.outboxCount()).toBe(0);
    expect(outboxRows(a)).toEqual([]);
    const b = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    await syncAll([b]);
    expect(texts(b, incidentId)).toContain(PHRASE);
    await hub.stop();
    hubs.length = 0;
    const onHub = readFileSync(hub.dbFile);
    const walOnHub = existsSync(`${hub.dbFile}-wal`) ? readFileSync(`${hub.dbFile}-wal`) : Buffer.alloc(0);
    const hubBytes = Buffer.concat([onHub, walOnHub]);
    expect(hubBytes.includes(Buffer.from(entryRow.wire))).toBe(true);
    expect(hubBytes.includes(Buffer.from(PHRASE))).toBe(false);
  });

  test('seals what waits when a key arrives and again after a rotation; typed after, sealed as stored', async () => {
    // A team in clear at first: nothing to seal with, the outbox is the log as before.
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    expect(outboxRows(a)).toEqual([]);
    const waiting = a.store.outboxCount();

    const ring = createKeyring('ops', Date.now() - 60_000);
    a.sync.setKeyring(ring);
    let rows = outboxRows(a);
    expect(rows).toHaveLength(waiting);
    expect(rows.every((r) => r.key_id === ring.current && !r.wire.includes('payroll'))).toBe(true);

    const rotated = rotateKeyring(ring, Date.now());
    a.sync.setKeyring(rotated);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'after the rotation: payroll host isolated' });
    rows = await sealedRows(a);
    expect(rows).toHaveLength(waiting + 1);
    for (const row of rows) {
      expect(row.key_id).toBe(rotated.current);
      expect((JSON.parse(row.wire) as { keyId: string }).keyId).toBe(rotated.current);
      expect(row.wire).not.toContain('payroll');
    }
    expect(tableBytes(a, 'outbox_sealed').includes(Buffer.from('payroll'))).toBe(false);

    const hub = await startTestHub();
    hubs.push(hub);
    a.sync.configure({ hubUrl: hub.url, token: hub.token, enabled: true });
    const b = device({ hubUrl: hub.url, token: hub.token, keyring: rotated });
    await syncAll([a, b]);
    expect(texts(b, incidentId)).toEqual(texts(a, incidentId));
    expect(texts(b, incidentId)).toContain(PHRASE);
    expect(b.store.quarantineCount()).toBe(0);
  });

  test('a laptop on @noble’s cipher (Electron’s fallback) and one on Node’s: one format, through the hub both ways', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const hub = await startTestHub();
    hubs.push(hub);
    const electronLike = device({ hubUrl: hub.url, token: hub.token, keyring: ring, cipher: nobleSealCipher });
    const nodeLaptop = device({ hubUrl: hub.url, token: hub.token, keyring: ring, cipher: nodeSealCipher });
    const { incidentId } = electronLike.core.handle('incident.declare', declareInput);
    electronLike.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    // Sealed into the outbox by @noble's, opened by either. Read in this turn, as a push would take
    // them (sealing what is pending first): the engine, on a hub, may push them in the next one.
    const sealedByNoble = electronLike.store.outboxBatch(100);
    expect(sealedByNoble.length).toBeGreaterThanOrEqual(2);
    for (const row of sealedByNoble) {
      expect(row.sealed).not.toBeNull();
      const sealed = JSON.parse(row.sealed!) as Parameters<typeof openSealed>[0];
      const byNoble = openSealed(sealed, ring, nobleSealCipher);
      expect(byNoble.ok).toBe(true);
      expect(openSealed(sealed, ring, nodeSealCipher)).toEqual(byNoble);
    }
    await syncAll([electronLike, nodeLaptop]);
    nodeLaptop.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'answered from the laptop on Node’s cipher' });
    await syncAll([nodeLaptop, electronLike]);
    for (const d of [electronLike, nodeLaptop]) {
      expect(texts(d, incidentId)).toContain(PHRASE);
      expect(texts(d, incidentId)).toContain('answered from the laptop on Node’s cipher');
      expect(d.store.quarantineCount()).toBe(0);
      expect(d.store.outboxCount()).toBe(0);
    }
    expect(texts(electronLike, incidentId)).toEqual(texts(nodeLaptop, incidentId));
  });

  test('a laptop that no longer holds a key keeps no sealed copies: what waits leaves as the log holds it', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    const waiting = a.store.outboxCount();
    expect(await sealedRows(a)).toHaveLength(waiting);
    a.sync.setKeyring(null);
    expect(outboxRows(a)).toEqual([]);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'typed without a key' });
    // Read as a push reads it (which first seals anything stored and not sealed yet): nothing sealed, nothing kept sealed.
    expect(a.store.outboxBatch(100).map((w) => w.sealed)).toEqual(Array.from({ length: waiting + 1 }, () => null));
    expect(outboxRows(a)).toEqual([]);
    // The key goes while a typed entry is stored and not sealed yet: it is never sealed with it.
    a.sync.setKeyring(ring);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'typed just before the key went' });
    a.sync.setKeyring(null);
    expect(a.store.outboxBatch(100)).toHaveLength(waiting + 2);
    expect(outboxRows(a)).toEqual([]);
    // Nothing was lost from the outbox on the way.
    expect(a.store.outboxCount()).toBe(waiting + 2);
  });

  test("a typed entry's sealed copy is committed without a second wait for the disk; the entry itself, and the next, still wait for it", async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    let a: Device | null = null;
    const synchronous = () => a!.store.db.pragma('synchronous', { simple: true });
    // What SQLite's synchronous setting is while each event is sealed: 2 = FULL (an fsync per commit), 1 = NORMAL.
    const whileSealing: unknown[] = [];
    const cipher: SealCipher = {
      ...nobleSealCipher,
      seal: (...args) => {
        whileSealing.push(synchronous());
        return nobleSealCipher.seal(...args);
      },
    };
    a = device({ keyring: ring, cipher });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    await sealedRows(a);
    whileSealing.length = 0;

    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    expect(synchronous()).toBe(2);
    await sealedRows(a);
    // Sealed on the turn after its commit, in a commit that does not wait for the disk: derived from
    // the entry already on disk, and sealed again when sync starts should a power cut take it.
    expect(whileSealing).toEqual([1]);
    // FULL again for whatever the person does next.
    expect(synchronous()).toBe(2);
  });

  test('kill -9 right after typing: every acknowledged entry is in the log, and sealed at the next start before anything leaves', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const dir = tempDir('warroom-sealed-crash-');
    // 300 entries: the writes that filled a batch sealed it (Store.queueSeals), the last ones were not sealed yet.
    const { incidentId, acknowledged } = await typeAndKill(dir, ring, 300, PHRASE);
    expect(acknowledged).toHaveLength(300);

    const opened = Store.open(path.join(dir, STORE_FILE_NAME));
    const waiting = opened.outboxCount();
    const sealedBefore = opened.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_sealed').get()!.n;
    expect(acknowledged.filter((id) => !opened.hasEvent(id))).toEqual([]);
    expect(waiting).toBe(301);
    // The kill came between the acknowledgement and the sealing of the last entries: they wait in the log only.
    expect(sealedBefore).toBeGreaterThan(0);
    expect(sealedBefore).toBeLessThan(waiting);
    opened.close();

    // The next start: the sync engine seals what waits without a sealed form, before its first push.
    const a = device({ dir, keyring: ring });
    const rows = outboxRows(a);
    expect(rows).toHaveLength(waiting);
    expect(rows.every((r) => r.key_id === ring.current && !r.wire.includes('payroll'))).toBe(true);
    expect(tableBytes(a, 'outbox_sealed').includes(Buffer.from('payroll'))).toBe(false);

    const hub = await startTestHub();
    hubs.push(hub);
    a.sync.configure({ hubUrl: hub.url, token: hub.token, enabled: true });
    await syncAll([a]);
    expect(a.store.outboxCount()).toBe(0);
    const b = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    await syncAll([b]);
    expect(texts(b, incidentId)).toEqual(texts(a, incidentId));
    expect(texts(b, incidentId).filter((t) => typeof t === 'string' && t.startsWith(PHRASE))).toHaveLength(300);
    expect(b.store.quarantineCount()).toBe(0);
    await hub.stop();
    hubs.length = 0;
    const walOnHub = existsSync(`${hub.dbFile}-wal`) ? readFileSync(`${hub.dbFile}-wal`) : Buffer.alloc(0);
    expect(Buffer.concat([readFileSync(hub.dbFile), walOnHub]).includes(Buffer.from('payroll'))).toBe(false);
  });
});

/** test/fixtures/sealed-crash-writer.ts types `count` entries holding `phrase` with the key and kills itself with SIGKILL right after the last. */
function typeAndKill(dir: string, ring: TeamKeyring, count: number, phrase: string): Promise<{ incidentId: string; acknowledged: string[] }> {
  const keyringFile = path.join(dir, 'keyring.json');
  writeFileSync(keyringFile, JSON.stringify(ring), { mode: 0o600 });
  const writer = path.join(import.meta.dirname, 'fixtures', 'sealed-crash-writer.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, keyringFile, String(count), phrase], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the writer was not killed (${signal ?? 'exit'}): ${stderr}`));
      // Only whole lines were acknowledged.
      const lines = stdout.split('\n').slice(0, -1);
      const incident = lines.find((l) => l.startsWith('incident '));
      if (!incident) return reject(new Error(`the writer declared nothing: ${stderr}`));
      resolve({ incidentId: incident.slice('incident '.length), acknowledged: lines.filter((l) => !l.startsWith('incident ')) });
    });
  });
}
