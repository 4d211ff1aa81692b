import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, shownCounts, tempDir } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 25, 9, 30);

/** A core on a real SQLite file, with a clock the test moves. */
function openCore(dir = tempDir(), actor = 'Alice') {
  let now = T0;
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => now });
  core.handle('settings.setActor', { actor });
  return {
    dir,
    store,
    core,
    tick(ms = 1000) {
      now += ms;
      return now;
    },
  };
}

const texts = (rows: { text: string | null }[]) => rows.map((r) => r.text);

function incidentWithNotes() {
  const c = openCore();
  const { incidentId } = c.core.handle('incident.declare', { ...declareInput, occurredAt: T0 - 20 * MIN, detectedAt: T0 - 10 * MIN });
  const ids: Record<string, string> = {};
  for (const [kind, text] of [
    ['note', 'Error rate at 60%'],
    ['finding', 'DB primary at 100% CPU'],
    ['hypothesis', 'Cache stampede after deploy'],
    ['decision', 'Roll back to v41'],
  ] as const) {
    c.tick(MIN);
    ids[text] = c.core.handle('timeline.log', { incidentId, entryKind: kind, text }).eventId;
  }
  return { ...c, incidentId, ids };
}

const query = (core: WarroomCore, incidentId: string, extra: Record<string, unknown> = {}) => core.handle('timeline.query', { incidentId, ...extra });

describe('timeline rows in the store', () => {
  test('a corrected occurred-at moves the entry, in the query and in timeline.list; recorded-at never changes', () => {
    const { core, incidentId, ids, tick } = incidentWithNotes();
    const decision = ids['Roll back to v41']!;
    tick();
    core.handle('timeline.correct', { incidentId, targetId: decision, occurredAt: T0 - 15 * MIN });
    const window = query(core, incidentId);
    expect(window.total).toBe(5);
    expect(texts(window.rows)).toEqual([null, 'Roll back to v41', 'Error rate at 60%', 'DB primary at 100% CPU', 'Cache stampede after deploy']);
    const moved = window.rows[1]!;
    expect(moved).toMatchObject({ occurredAt: T0 - 15 * MIN, edits: 1, badge: 'decision' });
    expect(moved.event.recordedAt).toBe(T0 + 4 * MIN);

    const list = core.handle('timeline.list', { incidentId });
    // The log keeps the correction too, at the moment it was made.
    expect(list.entries.map((e) => e.kind)).toEqual([
      'incident.declared',
      'timeline.entry',
      'timeline.entry',
      'timeline.entry',
      'timeline.entry',
      'timeline.corrected',
    ]);
    expect(list.entries[1]!.id).toBe(decision);
  });

  test('a corrected text shows with the number of edits, and the history lists every version with who and when', () => {
    const { core, incidentId, ids, tick } = incidentWithNotes();
    const finding = ids['DB primary at 100% CPU']!;
    tick(MIN);
    core.handle('timeline.correct', { incidentId, targetId: finding, text: 'DB primary at 95% CPU' });
    core.handle('settings.setActor', { actor: 'Bruno' });
    tick(MIN);
    core.handle('timeline.correct', { incidentId, targetId: finding, text: 'DB primary at 97% CPU', occurredAt: T0 - MIN });
    const row = query(core, incidentId, { aroundId: finding });
    expect(row.rows[row.index! - row.offset]).toMatchObject({ text: 'DB primary at 97% CPU', edits: 2, occurredAt: T0 - MIN });

    const { versions } = core.handle('timeline.history', { incidentId, targetId: finding });
    expect(versions.map((v) => [v.change, v.actor, v.text, v.occurredAt, v.recordedAt])).toEqual([
      ['original', 'Alice', 'DB primary at 100% CPU', T0 + 2 * MIN, T0 + 2 * MIN],
      ['corrected', 'Alice', 'DB primary at 95% CPU', null, T0 + 5 * MIN],
      ['corrected', 'Bruno', 'DB primary at 97% CPU', T0 - MIN, T0 + 6 * MIN],
    ]);
  });

  test('a redaction keeps the entry and its reason, and its words leave every read', () => {
    const { core, incidentId, ids } = incidentWithNotes();
    const note = ids['Error rate at 60%']!;
    core.handle('timeline.redact', { incidentId, targetId: note, reason: 'Pasted a customer card number' });
    const window = query(core, incidentId);
    const row = window.rows.find((r) => r.event.id === note)!;
    expect(row).toMatchObject({ text: null, redaction: { reason: 'Pasted a customer card number', by: 'Alice' } });
    expect(row.event.payload).toEqual({});
    expect(JSON.stringify(window)).not.toContain('Error rate');
    expect(query(core, incidentId, { filter: { text: 'error rate' } }).total).toBe(0);
    expect(query(core, incidentId, { filter: { text: 'card number' } }).rows.map((r) => r.event.id)).toEqual([note]);
    const history = core.handle('timeline.history', { incidentId, targetId: note });
    expect(JSON.stringify(history)).not.toContain('Error rate');
    expect(history.versions.map((v) => v.change)).toEqual(['original', 'redacted']);
    // The original stays in the log.
    expect(JSON.stringify(core.handle('timeline.list', { incidentId }))).toContain('Error rate at 60%');
    expect(() => core.handle('timeline.correct', { incidentId, targetId: note, text: 'x' })).toThrow(/redacted by Alice/);
    expect(() => core.handle('timeline.redact', { incidentId, targetId: note, reason: 'again' })).toThrow(/already redacted/);
  });

  test('filters by kind, author, words (without case or accents) and star, and counts what matches', () => {
    const { core, incidentId, ids, tick } = incidentWithNotes();
    core.handle('settings.setActor', { actor: 'Chloé' });
    tick();
    core.handle('timeline.log', { incidentId, entryKind: 'external', text: 'Customer calls: checkout down' });
    core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
    core.handle('timeline.star', { incidentId, targetId: ids['Roll back to v41']!, starred: true });
    core.handle('timeline.star', { incidentId, targetId: ids['Error rate at 60%']!, starred: true });
    core.handle('timeline.star', { incidentId, targetId: ids['Error rate at 60%']!, starred: false });

    const only = (filter: Record<string, unknown>) => query(core, incidentId, { filter }).rows.map((r) => r.text ?? r.event.kind);
    expect(only({ kinds: ['decision', 'external'] })).toEqual(['Roll back to v41', 'Customer calls: checkout down']);
    expect(only({ kinds: ['status'] })).toEqual(['incident.status']);
    expect(only({ actors: ['Chloé'] })).toEqual(['Customer calls: checkout down', 'incident.status']);
    expect(only({ text: 'CHLOE' })).toEqual(['Customer calls: checkout down', 'incident.status']);
    expect(only({ text: 'cache' })).toEqual(['Cache stampede after deploy']);
    expect(only({ starred: true })).toEqual(['Roll back to v41']);
    expect(only({ starred: true, text: 'nothing like this' })).toEqual([]);
    const both = query(core, incidentId, { filter: { kinds: ['note', 'decision'] } });
    expect([both.total, both.all]).toEqual([2, 7]);
    expect(core.handle('timeline.authors', { incidentId })).toEqual(['Alice', 'Chloé']);
  });

  test('a filter asked before the index is read answers from SQLite, exactly as the index answers it', () => {
    const { dir, store, core, incidentId, ids, tick } = incidentWithNotes();
    core.handle('settings.setActor', { actor: 'Chloé' });
    tick();
    core.handle('timeline.log', { incidentId, entryKind: 'external', text: 'Customer calls: checkout down' });
    core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
    core.handle('timeline.star', { incidentId, targetId: ids['Roll back to v41']!, starred: true });
    core.handle('timeline.redact', { incidentId, targetId: ids['Cache stampede after deploy']!, reason: 'wrong channel' });
    const asks = [
      { filter: { text: 'CHLOE' } },
      { filter: { text: 'roll' } },
      { filter: { text: 'cache' } },
      { filter: { kinds: ['decision', 'external'] } },
      { filter: { actors: ['Alice'] }, fromEnd: true, limit: 2 },
      { filter: { actors: ['Alice'] }, offset: 1, limit: 2 },
      { filter: { starred: true } },
      { filter: { starred: true, text: 'v41', kinds: ['decision'], actors: ['Alice'] } },
      { filter: { text: 'nothing like this' } },
    ];
    // Read through the incident's index, held in memory once a row is looked up by id.
    query(core, incidentId, { aroundId: ids['Error rate at 60%'] });
    const fromIndex = asks.map((ask) => query(core, incidentId, ask));
    expect(fromIndex.map((w) => w.total)).toEqual([2, 1, 0, 2, 5, 5, 1, 1, 0]);
    store.close();
    for (const [i, ask] of asks.entries()) {
      // A fresh start each time: no index in memory yet.
      const again = openCore(dir);
      expect(query(again.core, incidentId, ask), JSON.stringify(ask)).toEqual(fromIndex[i]);
      again.store.close();
    }
  });

  test('after a restart the first window comes from SQLite, the index is read behind it, and entries made meanwhile are all in it', async () => {
    const { dir, store, core, incidentId, ids, tick } = incidentWithNotes();
    const expected = query(core, incidentId, { fromEnd: true, limit: 3 });
    store.close();
    const again = openCore(dir);
    const first = query(again.core, incidentId, { fromEnd: true, limit: 3 });
    expect(first).toEqual(expected);
    expect(query(again.core, incidentId, { offset: 1, limit: 2 }).rows.map((r) => r.text)).toEqual(['Error rate at 60%', 'DB primary at 100% CPU']);
    expect(again.core.handle('timeline.authors', { incidentId })).toEqual(['Alice']);
    // While the index is being read: one entry logged, one corrected to an earlier time.
    again.tick(10 * MIN);
    again.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Rollback done' });
    again.core.handle('timeline.correct', { incidentId, targetId: ids['Roll back to v41']!, occurredAt: T0 - 15 * MIN });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // A filter reads the index built in the background: both changes are in it, as in an index read from scratch.
    const byAlice = { filter: { text: '', kinds: [], actors: ['Alice'], starred: false }, limit: 100 };
    const built = query(again.core, incidentId, byAlice);
    expect(texts(built.rows)).toEqual([
      null,
      'Roll back to v41',
      'Error rate at 60%',
      'DB primary at 100% CPU',
      'Cache stampede after deploy',
      'Rollback done',
    ]);
    again.store.close();
    expect(query(openCore(dir).core, incidentId, byAlice)).toEqual(built);
    void tick;
  });

  test('windows: from the end, from an offset, and around an entry', () => {
    const c = openCore();
    const { incidentId } = c.core.handle('incident.declare', { ...declareInput, occurredAt: T0 - 20 * MIN, detectedAt: T0 - 10 * MIN });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      c.tick();
      ids.push(c.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i}` }).eventId);
    }
    const end = query(c.core, incidentId, { fromEnd: true, limit: 10 });
    expect([end.offset, end.total, end.rows.length, end.rows.at(-1)!.text]).toEqual([41, 51, 10, 'entry 49']);
    const middle = query(c.core, incidentId, { offset: 20, limit: 5 });
    expect(texts(middle.rows)).toEqual(['entry 19', 'entry 20', 'entry 21', 'entry 22', 'entry 23']);
    const around = query(c.core, incidentId, { aroundId: ids[30], limit: 10 });
    expect([around.index, around.offset, around.rows[around.index! - around.offset]!.event.id]).toEqual([31, 26, ids[30]]);
    const filtered = query(c.core, incidentId, { aroundId: ids[30], limit: 4, filter: { text: 'entry 3' } });
    // "entry 3" and "entry 30"–"entry 39" match; entry 30 is the second of them.
    expect([filtered.total, filtered.index, filtered.offset]).toEqual([11, 1, 0]);
    expect(query(c.core, incidentId, { aroundId: ids[30], filter: { text: 'entry 4' } }).index).toBeNull();
  });

  test('only typed entries are corrected or redacted; any entry can be starred; unknown targets are refused', () => {
    const { core, incidentId, ids } = incidentWithNotes();
    const status = core.handle('incident.setStatus', { incidentId, status: 'investigating' }).eventId;
    expect(() => core.handle('timeline.correct', { incidentId, targetId: status, occurredAt: T0 })).toThrow(/Only typed entries/);
    expect(() => core.handle('timeline.redact', { incidentId, targetId: status, reason: 'x' })).toThrow(/Only typed entries/);
    core.handle('timeline.star', { incidentId, targetId: status, starred: true });
    expect(() => core.handle('timeline.star', { incidentId, targetId: status, starred: true })).toThrow(/already starred/);
    expect(() => core.handle('timeline.correct', { incidentId, targetId: ids['Roll back to v41']!, text: 'Roll back to v41' })).toThrow(/Nothing to correct/);
    expect(() => core.handle('timeline.correct', { incidentId, targetId: ids['Roll back to v41']! })).toThrow(/corrected text, the corrected time, or both/);
    const missing = '018f0000-0000-7000-8000-00000000ffff';
    try {
      core.handle('timeline.star', { incidentId, targetId: missing, starred: true });
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).body.code).toBe('not_found');
    }
  });

  test('annotations synced before the entry they name apply when it arrives, and a restart rebuilds the same rows', () => {
    const source = incidentWithNotes();
    const { core, incidentId, ids } = source;
    const finding = ids['DB primary at 100% CPU']!;
    core.handle('timeline.correct', { incidentId, targetId: finding, text: 'DB at 97%', occurredAt: T0 - 30 * MIN });
    core.handle('timeline.star', { incidentId, targetId: finding, starred: true });
    core.handle('timeline.redact', { incidentId, targetId: ids['Error rate at 60%']!, reason: 'wrong incident' });
    const expected = query(core, incidentId);
    const events: EventEnvelope[] = source.store.incidentEvents(incidentId);

    // Another laptop receives everything newest first: annotations before their targets.
    const other = openCore(tempDir(), 'Bruno');
    other.core.ingest([...events].reverse());
    expect(query(other.core, incidentId)).toEqual(expected);

    other.store.db.prepare("DELETE FROM meta WHERE key = 'timeline.rowsVersion'").run();
    // A count gone wrong (none of the store's paths can do it) is mended by the rebuild.
    other.store.db.prepare('UPDATE timeline_shown_counts SET shown = shown + 7').run();
    other.store.close();
    const reopened = Store.open(path.join(other.dir, STORE_FILE_NAME));
    expect(
      reopened.timelineRows.query({ incidentId, filter: { text: '', kinds: [], actors: [], starred: false }, offset: 0, limit: 200, fromEnd: false }),
    ).toEqual(expected);
    expect(shownCounts(reopened.db).kept).toEqual(shownCounts(reopened.db).counted);
    reopened.close();
  });
});
