import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { encodeHlc } from '../shared/record/hlc.js';
import { createKeyring, rotateKeyring } from '../shared/sync/team-key.js';
import { hubCli, startHub, type HubProcess } from '../hub/test/support.js';
import { startTestPostgres, type TestPostgres } from '../hub/test/postgres.js';
import { declareInput } from './helpers.js';
import { openDevice, startTestHub, syncAll, visibleRecord, type Device } from './sync-support.js';

/**
 * Issue #14: a sealed team record. What a commander types never reaches the hub's storage in
 * clear (searched byte for byte in its SQLite file, its PostgreSQL tables and the backups hub/README.md
 * says to take of either: SQLite's online backup, pg_dump) while the team's
 * laptops read it; a laptop with the wrong key can neither read nor inject; a changed ciphertext
 * is quarantined, visibly, and never folded.
 */
const PHRASE = 'Mallory pivoted through vpn-edge-03 with the helpdesk password';

const devices: Device[] = [];
const hubs: HubProcess[] = [];
const databases: TestPostgres[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
  while (databases.length) await databases.pop()!.stop();
});

function device(options: Parameters<typeof openDevice>[0] = {}): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

/** Every file SQLite keeps for a database: the main file and, in WAL mode, its log. */
function sqliteBytes(dbFile: string): Buffer {
  return Buffer.concat([dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

const texts = (d: Device, incidentId: string) => d.store.timeline(incidentId).entries.map((e) => e.payload['text']);

describe('a sealed team record through a real hub', () => {
  test('the phrase never reaches the hub in clear, the team reads it, a wrong key neither reads nor injects', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    const b = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    // Same hub token, same team name, another key: a laptop that was never given the team key.
    const wrong = device({ hubUrl: hub.url, token: hub.token, keyring: createKeyring('ops', Date.now() - 60_000) });
    a.core.handle('settings.setActor', { actor: 'Alice' });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const logged = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    await syncAll([a, b, wrong]);

    // The team member with the key reads every word.
    expect(texts(b, incidentId)).toContain(PHRASE);
    expect(visibleRecord(b, incidentId)).toEqual(visibleRecord(a, incidentId));

    // A backup taken while the hub runs (SQLite's online backup, what `sqlite3 hub.sqlite ".backup"` does) holds no word of it either.
    const backupFile = `${hub.dbFile}.backup`;
    const live = new Database(hub.dbFile, { readonly: true, fileMustExist: true });
    try {
      await live.backup(backupFile);
    } finally {
      live.close();
    }
    const backup = readFileSync(backupFile);
    expect(backup.includes(Buffer.from(logged.eventId))).toBe(true);
    expect(backup.includes(Buffer.from(PHRASE))).toBe(false);
    expect(backup.includes(Buffer.from(declareInput.title))).toBe(false);

    // The hub holds the event (its id is there in clear, the routing field it relays by) but not a word of it.
    await hub.stop();
    hubs.length = 0;
    const stored = sqliteBytes(hub.dbFile);
    expect(stored.includes(Buffer.from(logged.eventId))).toBe(true);
    expect(stored.includes(Buffer.from(PHRASE))).toBe(false);
    expect(stored.includes(Buffer.from('vpn-edge-03'))).toBe(false);
    expect(stored.includes(Buffer.from(declareInput.title))).toBe(false);
    expect(stored.includes(Buffer.from('Alice'))).toBe(false);

    // The wrong key reads nothing: the incident is not there, and what arrived is quarantined with why.
    expect(wrong.core.handle('incident.get', { incidentId }).incident).toBeNull();
    const onWrong = wrong.core.handle('quarantine.list', {});
    expect(onWrong.events.map((e) => e.eventId)).toContain(logged.eventId);
    expect(new Set(onWrong.events.map((e) => e.code))).toEqual(new Set(['unknown_key']));

    // …and injects nothing: what it writes is quarantined on the team's laptops, visibly.
    const back = await startTestHub(hub.dbFile);
    hubs.push(back);
    for (const d of [a, b, wrong]) d.sync.configure({ hubUrl: back.url, token: back.token, enabled: true });
    // Into the team's incident (which the wrong laptop cannot even see, so written straight to its log) and a new one of its own.
    const at = Date.now();
    const injected = { eventId: uuidv7() };
    wrong.store.append(
      [
        {
          id: injected.eventId,
          incidentId,
          kind: 'timeline.entry',
          payload: { entryKind: 'decision', text: 'Stand down, it was a drill', occurredAt: at },
          actor: 'Mallory',
          deviceId: wrong.core.deviceId,
          hlc: encodeHlc({ wall: at, counter: 0, node: wrong.core.deviceId }),
          recordedAt: at,
        },
      ],
      { outbox: true },
    );
    const forged = wrong.core.handle('incident.declare', { ...declareInput, title: 'Forged incident' });
    await syncAll([wrong, a, b]);
    for (const member of [a, b]) {
      expect(texts(member, incidentId)).not.toContain('Stand down, it was a drill');
      expect(member.core.handle('incident.get', { incidentId: forged.incidentId }).incident).toBeNull();
      const listed = member.core.handle('quarantine.list', {});
      expect(listed.events.filter((e) => e.eventId === injected.eventId)).toEqual([expect.objectContaining({ code: 'unknown_key' })]);
      expect(member.sync.status().quarantined).toBe(listed.total);
      expect(listed.total).toBeGreaterThanOrEqual(2);
    }
    // Quarantined, never dropped: a laptop keeps the sealed form and relays it on as it came.
    expect(a.store.hasEvent(injected.eventId)).toBe(true);
  });

  test('a ciphertext changed on the hub is quarantined on arrival, and the rest of the record folds', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const kept = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'kept intact' });
    const changed = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    await syncAll([a]);
    await hub.stop();
    hubs.length = 0;

    // Someone with the hub's database flips one character of one sealed event.
    const db = new Database(hub.dbFile);
    const row = db.prepare<[string], { body: string }>('SELECT body FROM events WHERE id = ?').get(changed.eventId)!;
    const sealed = JSON.parse(row.body) as { box: string };
    const at = 20;
    sealed.box = sealed.box.slice(0, at) + (sealed.box[at] === 'A' ? 'B' : 'A') + sealed.box.slice(at + 1);
    db.prepare('UPDATE events SET body = ? WHERE id = ?').run(JSON.stringify(sealed), changed.eventId);
    db.close();

    const back = await startTestHub(hub.dbFile);
    hubs.push(back);
    const b = device({ hubUrl: back.url, token: back.token, keyring: ring });
    await syncAll([b]);
    expect(texts(b, incidentId)).toContain('kept intact');
    expect(texts(b, incidentId)).not.toContain(PHRASE);
    const listed = b.core.handle('quarantine.list', {});
    expect(listed.events).toEqual([expect.objectContaining({ eventId: changed.eventId, code: 'not_authentic', incidentId })]);
    expect(b.store.hasEvent(kept.eventId)).toBe(true);
  });

  test('after a rotation new events use the new key; a laptop left with the old keyring reads the old events only', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const first = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token: hub.token, keyring: first });
    const removed = device({ hubUrl: hub.url, token: hub.token, keyring: first });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'before the rotation' });
    await syncAll([a, removed]);
    expect(texts(removed, incidentId)).toContain('before the rotation');

    const rotated = rotateKeyring(first, Date.now());
    a.sync.setKeyring(rotated);
    const b = device({ hubUrl: hub.url, token: hub.token, keyring: rotated });
    const after = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'after the rotation' });
    await syncAll([a, b, removed]);
    // The member given the new keyring reads old and new.
    expect(texts(b, incidentId)).toEqual(expect.arrayContaining(['before the rotation', 'after the rotation']));
    // The removed laptop keeps what it could already read and cannot open what came after.
    expect(texts(removed, incidentId)).toContain('before the rotation');
    expect(texts(removed, incidentId)).not.toContain('after the rotation');
    expect(removed.core.handle('quarantine.list', {}).events).toEqual([expect.objectContaining({ eventId: after.eventId, code: 'unknown_key' })]);
  });

  test('a laptop that pulled before it had the key opens what it kept once the key arrives', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token: hub.token, keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    await syncAll([a]);
    // Joined the hub first (pairing goes through it), so it pulled everything sealed and kept it unopened.
    const late = device({ hubUrl: hub.url, token: hub.token });
    await syncAll([late]);
    expect(late.core.handle('incident.get', { incidentId }).incident).toBeNull();
    expect(new Set(late.core.handle('quarantine.list', {}).events.map((e) => e.code))).toEqual(new Set(['no_team_key']));
    // Searched before the key came: the search index's marker passes what could not be read.
    const search = (d: Device, query: string) => d.core.handle('library.search', { query }).hits.map((h) => h.eventId);
    expect(search(late, 'Mallory')).toEqual([]);
    late.sync.setKeyring(ring);
    expect(late.core.handle('quarantine.list', {}).total).toBe(0);
    expect(texts(late, incidentId)).toContain(PHRASE);
    expect(visibleRecord(late, incidentId)).toEqual(visibleRecord(a, incidentId));
    // Opened late, searchable all the same.
    expect(search(late, 'Mallory')).toEqual(search(a, 'Mallory'));
    expect(search(late, 'Mallory')).toHaveLength(1);

    // A redaction sealed with a key the laptop gets later takes its target out of the search once opened.
    const rotated = rotateKeyring(ring, Date.now());
    a.sync.setKeyring(rotated);
    const [target] = search(a, 'Mallory');
    a.core.handle('timeline.redact', { incidentId, targetId: target!, reason: 'credential in clear' });
    await syncAll([a, late]);
    expect(late.core.handle('quarantine.list', {}).events.map((e) => e.code)).toEqual(['unknown_key']);
    expect(search(late, 'Mallory')).toHaveLength(1);
    late.sync.setKeyring(rotated);
    expect(late.core.handle('quarantine.list', {}).total).toBe(0);
    expect(search(late, 'Mallory')).toEqual([]);
    expect(search(a, 'Mallory')).toEqual([]);
  });

  test('with PostgreSQL as the hub store the phrase is in none of its tables nor in its pg_dump backup', async () => {
    const postgres = await startTestPostgres();
    databases.push(postgres);
    const env = { DATABASE_URL: postgres.url };
    const created = await hubCli(['token', 'create', 'ops'], env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    const hub = await startHub({ args: [], env });
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ hubUrl: hub.url, token, keyring: ring });
    const b = device({ hubUrl: hub.url, token, keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const logged = a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: PHRASE });
    await syncAll([a, b]);
    expect(texts(b, incidentId)).toContain(PHRASE);

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows.map((r) => r.table_name)).toContain('hub_events');
      let everything = '';
      for (const { table_name } of tables.rows) {
        const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
        everything += rows.rows.map((r) => r.row).join('\n');
      }
      expect(everything).toContain(logged.eventId);
      expect(everything).not.toContain(PHRASE);
      expect(everything).not.toContain(declareInput.title);
    } finally {
      await client.end();
    }
    // Its backup (pg_dump, plain SQL: compressed formats would hide a phrase even if it were there).
    const dump = (await promisify(execFile)('pg_dump', ['--format=plain', `--dbname=${postgres.url}`], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    expect(dump).toContain('hub_events');
    expect(dump).toContain(logged.eventId);
    expect(dump).not.toContain(PHRASE);
    expect(dump).not.toContain(declareInput.title);
  });
});
