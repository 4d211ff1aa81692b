import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { parentPort, threadId } from 'node:worker_threads';

/**
 * The core worker's entry in a build (dist/electron/core-worker.mjs): it runs the core's bundle
 * (core-worker.cjs, beside it) compiled with a V8 code cache kept from an earlier start. Parsing
 * and compiling the 1.4 MB bundle was 40–60 ms of every start, and the functions the start runs
 * compiled lazily on top of that: the first screen of a large store waited for both (issue #11).
 * Node 22's module.enableCompileCache does this for any module, but Node 20 (browser mode) lacks
 * it; vm.Script's cachedData is the same V8 cache, on both and under Electron.
 *
 * V8 takes a cache for a source of the same length without looking further, and never checks
 * its bytes: a cache is only used for the exact bundle it was made from (its SHA-256 in the
 * file's name) and when its own SHA-256 still matches. It lives in this user's cache folder,
 * private, and is written once per build, V8 and architecture (the newest few builds' caches kept); anything wrong with it (missing,
 * unreadable, someone else's, refused by V8) means the bundle is compiled as without it.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, 'core-worker.cjs');
const source = readFileSync(bundle, 'utf8');
// The wrapper Node gives a CommonJS module: the bundle is one (esbuild format 'cjs').
const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** This user's cache folder, by each system's convention. */
function cacheDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env['LOCALAPPDATA'] || path.join(home, 'AppData', 'Local'), 'Warroom', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Warroom');
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'warroom');
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const suffix = `-${process.arch}-v8-${process.versions.v8}.bin`;
const dir = cacheDir();
const cacheFile = path.join(dir, `core-worker-${sha256(source).toString('hex').slice(0, 32)}${suffix}`);
/** Caches of other builds kept beside this one's. */
const OTHER_BUILDS_KEPT = 3;

/** Only a file this user owns, that no one else may write, in a folder no one else may write. */
function ownedPrivately(file: string): boolean {
  const uid = process.getuid?.();
  for (const stat of [lstatSync(path.dirname(file)), lstatSync(file)]) {
    if (uid !== undefined && stat.uid !== uid) return false;
    if ((stat.mode & 0o022) !== 0) return false;
  }
  return true;
}

/** The cache for this very bundle, whole, or nothing. Stored as SHA-256 of the cache, then the cache. */
function readCache(): Buffer | undefined {
  try {
    if (!ownedPrivately(cacheFile)) return undefined;
    const stored = readFileSync(cacheFile);
    const data = stored.subarray(32);
    return sha256(data).equals(stored.subarray(0, 32)) ? data : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new vm.Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
let toSave = cachedData === undefined || script.cachedDataRejected === true;

/**
 * Written once the start's functions have run (they are then in the cache too): 2 s after the
 * start or when the core is asked to close, whichever comes first. Atomically (a start reading it
 * meanwhile sees the old file or the new one); older builds' caches go. A failure (read-only or
 * full disk) only means the next start compiles as without it.
 */
function saveCache(): void {
  if (!toSave) return;
  toSave = false;
  const partial = `${cacheFile}.${process.pid}-${threadId}.partial`;
  try {
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(partial, Buffer.concat([sha256(data), data]), { mode: 0o600 });
    renameSync(partial, cacheFile);
    // Other builds' caches: the newest few stay (two versions side by side, a developer's
    // worktrees), the older ones go.
    const others = readdirSync(dir)
      .filter((name) => name.startsWith('core-worker-') && name.endsWith(suffix) && path.join(dir, name) !== cacheFile)
      .map((name) => ({ file: path.join(dir, name), at: lstatSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { file } of others.slice(OTHER_BUILDS_KEPT)) rmSync(file, { force: true });
  } catch {
    // Never the core's concern: it must close, or answer, whatever happened here.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written, or it cannot be removed either.
    }
  }
}

if (toSave) {
  setTimeout(saveCache, 2_000).unref();
  // Before the core's own listener (added by the bundle below), so the cache is written before it closes.
  parentPort?.on('message', (request: { type?: unknown }) => {
    if (request?.type === 'close') saveCache();
  });
}

const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;
const module = { exports: {} };
run.call(module.exports, module.exports, createRequire(bundle), module, bundle, here);
