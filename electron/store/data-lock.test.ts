import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataDirBusyError, LOCK_FILE_NAME } from './data-lock.js';

const RACER = fileURLToPath(new URL('../../test/fixtures/lock-racer.ts', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  while (children.length) children.pop()!.kill('SIGKILL');
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

type Reply = { type: 'ready' } | { type: 'holding' } | { type: 'released' } | { type: 'result'; won: boolean; busy?: boolean; message?: string };

/** A separate process holding or racing for the lock, answering one message at a time. */
function racer() {
  const child = fork(RACER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  // One answer per question: the exit listener goes with it, so a racer asked many times does not pile them up.
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      const exited = (code: number | null) => {
        child.off('message', answered);
        reject(new Error(`racer exited with ${code}`));
      };
      const answered = (m: unknown) => {
        child.off('exit', exited);
        resolve(m as Reply);
      };
      child.once('message', answered);
      child.once('exit', exited);
    });
  const ready = next();
  return {
    child,
    ready,
    ask(message: object): Promise<Reply> {
      const answer = next();
      child.send(message);
      return answer;
    },
  };
}

describe('data folder lock', () => {
  it('lets one process in, refuses the next naming the holder, and frees the folder on release', () => {
    const dir = tempDir();
    const lock = acquireDataLock(dir);
    let refusal: unknown;
    try {
      acquireDataLock(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirBusyError);
    expect(refusal).toMatchObject({ pid: process.pid, dataDir: dir });
    lock.release();
    acquireDataLock(dir).release();
  });

  it('is free again the moment its holder is killed, and a lock naming a live unrelated process does not block', async () => {
    const dir = tempDir();
    const holder = racer();
    await holder.ready;
    expect(await holder.ask({ type: 'hold', dir })).toEqual({ type: 'holding' });
    expect(() => acquireDataLock(dir)).toThrow(DataDirBusyError);
    const gone = new Promise((r) => holder.child.once('exit', r));
    holder.child.kill('SIGKILL');
    await gone;
    // What the killed holder left names a PID that now belongs to someone else (after a reboot, PID 1).
    writeFileSync(path.join(dir, `${LOCK_FILE_NAME}.owner`), '1\n');
    const lock = acquireDataLock(dir);
    lock.release();
  });

  it('two processes started at the same instant: exactly one wins, every time, and nothing is left behind', async () => {
    const TRIALS = 200;
    const [a, b] = [racer(), racer()];
    await Promise.all([a.ready, b.ready]);
    const dir = tempDir();
    // Left by a crashed holder: the lock file and an owner naming a process that is gone.
    const stale = racer();
    await stale.ready;
    await stale.ask({ type: 'hold', dir });
    stale.child.kill('SIGKILL');
    await new Promise((r) => stale.child.once('exit', r));
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const at = Date.now() + 5;
      const [ra, rb] = await Promise.all([a.ask({ type: 'try', dir, at }), b.ask({ type: 'try', dir, at })]);
      const won = [ra, rb].map((r) => r.type === 'result' && r.won);
      outcomes.push(won.filter(Boolean).length === 1 ? 'one' : `${won.filter(Boolean).length} winners: ${JSON.stringify([ra, rb])}`);
      for (const [racerOf, reply] of [
        [a, ra],
        [b, rb],
      ] as const) {
        if (reply.type === 'result' && !reply.won) expect(reply.busy).toBe(true);
        if (reply.type === 'result' && reply.won) await racerOf.ask({ type: 'release' });
      }
    }
    expect(outcomes.filter((o) => o !== 'one')).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([LOCK_FILE_NAME]);
  });

  it('creates the folder when it does not exist yet', () => {
    const dir = path.join(tempDir(), 'new', 'store');
    const lock = acquireDataLock(dir);
    lock.release();
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });
});
