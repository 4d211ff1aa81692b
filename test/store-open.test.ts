import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { StoreOpenError } from '../electron/store/store-problems.js';
import { declareInput, fileFingerprint, tempDir } from './helpers.js';

/** A store that is damaged, not a store at all, or not writable is refused at open, untouched, with words a user can act on. */

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist', 'electron', 'browser.mjs');

beforeAll(() => {
  if (!existsSync(entry) || !existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
    expect(spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' }).status).toBe(0);
  }
});

/** A real store with enough entries to span many pages, closed cleanly (its WAL checkpointed into the file). */
function filledStore(): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, STORE_FILE_NAME);
  const store = Store.open(file);
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const { incidentId } = core.handle('incident.declare', declareInput);
  for (let i = 0; i < 400; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i} ${'x'.repeat(200)}` });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return { dir, file };
}

function openError(file: string): StoreOpenError {
  try {
    Store.open(file).close();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreOpenError);
    return error as StoreOpenError;
  }
  throw new Error(`${file} opened`);
}

/** Run browser mode on `dir` as a user would and collect what it says. */
function launch(dir: string, options: { lang?: string; uid?: number; gid?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, '--data-dir', dir, '--port', '0', '--no-open'], {
      env: { ...process.env, LANG: options.lang ?? 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    // A console that starts (the bug) is stopped after its URL, so the test fails on the assertions rather than hangs.
    child.stdout.on('data', () => {
      if (stdout.includes('http://')) child.kill('SIGTERM');
    });
  });
}

describe('a damaged store', () => {
  test('one damaged page: refused at open with the reason and a way out, and the file is left exactly as it was', async () => {
    const { dir, file } = filledStore();
    const pageSize = 4096;
    const pages = statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(10);
    // Scribble over one page in the middle of the file, as a bad sector would.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const before = fileFingerprint(file);

    expect(openError(file).problem).toBe('damaged');
    expect(fileFingerprint(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual([STORE_FILE_NAME]);

    const run = await launch(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`The incident store ${file} is damaged`);
    expect(run.stderr).toMatch(/Nothing was changed.*--data-dir.*\.recover/s);
    expect(fileFingerprint(file)).toBe(before);
    const french = await launch(dir, { lang: 'fr_FR.UTF-8' });
    expect(french.stderr).toContain(`Le registre des incidents ${file} est endommagé`);
    expect(fileFingerprint(file)).toBe(before);
  });

  test('garbage and a truncated copy are named as what they are, not as raw SQLite errors, and left untouched', async () => {
    const garbage = tempDir();
    const junk = path.join(garbage, STORE_FILE_NAME);
    writeFileSync(junk, Buffer.from('This is my shopping list, not a database.\n'.repeat(200)));
    const junkBefore = fileFingerprint(junk);
    expect(openError(junk).problem).toBe('not_a_database');
    const run = await launch(garbage, { lang: 'fr_FR.UTF-8' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${junk} n’est pas un registre Warroom`);
    expect(run.stderr).not.toMatch(/SQLITE|file is not a database/);
    expect(fileFingerprint(junk)).toBe(junkBefore);

    const { dir, file } = filledStore();
    truncateSync(file, Math.floor(statSync(file).size / 3));
    const before = fileFingerprint(file);
    expect(['damaged', 'not_a_database']).toContain(openError(file).problem);
    const truncated = await launch(dir);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/is damaged|is not a Warroom store/);
    expect(fileFingerprint(file)).toBe(before);
    expect(readdirSync(dir).filter((name) => name.startsWith(STORE_FILE_NAME))).toEqual([STORE_FILE_NAME]);
  });
});

describe('a store this user cannot write', () => {
  test('is refused at start with a clear message instead of starting and failing every command', async () => {
    const { dir, file } = filledStore();
    const before = fileFingerprint(file);
    const asRoot = process.getuid?.() === 0;
    // Root writes anything: run the console as an unprivileged user who owns the folder but not the store.
    if (asRoot) chownSync(dir, 65534, 65534);
    else chmodSync(file, 0o444);
    const run = await launch(dir, asRoot ? { uid: 65534, gid: 65534 } : {});
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Warroom cannot write to ${file}`);
    expect(fileFingerprint(file)).toBe(before);
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});
