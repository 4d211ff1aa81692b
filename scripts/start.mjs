#!/usr/bin/env node
/**
 * `npm start [-- options]`: build if the sources changed, then run the desktop app in Electron,
 * or in browser mode where Electron's binary is not installed. Options (--data-dir, --port,
 * --no-open, --help) are passed through unchanged.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { scriptTranslator } from './messages.mjs';
import { requireNode } from './node-version.mjs';

requireNode('app');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const say = scriptTranslator();

const OUTPUTS = [
  'dist/renderer/index.html',
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/electron/browser.mjs',
  'dist/electron/core-worker.mjs',
  'dist/electron/core-worker.cjs',
];
const SOURCES = ['shared', 'electron', 'renderer', 'vite.config.ts', 'scripts/build.mjs', 'package.json'];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIfStale() {
  const outputs = OUTPUTS.map((file) => path.join(root, file));
  const oldestOutput = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  const newestSource = Math.max(...SOURCES.map((entry) => newestMtime(path.join(root, entry))));
  if (oldestOutput > newestSource) return;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * electron ≥ 45 has no install script: its binary is fetched on first use. That first fetch is
 * made here in a child process with its output captured, so a user with a normal network gets
 * the Electron window on the first `npm start`, and where the download is blocked (offline, a
 * closed network) the console falls back to browser mode with one line instead of a stack trace.
 */
function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkg, 'package.json'))) return null;
  const pathFile = path.join(pkg, 'path.txt');
  const installed = () => existsSync(pathFile) && existsSync(path.join(pkg, 'dist', readFileSync(pathFile, 'utf8')));
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH && !installed()) {
    // One line whatever happens: the outcome completes the line the attempt started.
    process.stderr.write(say('fetchingElectron'));
    const download = spawnSync(process.execPath, [path.join(pkg, 'install.js')], { stdio: 'pipe', timeout: 10 * 60_000 });
    if (download.status !== 0 || !installed()) {
      process.stderr.write(`${say('electronUnreachable')}\n`);
      return false;
    }
    process.stderr.write(`${say('electronFetched')}\n`);
  }
  try {
    const binary = require('electron');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * better-sqlite3 in node_modules is built for Node (the tests use it). Electron needs a build for
 * its own ABI: made once per Electron version in .cache/, never touching node_modules.
 */
function electronNativeBinding() {
  const version = require('electron/package.json').version;
  const dir = path.join(root, '.cache', 'electron-native', version, 'better-sqlite3');
  const binding = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true, filter: (file) => path.relative(source, file).split(path.sep)[0] !== 'build' });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const result = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: dir, stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(binding)) {
    console.error(say('nativeBuildFailed', { version }));
    process.exit(1);
  }
  return binding;
}

function runElectron(binary) {
  const child = spawn(binary, [root, ...args], {
    stdio: 'inherit',
    env: { ...process.env, WARROOM_NATIVE_BINDING: electronNativeBinding() },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * `npm start` runs this script under `sh -c`, and npm stopping (SIGTERM, a closed terminal) does
 * not reach it: the console would go on running, holding its port and its data folder. When the
 * process that started us goes away we are re-parented; stop as if we had been told to.
 */
function stopWithParent() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

stopWithParent();
buildIfStale();
const binary = electronBinary();
if (binary) {
  runElectron(binary);
} else {
  if (binary === null) console.error(say('electronMissing'));
  // Same process: browser mode reads process.argv.slice(2), which are exactly the options given here.
  await import(pathToFileURL(path.join(root, 'dist', 'electron', 'browser.mjs')).href);
}
