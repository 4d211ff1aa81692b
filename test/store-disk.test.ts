import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, fileFingerprint, tempDir } from './helpers.js';

/**
 * A read-only disk and a full disk, made for real: a tmpfs mount (full: a small one, filled) and
 * a read-only remount. We are root in the container and in CI, where mounting is allowed; where
 * it is refused, the read-only case runs the console as an unprivileged user on a folder it
 * cannot write instead. Each start must say what is wrong in the console's language, change
 * nothing and leave nothing behind.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist', 'electron', 'browser.mjs');
const mounted: string[] = [];

beforeAll(() => {
  if (!existsSync(entry) || !existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
    expect(spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' }).status).toBe(0);
  }
});

afterEach(() => {
  while (mounted.length) spawnSync('umount', ['-l', mounted.pop()!]);
});

function mount(args: string[], target: string): boolean {
  const run = spawnSync('mount', [...args, target], { encoding: 'utf8' });
  if (run.status === 0 && !mounted.includes(target)) mounted.push(target);
  return run.status === 0;
}

/** A tmpfs of `size` on a fresh folder, or null where mounting is refused. */
function tmpfs(size: string): string | null {
  const dir = tempDir('warroom-disk-');
  return mount(['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs'], dir) ? dir : null;
}

/** A real store with some entries, closed cleanly. */
function makeStore(dataDir: string): string {
  const file = path.join(dataDir, STORE_FILE_NAME);
  const store = Store.open(file);
  const core = new WarroomCore(store, { dataDir, transport: 'browser' });
  const { incidentId } = core.handle('incident.declare', declareInput);
  for (let i = 0; i < 20; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `entry ${i}` });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return file;
}

/** Every file under `dir` with its size and mode: what a start must not change. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const full = path.join(at, name);
      const stat = statSync(full);
      out.push(`${path.relative(dir, full)} ${stat.isDirectory() ? 'dir' : stat.size} ${(stat.mode & 0o777).toString(8)}`);
      if (stat.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

function launch(dataDir: string, lang: string, user?: { uid: number; gid: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, '--data-dir', dataDir, '--port', '0', '--no-open'], {
      env: { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '' },
      ...(user ?? {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // A console that starts anyway is stopped, so the assertions fail rather than the test hanging.
      if (stdout.includes('http://')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a read-only disk', () => {
  test('an existing store and a folder still to make: a clear refusal in English and French, nothing changed, nothing left', async () => {
    const disk = tmpfs('4m');
    const base = disk ?? tempDir('warroom-disk-');
    const dataDir = path.join(base, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const file = makeStore(dataDir);
    let user: { uid: number; gid: number } | undefined;
    if (disk) expect(mount(['-o', 'remount,ro'], disk)).toBe(true);
    else if (process.getuid?.() === 0) {
      // Mounting refused: root writes anything, so the console runs as nobody, on folders it cannot write.
      user = { uid: 65534, gid: 65534 };
      chmodSync(base, 0o755);
      chmodSync(dataDir, 0o755);
    } else {
      chmodSync(base, 0o555);
      chmodSync(dataDir, 0o555);
    }
    const before = { listing: listing(base), store: fileFingerprint(file) };

    const en = await launch(dataDir, 'en_US.UTF-8', user);
    expect(en.code).toBe(1);
    expect(en.stdout).toBe('');
    expect(en.stderr).toContain('Warroom cannot write to');
    expect(en.stderr).toContain('read-only disk');
    expect(en.stderr).not.toMatch(/EROFS|SQLITE|attempt to write/);

    const fresh = path.join(base, 'new-folder');
    const fr = await launch(fresh, 'fr_FR.UTF-8', user);
    expect(fr.code).toBe(1);
    expect(fr.stderr).toContain(`Warroom ne peut pas écrire dans ${fresh}`);
    expect(fr.stderr).not.toMatch(/EROFS|ENOENT|SQLITE/);

    expect({ listing: listing(base), store: fileFingerprint(file) }).toEqual(before);
  });
});

describe('a full disk', () => {
  test('starts on a full disk say so in English and French, change nothing and leave no file behind, however often they are tried', async () => {
    const disk = tmpfs('2m');
    expect(disk, 'this test mounts a small tmpfs: it runs as root (the container, CI)').not.toBeNull();
    const base = disk!;
    const dataDir = path.join(base, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const file = makeStore(dataDir);
    // Fill what is left, as a log file gone wild would.
    const fill = spawnSync('dd', ['if=/dev/zero', `of=${path.join(base, 'filler')}`, 'bs=4k'], { encoding: 'utf8' });
    expect(fill.stderr).toMatch(/No space left on device/);
    const before = { listing: listing(base), store: fileFingerprint(file) };

    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await launch(dataDir, 'en_US.UTF-8');
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`The disk holding ${dataDir} is full.`);
    }
    const fresh = path.join(base, 'new-folder');
    for (let attempt = 0; attempt < 2; attempt++) {
      const run = await launch(fresh, 'fr_FR.UTF-8');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Le disque qui contient ${fresh} est plein.`);
    }
    expect({ listing: listing(base), store: fileFingerprint(file) }).toEqual(before);
  });
});
