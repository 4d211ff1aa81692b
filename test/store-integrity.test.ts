import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import type { ChangeNotice } from '../shared/api/api.js';
import { ApiError } from '../shared/api/api.js';
import { WarroomCore } from '../electron/core/core.js';
import { startCore } from '../electron/host/host.js';
import type { WorkerReply } from '../electron/host/protocol.js';
import { checkIntegrityOffThread } from '../electron/store/integrity-check.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { StoreOpenError } from '../electron/store/store-problems.js';
import { declareInput, fileFingerprint, tempDir } from './helpers.js';

/**
 * A large store opens at once and its integrity is checked on a thread of its own (issue #11:
 * the 500,000-event store's quick_check took seconds before the first screen). Until the check
 * has passed, nothing is written to the file: SQLite itself refuses writes (query_only), the
 * core worker holds commands, and a damaged file is refused and said, never written.
 */

const PAGE = 4096;

/** A real store of a few hundred entries, closed cleanly (its WAL checkpointed into the file). */
function filledStore(): { dir: string; file: string; incidentId: string } {
  const dir = tempDir();
  const file = path.join(dir, STORE_FILE_NAME);
  const store = Store.open(file);
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const { incidentId } = core.handle('incident.declare', declareInput);
  for (let i = 0; i < 400; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i} ${'x'.repeat(200)}` });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return { dir, file, incidentId };
}

/** Scribble over a leaf page in the middle of the events table, as a bad sector would: the newest rows and the projection stay readable. */
function damageEventsPage(file: string): void {
  const db = new Database(file, { readonly: true });
  const pages = db
    .prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno")
    .all()
    .map((r) => r.pageno);
  db.close();
  expect(pages.length).toBeGreaterThan(10);
  const page = pages[Math.floor(pages.length / 2)]!;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, (page - 1) * PAGE);
  closeSync(fd);
}

const note = (incidentId: string, text: string) => ({ incidentId, entryKind: 'note' as const, text });

describe('the integrity check of a large store, off the open', () => {
  test('a small store is still checked at open: a damaged one is refused before the console starts', () => {
    const { file } = filledStore();
    damageEventsPage(file);
    const before = fileFingerprint(file);
    expect(() => Store.open(file, { deferIntegrityCheckAbove: 64 * 1024 * 1024 })).toThrow(StoreOpenError);
    expect(fileFingerprint(file)).toBe(before);
  });

  test('deferred: reads answer at once, SQLite refuses every write until the check passes, then the store writes', async () => {
    const { file, incidentId } = filledStore();
    const store = Store.open(file, { deferIntegrityCheckAbove: 0 });
    expect(store.integrityUnchecked).toBe(true);
    const core = new WarroomCore(store, { dataDir: path.dirname(file), transport: 'browser' });
    expect(core.handle('timeline.query', { incidentId, fromEnd: true, limit: 60 }).rows).toHaveLength(60);
    expect(() => core.handle('timeline.log', note(incidentId, 'too early'))).toThrow(/readonly|read-only|query_only/i);
    const result = await checkIntegrityOffThread(file);
    expect(result.problems).toEqual([]);
    store.integrityChecked(result);
    expect(store.integrityUnchecked).toBe(false);
    core.handle('timeline.log', note(incidentId, 'after the check'));
    expect(core.handle('timeline.query', { incidentId, fromEnd: true, limit: 1 }).rows[0]!.text).toBe('after the check');
    store.close();
  });

  test('deferred and damaged: the check finds it, the file is never written, and it stays refused', async () => {
    const { file, incidentId } = filledStore();
    damageEventsPage(file);
    const before = fileFingerprint(file);
    const store = Store.open(file, { deferIntegrityCheckAbove: 0 });
    const core = new WarroomCore(store, { dataDir: path.dirname(file), transport: 'browser' });
    expect(() => core.handle('timeline.log', note(incidentId, 'never written'))).toThrow();
    const result = await checkIntegrityOffThread(file);
    expect(result.problems.length).toBeGreaterThan(0);
    store.integrityChecked(result);
    expect(store.damage).toBeInstanceOf(StoreOpenError);
    expect(store.damage!.problem).toBe('damaged');
    expect(() => core.handle('timeline.log', note(incidentId, 'never written either'))).toThrow();
    store.close();
    expect(fileFingerprint(file)).toBe(before);
  });

  test('a store whose open has something to write (an older schema) is checked at open even when large', () => {
    const { file } = filledStore();
    const db = new Database(file);
    db.pragma('user_version = 10');
    db.close();
    damageEventsPage(file);
    const before = fileFingerprint(file);
    expect(() => Store.open(file, { deferIntegrityCheckAbove: 0 })).toThrow(StoreOpenError);
    expect(fileFingerprint(file)).toBe(before);
  });

  test('through the core worker: a command sent before the check ends is held, then recorded in order; the first window answers meanwhile', async () => {
    const { dir, incidentId } = filledStore();
    const host = await startCore({ dataDir: dir, transport: 'browser', integrityCheckAtOpenUpTo: 0 });
    try {
      const first = host.call('timeline.query', { incidentId, fromEnd: true, limit: 60 });
      const logged = host.call('timeline.log', note(incidentId, 'typed while the check ran'));
      const after = host.call('timeline.query', { incidentId, fromEnd: true, limit: 1 });
      expect((await first).rows).toHaveLength(60);
      const { eventId } = await logged;
      // Answered in the order asked: the read sent after the command sees it.
      expect((await after).rows[0]!.event.id).toBe(eventId);
    } finally {
      await host.close();
    }
  });

  test('through the core worker, damaged: commands are refused with the reason, the console is told, the file is left as it was', async () => {
    const { dir, file, incidentId } = filledStore();
    damageEventsPage(file);
    const before = fileFingerprint(file);
    const notices: ChangeNotice[] = [];
    // Heard from the worker itself: the check may answer before startCore has resolved and a listener could be added.
    const onWorker = (worker: Worker) =>
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'change') notices.push(reply.notice);
      });
    const host = await startCore({ dataDir: dir, transport: 'browser', integrityCheckAtOpenUpTo: 0, onWorker });
    try {
      const refused = await host.call('timeline.log', note(incidentId, 'never written')).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).body).toMatchObject({ code: 'conflict', reason: 'store_damaged' });
      expect(notices.find((n) => n.storeDamaged)?.storeDamaged?.file).toBe(file);
      expect((await host.call('app.info', {})).storeDamaged?.file).toBe(file);
      // Still refused later, and reads of what is readable still answer.
      await expect(host.call('incident.setStatus', { incidentId, status: 'investigating' })).rejects.toMatchObject({ body: { reason: 'store_damaged' } });
      expect((await host.call('incidents.list', {})).map((i) => i.id)).toEqual([incidentId]);
    } finally {
      await host.close();
    }
    expect(fileFingerprint(file)).toBe(before);
  });

  test('through the core worker, a read that meets the damaged page before the check has ended: refused as damaged (not in SQLite’s bare words), the worker stays up', async () => {
    const { dir, file, incidentId } = filledStore();
    damageEventsPage(file);
    const before = fileFingerprint(file);
    const workers: Worker[] = [];
    const crashes: unknown[] = [];
    const onWorker = (worker: Worker) => {
      workers.push(worker);
      worker.on('error', (error) => crashes.push(error));
    };
    const host = await startCore({ dataDir: dir, transport: 'browser', integrityCheckAtOpenUpTo: 0, onWorker });
    try {
      // timeline.list reads every event of the incident, the damaged page among them; sent at once,
      // it may be answered before or after the check: refused as damaged either way.
      await expect(host.call('timeline.list', { incidentId })).rejects.toMatchObject({ body: { code: 'conflict', reason: 'store_damaged', params: { file } } });
      await expect(host.call('timeline.log', note(incidentId, 'never written'))).rejects.toMatchObject({ body: { reason: 'store_damaged' } });
      expect((await host.call('app.info', {})).storeDamaged?.file).toBe(file);
      // What is readable still answers, from the same worker.
      expect((await host.call('timeline.query', { incidentId, fromEnd: true, limit: 5 })).rows).toHaveLength(5);
      expect(workers).toHaveLength(1);
      expect(crashes).toEqual([]);
    } finally {
      await host.close();
    }
    expect(fileFingerprint(file)).toBe(before);
  });
});
