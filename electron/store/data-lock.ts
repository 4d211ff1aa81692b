import Database from 'better-sqlite3';
import { accessSync, chmodSync, closeSync, constants, existsSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateDir } from './private-files.js';
import { asStoreOpenError, folderProblem } from './store-problems.js';

/**
 * One process per data folder, whichever transport it serves: each core keeps incident state in
 * memory, so a second writer on the same file would show stale views and fold over them.
 * Electron's single-instance lock only knows Electron; this one also stops browser mode.
 *
 * The lock is an OS-level lock, not a file whose existence means "taken": SQLite's exclusive
 * lock (fcntl byte-range locks on POSIX, LockFileEx on Windows) on a dedicated, always-empty
 * file. Taking it is atomic, and the OS drops it when the holder dies, however it dies — so
 * there is no stale lock to recognise, nothing is ever unlinked, a reused PID cannot keep the
 * app from starting, and no per-attempt file is left behind.
 */

export const LOCK_FILE_NAME = 'warroom.instance-lock';
/** Who holds the lock, for the refusal message only; never used to decide anything. */
const OWNER_FILE_NAME = 'warroom.instance-lock.owner';

const CONTENTION_RETRIES = 6;
/** Atomics.wait on a private cell is a synchronous sleep; nothing ever notifies it. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** The lock, or null when another connection holds it (or is taking it right now). */
function tryLock(file: string, nativeBinding: string | undefined): Database.Database | null {
  // timeout 0: busy is an immediate answer, the retries above decide how long to insist.
  const db = new Database(file, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // No journal: nothing is ever written, and no journal file appears beside the lock.
    db.pragma('journal_mode = OFF');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
}

function removeEmptyFolder(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or not ours to remove: leave it.
  }
}

export interface DataLock {
  release(): void;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    /** 0 when the holder could not be named. */
    readonly pid: number,
  ) {
    super(`Another Warroom process (${pid}) is using ${dataDir}.`);
    this.name = 'DataDirBusyError';
  }
}

function holder(dataDir: string): number {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, OWNER_FILE_NAME), 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

/** Best effort, written aside and renamed so a reader never sees half of it; a full disk only loses the name. */
function writeOwner(dataDir: string): void {
  const file = path.join(dataDir, OWNER_FILE_NAME);
  const draft = `${file}.${process.pid}`;
  try {
    writeFileSync(draft, `${process.pid}\n`, { mode: 0o600 });
    renameSync(draft, file);
  } catch {
    rmSync(draft, { force: true });
  }
}

/**
 * A folder that cannot hold the lock (read-only mount, not ours to write, a full disk) is named
 * as such, not as a raw SQLite error about a file the user never made.
 */
function lockOrExplain(file: string, dataDir: string, nativeBinding: string | undefined): Database.Database | null {
  try {
    // Made private before SQLite opens it (SQLite would make it 0644): flag 'a' never truncates.
    closeSync(openSync(file, 'a', 0o600));
    return tryLock(file, nativeBinding);
  } catch (error) {
    try {
      accessSync(dataDir, constants.W_OK);
    } catch (denied) {
      throw asStoreOpenError(denied, dataDir);
    }
    throw asStoreOpenError(error, dataDir);
  }
}

export function acquireDataLock(dataDir: string, options: { nativeBinding?: string | undefined } = {}): DataLock {
  const folderExisted = existsSync(dataDir);
  try {
    privateDir(dataDir);
  } catch (error) {
    throw folderProblem(error, dataDir);
  }
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const lockExisted = existsSync(file);
  // Two starters at the same instant can each see the other mid-way through taking the lock and
  // both get SQLITE_BUSY. A few retries after a random pause of a millisecond or two settle it,
  // so exactly one gets in; a real holder keeps the lock and the refusal comes within ~20 ms.
  let db: Database.Database | null;
  try {
    db = lockOrExplain(file, dataDir, options.nativeBinding);
  } catch (error) {
    // A start that cannot even lock (full or read-only disk) leaves nothing it made behind: not
    // the empty lock file, not the folder. Nobody else holds a lock on a file made just now.
    if (!lockExisted) rmSync(file, { force: true });
    if (!folderExisted) removeEmptyFolder(dataDir);
    throw error;
  }
  for (let attempt = 0; db === null; attempt++) {
    if (attempt === CONTENTION_RETRIES) throw new DataDirBusyError(dataDir, holder(dataDir));
    Atomics.wait(PAUSE, 0, 0, 1 + Math.random() * 3);
    db = lockOrExplain(file, dataDir, options.nativeBinding);
  }
  const held = db;
  try {
    chmodSync(file, 0o600);
  } catch {
    // A lock file someone else made keeps its mode; it is always empty.
  }
  writeOwner(dataDir);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(path.join(dataDir, OWNER_FILE_NAME), { force: true });
      // Closing the connection is what lets the next process in; the empty lock file stays.
      held.close();
    },
  };
}
