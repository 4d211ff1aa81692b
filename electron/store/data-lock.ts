import { privateDir } from './private-files.js';
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE_NAME = 'warroom.lock';

/**
 * One process per data folder, whichever transport it serves: each core keeps incident state in
 * memory, so a second writer on the same file would show stale views and fold over them.
 * Electron's single-instance lock only knows Electron; this file also stops browser mode.
 */
export interface DataLock {
  release(): void;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`Another Warroom process (${pid}) is using ${dataDir}.`);
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function acquireDataLock(dataDir: string): DataLock {
  privateDir(dataDir);
  const file = path.join(dataDir, LOCK_FILE_NAME);
  // Written aside then linked into place, so a competing starter never reads a half-written lock.
  const draft = path.join(dataDir, `${LOCK_FILE_NAME}.${process.pid}`);
  writeFileSync(draft, `${process.pid}\n`);
  try {
    return take(file, draft, dataDir);
  } finally {
    rmSync(draft, { force: true });
  }
}

function take(file: string, draft: string, dataDir: string): DataLock {
  // Two attempts: the second follows the removal of a lock left by a process that died without releasing it.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(draft, file);
      return {
        release() {
          if (holder(file) === process.pid) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = holder(file);
      if (pid !== null && isAlive(pid)) throw new DataDirBusyError(dataDir, pid);
      try {
        unlinkSync(file);
      } catch {
        // Another starter removed it first; the next attempt settles who wins.
      }
    }
  }
  throw new DataDirBusyError(dataDir, holder(file) ?? 0);
}
