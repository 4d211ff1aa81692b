import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { startCore } from '../electron/host/host.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * The built core worker (dist/electron/core-worker.mjs) runs the core's bundle with a V8 code
 * cache kept in this user's cache folder (electron/host/worker-boot.ts): written by a start,
 * taken by the next, and never taken when it is not exactly what was written, by this user.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(root, 'dist', 'electron', 'core-worker.mjs');

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error('Build first: npm run build (this test starts the core worker that ships)');
});

/** The worker reads XDG_CACHE_HOME from the environment it is started with (Linux's convention). */
async function startAndUse(cacheHome: string): Promise<void> {
  const previous = process.env['XDG_CACHE_HOME'];
  process.env['XDG_CACHE_HOME'] = cacheHome;
  try {
    const core = await startCore({ dataDir: tempDir(), transport: 'browser', workerFile: WORKER });
    const { incidentId } = await core.call('incident.declare', declareInput);
    await core.call('timeline.log', { incidentId, entryKind: 'note', text: 'through the cached worker' });
    const window = await core.call('timeline.query', { incidentId });
    expect(window.rows.map((r) => r.text)).toContain('through the cached worker');
    await core.close();
  } finally {
    if (previous === undefined) delete process.env['XDG_CACHE_HOME'];
    else process.env['XDG_CACHE_HOME'] = previous;
  }
}

const cachesIn = (cacheHome: string) => {
  const dir = path.join(cacheHome, 'warroom');
  return existsSync(dir) ? readdirSync(dir).map((name) => path.join(dir, name)) : [];
};
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
/** A cache file holds the SHA-256 of the cache, then the cache. */
const intact = (file: string) => {
  const stored = readFileSync(file);
  return stored.length > 32 && sha256(stored.subarray(32)).equals(stored.subarray(0, 32));
};

describe('the core worker’s code cache', () => {
  test('a start writes it, privately; the next start takes it and leaves it as it was', async () => {
    const cacheHome = tempDir();
    await startAndUse(cacheHome);
    const [file, ...others] = cachesIn(cacheHome);
    expect(others).toEqual([]);
    expect(path.basename(file!)).toMatch(new RegExp(`^core-worker-[0-9a-f]{32}-${process.arch}-v8-.+\\.bin$`));
    expect(intact(file!)).toBe(true);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file!)).mode & 0o777).toBe(0o700);

    const written = { bytes: readFileSync(file!), mtime: statSync(file!).mtimeMs };
    await startAndUse(cacheHome);
    expect(cachesIn(cacheHome)).toEqual([file]);
    // Taken as it was: a start that had refused it would have written it again.
    expect({ bytes: readFileSync(file!), mtime: statSync(file!).mtimeMs }).toEqual(written);
  });

  test('a cache altered on disk, or writable by others, is not taken: the core starts as without it and writes it again', async () => {
    const cacheHome = tempDir();
    await startAndUse(cacheHome);
    const [file] = cachesIn(cacheHome);

    // One byte of the cache changed: V8 itself would take it (it only checks the length of the source).
    const altered = readFileSync(file!);
    const at = altered.length - 100;
    altered.writeUInt8(altered.readUInt8(at) ^ 0xff, at);
    writeFileSync(file!, altered);
    expect(intact(file!)).toBe(false);
    await startAndUse(cacheHome);
    expect(intact(file!)).toBe(true);

    chmodSync(file!, 0o666);
    await startAndUse(cacheHome);
    // Written again, for this user only.
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(intact(file!)).toBe(true);
  });

  test('a cache folder that cannot be written costs nothing but the cache', async () => {
    const notAFolder = path.join(tempDir(), 'file');
    writeFileSync(notAFolder, '');
    await startAndUse(notAFolder);
    expect(readFileSync(notAFolder, 'utf8')).toBe('');
  });
});
