import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { foldIncident, viewIncident } from '../shared/record/fold.js';
import { encodeHlc } from '../shared/record/hlc.js';
import { WarroomCore } from '../electron/core/core.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, StoreVersionError, migrate, schemaVersion } from '../electron/store/migrations/index.js';
import { Outbox } from '../electron/store/outbox.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, fileFingerprint, shownCounts, tempDir } from './helpers.js';

function openCore(dir: string, now?: () => number) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', ...(now ? { now } : {}) });
  return { store, core };
}

function tables(db: Database.Database): Record<string, string> {
  const rows = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
}

describe('durability settings', () => {
  test('the store runs in WAL mode with synchronous=FULL', () => {
    const { store } = openCore(tempDir());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL: every commit is synced to the WAL before it is acknowledged.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    store.close();
  });
});

describe('migrations', () => {
  test('an empty file is migrated to the latest version with STRICT tables', () => {
    const { store } = openCore(tempDir());
    expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
    const schema = tables(store.db);
    for (const name of ['events', 'meta', 'incidents', 'outbox_skipped']) expect(schema[name]).toMatch(/\)\s*STRICT$/);
    store.close();
  });

  test('migration 1 creates the event log and metadata only', () => {
    const db = new Database(path.join(tempDir(), 'm1.sqlite'));
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(Object.keys(tables(db)).sort()).toEqual(['events', 'meta']);
    db.close();
  });

  test('migration 2 adds the incident projection and keeps existing events', () => {
    const db = new Database(path.join(tempDir(), 'm2.sqlite'));
    migrate(db, 1);
    db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES ('e1', 'i1', 'timeline.entry', 'h', 1, 1, 'a', 'd', '{}')`,
    ).run();
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(Object.keys(tables(db))).toContain('incidents');
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.close();
  });

  test('migration 3 queues every event already recorded for the hub, oldest first', () => {
    const db = new Database(path.join(tempDir(), 'm3.sqlite'));
    migrate(db, 2);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES (?, 'i1', 'timeline.entry', 'h', 1, 1, 'a', 'd', '{}')`,
    );
    for (const id of ['e1', 'e2', 'e3']) insert.run(id);
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT event_id FROM outbox ORDER BY seq').pluck().all()).toEqual(['e1', 'e2', 'e3']);
    db.close();
  });

  test('migration 5 indexes the words of events already recorded, then of each new event in its own transaction, never a redacted entry', () => {
    const db = new Database(path.join(tempDir(), 'm5.sqlite'));
    migrate(db, 4);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES (?, 'i1', ?, 'h', 1, 1, 'a', 'd', ?)`,
    );
    insert.run('e1', 'timeline.entry', JSON.stringify({ entryKind: 'note', text: 'Le générateur ne démarre pas', occurredAt: 1 }));
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    const search = (words: string) => db.prepare('SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY rowid').pluck().all(words);
    // Accents folded: "generateur" finds "générateur"; enum values (entryKind "note") are not indexed.
    expect(search('generateur')).toEqual([1]);
    expect(search('note')).toEqual([]);
    db.transaction(() => {
      insert.run('e2', 'timeline.entry', JSON.stringify({ entryKind: 'note', text: 'password hunter2', occurredAt: 1 }));
      expect(search('hunter2')).toEqual([2]);
      insert.run('e3', 'timeline.redacted', JSON.stringify({ targetId: 'e2', reason: 'credential', occurredAt: 1 }));
    })();
    expect(search('hunter2')).toEqual([]);
    // Arriving after its redaction (another laptop's order), an entry is never indexed.
    insert.run('e4', 'timeline.redacted', JSON.stringify({ targetId: 'e5', reason: 'credential', occurredAt: 1 }));
    insert.run('e5', 'timeline.entry', JSON.stringify({ entryKind: 'note', text: 'token swordfish', occurredAt: 1 }));
    expect(search('swordfish')).toEqual([]);
    expect(tables(db)['drill_injects']).toMatch(/\)\s*STRICT$/);
    db.close();
  });

  test('migration 6 adds the people directory beside the event log, one entry per name key, and touches no event', () => {
    const db = new Database(path.join(tempDir(), 'm6.sqlite'));
    migrate(db, 5);
    db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES ('e1', 'i1', 'timeline.entry', 'h', 1, 1, 'a', 'd', '{}')`,
    ).run();
    migrate(db, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(tables(db)['people']).toMatch(/\)\s*STRICT$/);
    const insert = db.prepare("INSERT INTO people (id, name, name_key, updated_at) VALUES (?, ?, 'ana', 1)");
    insert.run('p1', 'Ana');
    expect(() => insert.run('p2', 'ANA')).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT team, contact FROM people').get()).toEqual({ team: '', contact: '' });
    expect(db.prepare('SELECT id FROM events').pluck().all()).toEqual(['e1']);
    db.close();
  });

  test('migration 8 takes the search index off the append: no row is indexed by the insert, the marker starts at the last event, withheld text still leaves the index', () => {
    const db = new Database(path.join(tempDir(), 'm8.sqlite'));
    migrate(db, 7);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES (?, 'i1', ?, 'h', 1, 1, 'a', 'd', ?)`,
    );
    const entry = (text: string) => JSON.stringify({ entryKind: 'note', text, occurredAt: 1 });
    insert.run('e1', 'timeline.entry', entry('password hunter2'));
    insert.run('e2', 'timeline.entry', entry('generator on fire'));
    migrate(db, 8);
    expect(schemaVersion(db)).toBe(8);
    const search = (words: string) => db.prepare('SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY rowid').pluck().all(words);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'library.indexedUpTo'").pluck().get()).toBe('2');
    expect(search('generator')).toEqual([2]);
    insert.run('e3', 'timeline.entry', entry('generator refuelled'));
    expect(search('generator')).toEqual([2]);
    // A redaction still takes what was indexed out of the index in its own transaction.
    insert.run('e4', 'timeline.redacted', JSON.stringify({ targetId: 'e1', reason: 'credential', occurredAt: 1 }));
    expect(search('hunter2')).toEqual([]);
    db.close();
  });

  test('migration 9 turns the outbox table into a marker and skipped ranges, keeping exactly the events that were queued, oldest first', () => {
    const db = new Database(path.join(tempDir(), 'm9.sqlite'));
    migrate(db, 8);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES (?, 'i1', 'timeline.entry', 'h', 1, 1, 'a', 'd', '{}')`,
    );
    for (const id of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6']) insert.run(id);
    // e1 was acknowledged, e3 and e5 came from the hub: e2, e4 and e6 are waiting.
    db.exec("DELETE FROM outbox; INSERT INTO outbox (event_id) VALUES ('e2'), ('e4'), ('e6')");
    migrate(db, 9);
    expect(schemaVersion(db)).toBe(9);
    expect(tables(db)['outbox']).toBeUndefined();
    expect(db.prepare("SELECT value FROM meta WHERE key = 'sync.pushedUpTo'").pluck().get()).toBe('1');
    expect(db.prepare('SELECT from_seq, to_seq FROM outbox_skipped ORDER BY from_seq').raw().all()).toEqual([
      [3, 3],
      [5, 5],
    ]);
    // Today's outbox on it (the later migrations leave the marker and the ranges as they are).
    migrate(db);
    const outbox = new Outbox(db);
    expect(outbox.waiting(10)).toEqual([2, 4, 6]);
    expect(outbox.count()).toBe(3);
    // The hub takes the oldest two: the marker moves past them and past the pulled event between.
    outbox.acknowledge(['e2', 'e4']);
    expect(outbox.waiting(10)).toEqual([6]);
    expect(outbox.count()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM outbox_skipped').pluck().get()).toBe(0);
    db.close();
  });

  test('the outbox writes nothing for a local append and one range per unqueued append, none when nothing waits', () => {
    const db = new Database(path.join(tempDir(), 'outbox.sqlite'));
    migrate(db);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
       VALUES (?, 'i1', 'timeline.entry', 'h', 1, 1, 'a', 'd', '{}')`,
    );
    const outbox = new Outbox(db);
    const skipped = () => db.prepare('SELECT from_seq, to_seq FROM outbox_skipped ORDER BY from_seq').raw().all();
    // A pulled page while nothing waits: the marker moves past it.
    for (const id of ['p1', 'p2', 'p3']) insert.run(id);
    outbox.skip(1, 3);
    expect([outbox.count(), skipped()]).toEqual([0, []]);
    insert.run('l4');
    // Two pulled pages after a local entry: one range, extended.
    for (const id of ['p5', 'p6', 'p7']) insert.run(id);
    outbox.skip(5, 6);
    outbox.skip(7, 7);
    expect([outbox.waiting(10), outbox.count(), skipped()]).toEqual([[4], 1, [[5, 7]]]);
    // An event the hub refuses leaves the outbox without an acknowledgement; nothing else moves.
    insert.run('l8');
    insert.run('l9');
    outbox.drop(8);
    outbox.drop(5);
    expect([outbox.waiting(10), outbox.count(), outbox.isWaiting(8), outbox.isWaiting(9)]).toEqual([[4, 9], 2, false, true]);
    outbox.requeueAll();
    expect(outbox.count()).toBe(9);
    db.close();
  });

  test('migration 10 leaves one index on timeline_rows, the one the console reads shown rows through', () => {
    const db = new Database(path.join(tempDir(), 'm10.sqlite'));
    migrate(db, 9);
    const indexes = () =>
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'timeline_rows' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes()).toEqual(['timeline_rows_all', 'timeline_rows_shown', 'timeline_rows_target']);
    migrate(db, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(indexes()).toEqual(['timeline_rows_shown', 'timeline_rows_target']);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT seq FROM timeline_rows WHERE incident_id = 'i1' AND shown = 1 ORDER BY occurred_at, hlc").all() as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX timeline_rows_shown/);
    db.close();
  });

  test('migration 12 drops the triggers that withheld words; the store withholds them itself, typed here or pulled', () => {
    const db = new Database(path.join(tempDir(), 'm12.sqlite'));
    migrate(db, 11);
    const triggers = () => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").pluck().all();
    expect(triggers()).toEqual(['library_unindex_redacted', 'library_unindex_removed']);
    migrate(db, 12);
    expect(schemaVersion(db)).toBe(12);
    expect(triggers()).toEqual([]);
    db.close();

    const { store, core } = openCore(tempDir());
    const { incidentId } = core.handle('incident.declare', declareInput);
    const typed = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'The vault code is marmalade' });
    const pulled = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'The backup code is gooseberry' });
    core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
    core.handle('incident.setStatus', { incidentId, status: 'resolved' });
    const { noteId } = core.handle('review.saveNote', { incidentId, section: 'lesson', text: 'Rotate the zebra keys yearly', cites: [] });
    store.searchIndex.catchUp();
    const indexed = (word: string) => store.db.prepare('SELECT count(*) FROM library_fts WHERE library_fts MATCH ?').pluck().get(`"${word}"`);
    expect([indexed('marmalade'), indexed('gooseberry'), indexed('zebra')]).toEqual([1, 1, 1]);
    core.handle('timeline.redact', { incidentId, targetId: typed.eventId, reason: 'credential' });
    core.handle('review.remove', { incidentId, itemId: noteId });
    // A redaction made on another laptop, arriving by a pull.
    const at = Date.now();
    core.ingest([
      {
        id: '019a0000-0000-7000-8000-000000000001',
        incidentId,
        kind: 'timeline.redacted',
        payload: { targetId: pulled.eventId, reason: 'credential', occurredAt: at },
        actor: 'Far Away',
        deviceId: 'laptop-far',
        hlc: encodeHlc({ wall: at, counter: 0, node: 'laptop-far' }),
        recordedAt: at,
      },
    ]);
    expect([indexed('marmalade'), indexed('gooseberry'), indexed('zebra')]).toEqual([0, 0, 0]);
    store.close();
  });

  test('migration 11 indexes the delivery view’s events of a file already holding some, and only those', () => {
    const db = new Database(path.join(tempDir(), 'm11.sqlite'));
    migrate(db, 10);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, 'i1', ?, ?, 1, 1, 'Ana', 'd1', '{}')`,
    );
    ['timeline.entry', 'delivery.requested', 'incident.status', 'delivery.outcome', 'status.visibility', 'status.published', 'comms.drafted'].forEach(
      (kind, i) => insert.run(`e${i}`, kind, `h${i}`),
    );
    migrate(db, 11);
    expect(schemaVersion(db)).toBe(11);
    const indexed = db
      .prepare(
        "SELECT kind FROM events INDEXED BY events_delivery_state WHERE incident_id = 'i1' AND kind IN ('delivery.requested', 'delivery.outcome', 'status.visibility', 'status.published') ORDER BY occurred_at, hlc",
      )
      .pluck()
      .all();
    expect(indexed).toEqual(['delivery.requested', 'delivery.outcome', 'status.visibility', 'status.published']);
    // A partial index: an append of any other kind never writes to it.
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events_delivery_state'").pluck().get()).toMatch(/WHERE kind IN/);
    db.close();
  });

  test('migration 13 adds the sealed outbox, empty, beside a queue that stays as it was', () => {
    const db = new Database(path.join(tempDir(), 'm13.sqlite'));
    migrate(db, 12);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, 'i1', 'timeline.entry', ?, 1, 1, 'Ana', 'd1', '{}')`,
    );
    for (let i = 0; i < 3; i++) insert.run(`e${i}`, `h${i}`);
    const queued = () => db.prepare("SELECT value FROM meta WHERE key = 'sync.pushedUpTo'").pluck().get();
    const before = queued();
    migrate(db, 13);
    expect(schemaVersion(db)).toBe(13);
    expect(queued()).toBe(before);
    expect(db.prepare('SELECT count(*) FROM outbox_sealed').pluck().get()).toBe(0);
    db.prepare("INSERT INTO outbox_sealed (seq, key_id, wire) VALUES (1, '0123456789abcdef', '{}')").run();
    // STRICT: a row is what the store writes, or nothing.
    expect(() => db.prepare("INSERT INTO outbox_sealed (seq, key_id, wire) VALUES (2, 'k', x'00')").run()).toThrow(/cannot store BLOB/);
    db.close();
  });

  test('migration 14 counts each incident’s shown rows of a file already holding some, and its triggers keep the count', () => {
    const db = new Database(path.join(tempDir(), 'm14.sqlite'));
    migrate(db, 13);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, ?, 'timeline.entry', ?, 1, 1, 'Ana', 'd1', '{}')`,
    );
    const row = db.prepare(`INSERT INTO timeline_rows (seq, incident_id, shown, occurred_at, hlc, badge, actor) VALUES (?, ?, ?, 1, ?, 'note', 'Ana')`);
    const add = (i: number, incident: string, shown: 0 | 1) =>
      row.run(Number(insert.run(`e${i}`, incident, `h${i}`).lastInsertRowid), incident, shown, `h${i}`);
    [1, 1, 0, 1].forEach((shown, i) => add(i, 'i1', shown as 0 | 1));
    add(4, 'i2', 0);
    migrate(db, 14);
    expect(schemaVersion(db)).toBe(14);
    const kept = () => db.prepare('SELECT incident_id, shown FROM timeline_shown_counts ORDER BY incident_id').all();
    expect(kept()).toEqual([{ incident_id: 'i1', shown: 3 }]);
    add(5, 'i2', 1);
    add(6, 'i2', 0);
    db.prepare('UPDATE timeline_rows SET shown = 1 WHERE seq = 7').run();
    db.prepare('UPDATE timeline_rows SET shown = 0 WHERE seq = 1').run();
    // An update that leaves shown as it was counts nothing twice.
    db.prepare('UPDATE timeline_rows SET shown = 1 WHERE seq = 2').run();
    db.prepare('DELETE FROM timeline_rows WHERE seq = 4').run();
    db.prepare('DELETE FROM timeline_rows WHERE seq = 3').run();
    expect(kept()).toEqual([
      { incident_id: 'i1', shown: 1 },
      { incident_id: 'i2', shown: 2 },
    ]);
    expect(shownCounts(db).kept).toEqual(shownCounts(db).counted);
    db.close();
  });

  test('migration 15 leaves the shown counts to the store: no trigger adds to them any more, and what the store writes is counted once', () => {
    const file = path.join(tempDir(), 'm15.sqlite');
    const db = new Database(file);
    migrate(db, 14);
    db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES ('e1', 'i1', 'timeline.entry', 'h1', 1, 1, 'Ana', 'd1', '{}')`,
    ).run();
    db.prepare(`INSERT INTO timeline_rows (seq, incident_id, shown, occurred_at, hlc, badge, actor) VALUES (1, 'i1', 1, 1, 'h1', 'note', 'Ana')`).run();
    migrate(db, 15);
    expect(schemaVersion(db)).toBe(15);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all()).toEqual([
      'timeline_shown_count_delete',
      'timeline_shown_count_update',
    ]);
    db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES ('e2', 'i1', 'timeline.entry', 'h2', 1, 1, 'Ana', 'd1', '{}')`,
    ).run();
    db.prepare(`INSERT INTO timeline_rows (seq, incident_id, shown, occurred_at, hlc, badge, actor) VALUES (2, 'i1', 1, 1, 'h2', 'note', 'Ana')`).run();
    expect(db.prepare('SELECT incident_id, shown FROM timeline_shown_counts').all()).toEqual([{ incident_id: 'i1', shown: 1 }]);
    db.close();
    const store = Store.open(path.join(tempDir(), STORE_FILE_NAME));
    try {
      const core = new WarroomCore(store, { dataDir: tempDir(), transport: 'browser' });
      const { incidentId } = core.handle('incident.declare', declareInput);
      core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'One' });
      expect(store.timelineRows.shownCount(incidentId)).toBe(2);
      expect(shownCounts(store.db).kept).toEqual(shownCounts(store.db).counted);
    } finally {
      store.close();
    }
  });

  test('migration 16 keeps the counts up to a marker at the last row, and its triggers adjust only the rows at or below it', () => {
    const db = new Database(path.join(tempDir(), 'm16.sqlite'));
    migrate(db, 15);
    const insert = db.prepare(
      `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, ?, 'timeline.entry', ?, 1, 1, 'Ana', 'd1', '{}')`,
    );
    const row = db.prepare(`INSERT INTO timeline_rows (seq, incident_id, shown, occurred_at, hlc, badge, actor) VALUES (?, ?, ?, 1, ?, 'note', 'Ana')`);
    const add = (i: number, incident: string, shown: 0 | 1) =>
      row.run(Number(insert.run(`e${i}`, incident, `h${i}`).lastInsertRowid), incident, shown, `h${i}`);
    // As migration 15 left a file: the store added to the counts of each row it wrote.
    [1, 1, 0].forEach((shown, i) => add(i, 'i1', shown as 0 | 1));
    db.prepare(`INSERT INTO timeline_shown_counts (incident_id, shown) VALUES ('i1', 2)`).run();
    migrate(db, 16);
    expect(schemaVersion(db)).toBe(16);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'timeline.countedUpTo'").pluck().get()).toBe('3');
    const kept = () => db.prepare('SELECT incident_id, shown FROM timeline_shown_counts ORDER BY incident_id').all();
    // Above the marker: nothing is written to the counts, whatever happens to the row.
    add(3, 'i1', 1);
    add(4, 'i2', 1);
    db.prepare('UPDATE timeline_rows SET shown = 0 WHERE seq = 4').run();
    db.prepare('DELETE FROM timeline_rows WHERE seq = 5').run();
    expect(kept()).toEqual([{ incident_id: 'i1', shown: 2 }]);
    // At or below it: hidden, shown again, removed, as migration 14's triggers did.
    db.prepare('UPDATE timeline_rows SET shown = 0 WHERE seq = 1').run();
    db.prepare('UPDATE timeline_rows SET shown = 1 WHERE seq = 3').run();
    db.prepare('UPDATE timeline_rows SET shown = 1 WHERE seq = 2').run();
    db.prepare('DELETE FROM timeline_rows WHERE seq = 2').run();
    expect(kept()).toEqual([{ incident_id: 'i1', shown: 1 }]);
    expect(shownCounts(db).kept).toEqual(shownCounts(db).counted);
    db.close();
  });

  test('every migration is numbered in sequence from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  test('a failing step leaves the file at its previous version', () => {
    const db = new Database(path.join(tempDir(), 'bad.sqlite'));
    migrate(db, 1);
    db.exec('CREATE TABLE incidents (x)'); // collides with migration 2
    expect(() => migrate(db)).toThrow(/already exists/);
    expect(schemaVersion(db)).toBe(1);
    db.close();
  });

  test('a file written by a newer version is refused, untouched, with a clear message', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE_NAME);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    db.close();
    const before = fileFingerprint(file);
    let error: unknown;
    try {
      Store.open(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as Error).message).toMatch(/newer version of Warroom.*Update Warroom/);
    expect(fileFingerprint(file)).toBe(before);
  });
});

describe('append and reopen', () => {
  test('10,000 appends, then reopen: the projection equals the fold of every event on disk', () => {
    const dir = tempDir();
    let t = Date.UTC(2026, 10, 25, 9, 0);
    const { store, core } = openCore(dir, () => (t += 7));
    const { incidentId } = core.handle('incident.declare', declareInput);
    const taskIds: string[] = [];
    const draftIds: string[] = [];
    const statuses = ['investigating', 'mitigated'] as const;
    for (let i = 1; i < 10_000; i++) {
      const n = i % 10;
      if (n === 0 && taskIds.length < 400) taskIds.push(core.handle('task.create', { incidentId, title: `Task ${i}`, owner: '' }).taskId);
      else if (n === 1 && taskIds.length) core.handle('task.assign', { incidentId, taskId: taskIds[i % taskIds.length]!, owner: `Owner ${i}` });
      else if (n === 2 && draftIds.length < 50)
        draftIds.push(core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'email', body: `Update ${i}` }).draftId);
      else if (n === 3 && i % 1000 === 3) core.handle('incident.setStatus', { incidentId, status: statuses[((i / 1000) | 0) % 2]! });
      else core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Note ${i}` });
    }
    const live = viewIncident(store.incidentState(incidentId));
    store.close();

    const reopened = Store.open(path.join(dir, STORE_FILE_NAME));
    expect(reopened.eventCount()).toBe(10_000);
    const events = reopened.incidentEvents(incidentId);
    const folded = foldIncident(incidentId, events);
    expect(reopened.incidentState(incidentId)).toEqual(folded);
    expect(viewIncident(folded)).toEqual(live);
    expect(reopened.timeline(incidentId, 0, 10).total).toBe(10_000);
    reopened.close();
    // 10,000 durable commits (an fsync each): minutes on a busy 2-core machine, not a timing assertion.
  }, 300_000);

  test('appending an event that is already stored changes nothing', () => {
    const { store, core } = openCore(tempDir());
    const { incidentId } = core.handle('incident.declare', declareInput);
    const events = store.incidentEvents(incidentId);
    expect(store.append(events)).toEqual([]);
    expect(store.eventCount()).toBe(1);
    store.close();
  });
});

describe('bad input', () => {
  test('an invalid event is refused with a clear error and the file is unchanged', () => {
    const dir = tempDir();
    const { store, core } = openCore(dir);
    const { incidentId } = core.handle('incident.declare', declareInput);
    const [good] = store.incidentEvents(incidentId);
    const file = path.join(dir, STORE_FILE_NAME);
    const before = fileFingerprint(file);
    // An envelope that is not an event cannot be kept (a payload that cannot be folded is quarantined: test/untrusted-input.test.ts).
    const bad = {
      ...good!,
      id: '018f0000-0000-7000-8000-000000000001',
      kind: 'timeline.entry',
      hlc: 'yesterday',
      payload: { entryKind: 'note', text: 'x', occurredAt: 1 },
    };
    expect(() => store.append([bad])).toThrow(ApiError);
    expect(() => store.append([bad])).toThrow(/Event 1 of 1 is invalid: hlc: must be an HLC stamp/);
    expect(fileFingerprint(file)).toBe(before);
    expect(store.eventCount()).toBe(1);
    store.close();
  });

  test('a batch with one invalid event writes none of it', () => {
    const { store, core } = openCore(tempDir());
    const { incidentId } = core.handle('incident.declare', declareInput);
    const [good] = store.incidentEvents(incidentId);
    const fresh = { ...good!, id: '018f0000-0000-7000-8000-000000000002', kind: 'timeline.entry', payload: { entryKind: 'note', text: 'ok', occurredAt: 1 } };
    expect(() => store.append([fresh, { ...fresh, id: 'not-a-uuid' }])).toThrow(/Event 2 of 2 is invalid: id/);
    expect(store.hasEvent(fresh.id)).toBe(false);
    store.close();
  });

  test('a command with a bad payload is refused with a clear error and records nothing', () => {
    const dir = tempDir();
    const { store, core } = openCore(dir);
    const { incidentId } = core.handle('incident.declare', declareInput);
    const before = fileFingerprint(path.join(dir, STORE_FILE_NAME));
    expect(() => core.handle('timeline.log', { incidentId, entryKind: 'gossip', text: 'x' })).toThrow(/entryKind/);
    expect(() => core.handle('timeline.log', { incidentId, entryKind: 'note', text: '   ' })).toThrow(/text/);
    expect(() => core.handle('incident.declare', { ...declareInput, title: 'x'.repeat(201) })).toThrow(/title/);
    expect(() => core.handle('timeline.log', { incidentId: '018f0000-0000-7000-8000-00000000ffff', entryKind: 'note', text: 'x' })).toThrow(/No incident/);
    expect(() => core.handle('nope.channel', {})).toThrow(/Unknown channel/);
    expect(fileFingerprint(path.join(dir, STORE_FILE_NAME))).toBe(before);
    store.close();
  });
});

describe('after an upgrade', () => {
  test('events of a kind the older version did not know are folded in once this version knows it', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE_NAME);
    const { store, core } = openCore(dir);
    const { incidentId } = core.handle('incident.declare', declareInput);
    const [declared] = store.incidentEvents(incidentId);
    // As an older build would have stored it: the kind was unknown then, so the projection ignored it.
    store.db
      .prepare(
        `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)
         VALUES (?, ?, 'incident.status', ?, ?, ?, 'Newer laptop', 'newer', ?)`,
      )
      .run(
        '018f0000-0000-7000-8000-0000000000b1',
        incidentId,
        `${declared!.hlc.slice(0, 15)}:zzzzzz:newer`,
        1,
        1,
        JSON.stringify({ status: 'mitigated', occurredAt: 1 }),
      );
    store.setMeta('fold.knownKinds', JSON.stringify(['incident.declared']));
    store.close();

    const upgraded = Store.open(file);
    expect(viewIncident(upgraded.incidentState(incidentId))?.status).toBe('mitigated');
    expect(upgraded.getMeta('fold.knownKinds')).toContain('incident.status');
    upgraded.close();
  });
});

describe('after an upgrade that folds a kind it used to skip', () => {
  test('an incident whose alert.resolved events an older version kept unfolded says its alert resolved once opened by this version', () => {
    const dir = tempDir();
    const file = path.join(dir, STORE_FILE_NAME);
    const { store, core } = openCore(dir);
    const { incidentId } = core.handle('incident.declare', declareInput);
    const [declared] = store.incidentEvents(incidentId);
    const endsAt = declared!.recordedAt + 60_000;
    core.ingest([
      {
        id: '018f0000-0000-7000-8000-0000000000c1',
        incidentId,
        kind: 'alert.resolved',
        payload: { fingerprint: 'fp-db', title: 'DB down', endsAt, occurredAt: endsAt },
        actor: 'Maya',
        deviceId: 'other',
        hlc: encodeHlc({ wall: endsAt, counter: 0, node: 'other' }),
        recordedAt: endsAt,
      },
    ]);
    expect(viewIncident(store.incidentState(incidentId))?.resolvedAlerts).toEqual([{ fingerprint: 'fp-db', endsAt }]);
    // As the older version left it: the event in the log, the saved state without it, its kinds folded.
    const saved = JSON.parse(store.db.prepare<[string], { state: string }>('SELECT state FROM incidents WHERE id = ?').get(incidentId)!.state) as Record<
      string,
      unknown
    >;
    delete saved['alertResolutions'];
    store.db.prepare('UPDATE incidents SET state = ? WHERE id = ?').run(JSON.stringify(saved), incidentId);
    store.setMeta('fold.knownKinds', JSON.stringify(JSON.parse(store.getMeta('fold.knownKinds')!).filter((k: string) => k.includes('.') && !k.includes('@'))));
    store.close();

    const upgraded = Store.open(file);
    expect(viewIncident(upgraded.incidentState(incidentId))?.resolvedAlerts).toEqual([{ fingerprint: 'fp-db', endsAt }]);
    expect(upgraded.getMeta('fold.knownKinds')).toContain('alert.resolved@incident');
    upgraded.close();
  });
});

describe('migration 4: timeline rows', () => {
  test('a file from before the timeline rows gets them, built from its log, corrections and stars applied', () => {
    // The events as a laptop of this version records them, copied into a file still at schema v3.
    const { store: source, core } = openCore(tempDir());
    const { incidentId } = core.handle('incident.declare', declareInput);
    const late = core.handle('timeline.log', { incidentId, entryKind: 'finding', text: 'Disk full on db-2' }).eventId;
    core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Paged the DBA' });
    core.handle('timeline.correct', { incidentId, targetId: late, occurredAt: declareInput.occurredAt - 60_000 });
    core.handle('timeline.star', { incidentId, targetId: late, starred: true });
    const events = source.incidentEvents(incidentId);
    source.close();

    const file = path.join(tempDir(), STORE_FILE_NAME);
    const old = new Database(file);
    migrate(old, 3);
    const insert = old.prepare(
      'INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of events) insert.run(e.id, e.incidentId, e.kind, e.hlc, 0, e.recordedAt, e.actor, e.deviceId, JSON.stringify(e.payload));
    old.close();

    const upgraded = Store.open(file);
    expect(schemaVersion(upgraded.db)).toBe(LATEST_SCHEMA_VERSION);
    const filter = { text: '', kinds: [], actors: [], starred: false };
    const window = upgraded.timelineRows.query({ incidentId, filter, offset: 0, limit: 10, fromEnd: false });
    expect(window.rows.map((r) => r.text ?? r.event.kind)).toEqual(['Disk full on db-2', 'incident.declared', 'Paged the DBA']);
    expect(window.rows[0]).toMatchObject({ starred: true, edits: 1, occurredAt: declareInput.occurredAt - 60_000 });
    upgraded.close();
  });
});
