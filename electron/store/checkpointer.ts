import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the write path (issue #11). SQLite checkpoints on the connection that
 * commits, inside that commit: every ~1000 pages an append paid copying the WAL into the
 * database file and an fsync of it (1.3–2 ms; a typed entry writes ~16 pages), and a catch-up
 * paid ~0.5 s per 100,000 events. The store's connection now leaves that to a connection of its
 * own on a thread of its own, one for the whole process, which copies the WAL (PASSIVE: it never
 * holds up a writer) once it has grown past a store's threshold, and cuts a large WAL file back to
 * nothing once the store has been quiet for a while.
 *
 * Nothing depends on the thread for durability or for bounds: every commit is in the WAL, synced,
 * before `append` returns (synchronous=FULL); a checkpoint only moves committed pages, and SQLite
 * makes it safe to stop at any point (kill -9). The store's own connection keeps SQLite's
 * autocheckpoint at FALLBACK_FACTOR times the thread's threshold (SQLite's default of 1000 pages):
 * a thread behind, stopped or gone leaves the store checkpointing for itself as before. The WAL is
 * kept that short on purpose: a store committing against a WAL 8 times longer appended slower at
 * p50 (bench/store.bench.ts, no thread, autocheckpoint 8000: 1.37 → 1.55× the bare INSERT). The WAL
 * starts over only at a commit made when it has been copied whole, so a store committing without
 * a pause (the bench's loop) still reaches that limit and checkpoints what little the thread has
 * not copied yet; a store written as people type has its WAL started over by the thread's copies.
 *
 * The thread learns how large the WAL is by reading the header SQLite keeps at the start of the
 * -shm file (documented, and shared by every SQLite version since 3.7.0: walformat.html), a read of
 * 100 bytes on its own thread every few milliseconds while the store writes, every half second when
 * it does not: the store's thread does nothing per commit. The thread is started from source text,
 * as the integrity check is (integrity-check.ts): the bundles ship no second worker file.
 */

/** WAL pages past which the thread checkpoints. */
export const CHECKPOINT_PAGES = 500;
/** The store's own connection checkpoints past this many times the threshold: SQLite's default of 1000 pages. */
export const FALLBACK_FACTOR = 2;

// One Int32Array per store, shared with the thread.
const STATE = 0;
const CHECKPOINTS = 1;
// States: the thread has not taken the store yet; it has a connection; the store asks it to let go; it has none (any more).
const PENDING = 0;
const OPEN = 1;
const STOP = 2;
const CLOSED = 3;

/** How long Store.close waits for the thread to close its connection (a checkpoint under way finishes first). */
const STOP_WAIT_MS = 10_000;

const THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const Database = require(workerData.module);
const wake = new Int32Array(workerData.wake);
const [STATE, CHECKPOINTS, PENDING, OPEN, STOP, CLOSED] = [0, 1, 0, 1, 2, 3];
// How soon the thread looks again: while the store writes; when the WAL waits to be copied whole at
// the first moment without a commit; when the store is quiet.
const ACTIVE_POLL_MS = 4;
const EAGER_POLL_MS = 1;
const IDLE_POLL_MS = 500;
// A store that has not committed for this long is quiet: a large WAL file is cut back then.
const QUIET_MS = 2000;
const little = os.endianness() === 'LE';
const stores = new Set();
const header = Buffer.alloc(100);

parentPort.on('message', (store) => {
  store.ctl = new Int32Array(store.ctl);
  stores.add(store);
  Atomics.add(wake, 0, 1);
});

function let_go(store) {
  stores.delete(store);
  try { if (store.shm !== undefined) fs.closeSync(store.shm); } catch {}
  try { if (store.db) store.db.close(); } catch {}
  Atomics.store(store.ctl, STATE, CLOSED);
  Atomics.notify(store.ctl, STATE);
}

// Whatever ends this thread, no store waits for it.
process.on('exit', () => { for (const store of stores) let_go(store); });

function open(store) {
  if (Atomics.compareExchange(store.ctl, STATE, PENDING, OPEN) !== PENDING) return let_go(store);
  // Never waits on the store's connection (busy: try again at the next poll); no page cache to speak of.
  store.db = new Database(store.file, { fileMustExist: true, timeout: 0, ...(store.nativeBinding ? { nativeBinding: store.nativeBinding } : {}) });
  store.db.pragma('cache_size = 8');
  store.passive = store.db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  store.truncate = store.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
  store.change = -1;
  store.lastWrite = Date.now();
  store.quiet = true;
}

// mxFrame and nBackfill from the -shm file's header (walformat.html): undefined while it is being written.
function wal(store) {
  if (store.shm === undefined) store.shm = fs.openSync(store.file + '-shm', 'r');
  if (fs.readSync(store.shm, header, 0, 100, 0) < 100) return undefined;
  if (header.compare(header, 0, 48, 48, 96) !== 0) return undefined;
  const u32 = (at) => (little ? header.readUInt32LE(at) : header.readUInt32BE(at));
  if (u32(0) !== 3007000 || header[12] !== 1) return undefined;
  const size = little ? header.readUInt16LE(14) : header.readUInt16BE(14);
  return { change: u32(8), frames: u32(16), backfilled: u32(96), pageSize: size === 1 ? 65536 : size };
}

function checkpoint(store, statement) {
  const result = statement.get();
  Atomics.add(store.ctl, CHECKPOINTS, 1);
  return result;
}

/** How soon to look at this store again. */
function poll(store, now) {
  const state = wal(store);
  if (state === undefined) return ACTIVE_POLL_MS;
  const committed = state.change !== store.change;
  if (committed) {
    store.change = state.change;
    store.lastWrite = now;
    store.quiet = false;
  }
  const waiting = state.frames - state.backfilled;
  // Past the threshold: what waits is copied a quarter of the threshold at a time while the store
  // commits (each checkpoint syncs the files), and all of it once no commit came since the last
  // look: copied whole at a moment the store is not committing, the WAL starts over at its next commit.
  if (waiting > 0 && state.frames >= store.pages) {
    if (waiting < store.pages / 4 && committed) return EAGER_POLL_MS;
    checkpoint(store, store.passive);
    return EAGER_POLL_MS;
  }
  if (store.quiet || now - store.lastWrite < QUIET_MS) return store.quiet ? IDLE_POLL_MS : ACTIVE_POLL_MS;
  let size = 0;
  try { size = fs.statSync(store.file + '-wal').size; } catch {}
  // A WAL file larger than the threshold's pages (after a catch-up, an import) is cut back to nothing:
  // everything copied first without holding up the store (TRUNCATE copies holding its write lock),
  // then the file emptied if nothing was committed meanwhile (busy otherwise: tried again later).
  if (size > 32 + store.pages * (state.pageSize + 24)) {
    if (waiting > 0) checkpoint(store, store.passive);
    const after = wal(store);
    if (after === undefined || after.frames !== after.backfilled || checkpoint(store, store.truncate).busy !== 0) {
      store.lastWrite = now;
      return ACTIVE_POLL_MS;
    }
  }
  store.quiet = true;
  return IDLE_POLL_MS;
}

function round() {
  const now = Date.now();
  let next = IDLE_POLL_MS;
  for (const store of [...stores]) {
    try {
      const state = Atomics.load(store.ctl, STATE);
      if (state === STOP || state === CLOSED) { let_go(store); continue; }
      if (state === PENDING) open(store);
      if (stores.has(store)) next = Math.min(next, poll(store, now));
    } catch (error) {
      // The store's own connection checkpoints for itself from now on (its autocheckpoint).
      console.error('WAL checkpoints of ' + store.file + ' go back to the store\\'s own connection:', error && error.message ? error.message : error);
      let_go(store);
    }
  }
  return next;
}

(async () => {
  for (;;) {
    const seen = Atomics.load(wake, 0);
    const waited = Atomics.waitAsync(wake, 0, seen, round());
    if (waited.async) await waited.value;
  }
})();
`;

interface Thread {
  worker: Worker;
  /** Bumped (and notified) to wake the thread: a store to take, a store to let go. */
  wake: Int32Array;
  /** The stores given to it and not let go yet: marked closed if the thread ends (a close then waits for nothing). */
  stores: Set<Int32Array>;
}

let thread: Thread | null = null;

function startThread(): Thread {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  // No loader of the parent's (tsx under tests): the source is plain CommonJS.
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module, wake: wake.buffer }, execArgv: [] });
  // The process ends without waiting for it (a checkpoint cut short is safe: SQLite's design).
  worker.unref();
  const started: Thread = { worker, wake, stores: new Set() };
  worker.on('error', (error) => console.error('The WAL checkpoint thread failed; stores checkpoint on their own connection:', error));
  worker.on('exit', () => {
    if (thread === started) thread = null;
    for (const ctl of started.stores) {
      Atomics.store(ctl, STATE, CLOSED);
      Atomics.notify(ctl, STATE);
    }
  });
  return started;
}

export interface CheckpointerOptions {
  /** WAL pages past which the thread checkpoints (CHECKPOINT_PAGES). */
  pages: number;
  /** Electron's build of better-sqlite3's addon, as the store's own connection uses. */
  nativeBinding?: string;
}

/** One store's share of the checkpoint thread. */
export class Checkpointer {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8));
  private readonly thread: Thread;

  constructor(file: string, options: CheckpointerOptions) {
    thread ??= startThread();
    this.thread = thread;
    this.thread.stores.add(this.ctl);
    this.thread.worker.postMessage({ file, pages: options.pages, nativeBinding: options.nativeBinding, ctl: this.ctl.buffer });
    this.wakeThread();
  }

  /** Checkpoints the thread has run for this store (a test or a bench may ask). */
  get checkpoints(): number {
    return Atomics.load(this.ctl, CHECKPOINTS);
  }

  /** The thread has taken this store (it opens a connection to it, or holds one) and has not let it go. */
  get running(): boolean {
    return Atomics.load(this.ctl, STATE) === OPEN;
  }

  /**
   * The thread lets this store go: it closes its connection (after the checkpoint under way, if
   * any) before this returns, so the store's own close is the last and leaves no WAL behind.
   */
  stop(): void {
    this.thread.stores.delete(this.ctl);
    // Not taken yet: the thread will let it go without opening it.
    if (Atomics.compareExchange(this.ctl, STATE, PENDING, CLOSED) === PENDING) return;
    if (Atomics.compareExchange(this.ctl, STATE, OPEN, STOP) !== OPEN) return;
    this.wakeThread();
    const deadline = performance.now() + STOP_WAIT_MS;
    for (let left = STOP_WAIT_MS; Atomics.load(this.ctl, STATE) === STOP && left > 0; left = deadline - performance.now()) {
      Atomics.wait(this.ctl, STATE, STOP, left);
    }
  }

  /** For the tests: the thread ends as if it had crashed (every store then checkpoints on its own connection). */
  killThread(): Promise<number> {
    return this.thread.worker.terminate();
  }

  private wakeThread(): void {
    Atomics.add(this.thread.wake, 0, 1);
    Atomics.notify(this.thread.wake, 0);
  }
}
