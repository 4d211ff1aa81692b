import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataDirBusyError, LOCK_FILE_NAME } from './data-lock.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data folder lock', () => {
  it('lets one process in, refuses the next with the holder, and frees the folder on release', () => {
    const dir = tempDir();
    const lock = acquireDataLock(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    let refusal: unknown;
    try {
      acquireDataLock(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirBusyError);
    expect(refusal).toMatchObject({ pid: process.pid, dataDir: dir });
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    acquireDataLock(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE_NAME), `${deadPid()}\n`);
    const lock = acquireDataLock(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('creates the folder when it does not exist yet, leaving no draft behind', () => {
    const dir = path.join(tempDir(), 'new', 'store');
    const lock = acquireDataLock(dir);
    lock.release();
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(path.join(dir, `${LOCK_FILE_NAME}.${process.pid}`))).toBe(false);
  });
});
