import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's quick_check of a store, on a thread of its own with a read-only connection of its
 * own: a 500,000-event store takes seconds to check, and the core's thread answers the first
 * screen meanwhile (its writes are held until the check has passed: Store.open, deferred).
 *
 * The thread is started from source text (a bundle ships no second worker file), so it is
 * handed better-sqlite3 by the path this module resolves it from, and the Electron build's
 * native addon when there is one.
 */
const CHECK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  const rows = db.pragma('quick_check(5)');
  parentPort.postMessage({ problems: rows.map((row) => row.quick_check).filter((line) => line !== 'ok') });
} catch (error) {
  // A page too damaged to be walked makes SQLite throw rather than list it: that is the answer too.
  parentPort.postMessage({ problems: [String(error && error.message ? error.message : error)], code: (error && typeof error.code === 'string' && error.code) || 'CHECK_FAILED' });
} finally {
  if (db) db.close();
}
`;

export interface IntegrityResult {
  /** SQLite's words for each problem found; empty when the file is intact. */
  problems: string[];
  /** Set when the check threw instead of listing problems: SQLite's code (SQLITE_CORRUPT, SQLITE_BUSY…), or CHECK_FAILED when the thread itself failed. */
  code?: string;
}

/** The check's answer says the file is damaged, rather than that the check could not run (a busy file, a thread that failed to start). */
export function foundDamage(result: IntegrityResult): boolean {
  return result.problems.length > 0 && (result.code === undefined || result.code.startsWith('SQLITE_CORRUPT') || result.code === 'SQLITE_NOTADB');
}

export function checkIntegrityOffThread(file: string, nativeBinding?: string): Promise<IntegrityResult> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve) => {
    const worker = new Worker(CHECK_SOURCE, { eval: true, workerData: { file, module, nativeBinding } });
    // A console closed while it checks is not kept open by the check.
    worker.unref();
    let answered = false;
    worker.once('message', (result: IntegrityResult) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      answered = true;
      resolve({ problems: [error.message], code: 'CHECK_FAILED' });
    });
    worker.once('exit', (code) => {
      if (!answered) resolve({ problems: [`the integrity check stopped (exit code ${code})`], code: 'CHECK_FAILED' });
    });
  });
}
