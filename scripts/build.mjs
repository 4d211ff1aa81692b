#!/usr/bin/env node
/**
 * Builds everything `npm start`, the packager and the end-to-end tests run:
 *   dist/renderer/             the React UI (vite)
 *   dist/electron/main.cjs     Electron main process
 *   dist/electron/preload.cjs  Electron preload (sandboxed: it may only require 'electron')
 *   dist/electron/browser.mjs  browser mode for plain Node
 *   dist/electron/core-worker.mjs  the core's worker thread, loaded from beside the entry that starts it:
 *                                  a small entry that runs core-worker.cjs with a V8 code cache
 *   dist/electron/core-worker.cjs  the core itself (CommonJS: V8's code cache is kept for a vm.Script)
 *   dist/electron/pull-worker.cjs  pull pages read (sealed ones opened) off the core's thread
 *                                  (electron/sync/pull-worker.ts), started from beside the core's bundle
 *   dist/hub/cli.mjs           the team hub (`npm run hub`), plain Node, no tsx
 * better-sqlite3 stays external everywhere: its native addon is loaded from node_modules (or,
 * under Electron, from the binding built for Electron's ABI). So does sodium-native (libsodium for
 * sealed teams): an N-API addon, prebuilt, the same binary under Node and Electron.
 * playwright-core (PDF printing where there is no Electron window) is loaded from node_modules
 * only when a PDF is printed; Electron prints with its own window and never loads it.
 *
 * Usage: node scripts/build.mjs [--quiet]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { requireNode } from './node-version.mjs';

requireNode('app');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const out = path.join(root, 'dist', 'electron');

/**
 * The preload must not pull zod in, so it gets the channel names as a constant computed here
 * from the one channel map in shared/api/api.ts.
 */
async function channelNames() {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'shared', 'api', 'api.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'error',
  });
  const source = result.outputFiles[0].text;
  const api = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  return api.CHANNEL_NAMES;
}

/** ESM bundles that inline a CommonJS dependency need a real `require` to hand it. */
const esmRequireBanner = "import { createRequire as __warroomCreateRequire } from 'node:module'; const require = __warroomCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: quiet ? 'error' : 'warning',
  absWorkingDir: root,
};

async function buildMain() {
  const names = await channelNames();
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'desktop', 'main.ts')],
      outfile: path.join(out, 'main.cjs'),
      format: 'cjs',
      external: ['electron', 'better-sqlite3', 'sodium-native', 'playwright-core'],
      // Shared modules locate files with import.meta.url, which a CommonJS bundle must supply itself.
      define: { 'import.meta.url': '__warroomModuleUrl' },
      banner: { js: "const __warroomModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'desktop', 'preload.ts')],
      outfile: path.join(out, 'preload.cjs'),
      format: 'cjs',
      external: ['electron'],
      define: { __WARROOM_CHANNELS__: JSON.stringify(names) },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'browser', 'main.ts')],
      outfile: path.join(out, 'browser.mjs'),
      format: 'esm',
      // fastify and its plugins load parts of themselves lazily; they run from node_modules as published.
      external: ['better-sqlite3', 'sodium-native', 'fastify', '@fastify/static', 'playwright-core'],
      banner: { js: esmRequireBanner },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'host', 'worker.ts')],
      outfile: path.join(out, 'core-worker.cjs'),
      format: 'cjs',
      external: ['better-sqlite3', 'sodium-native', 'playwright-core'],
      define: { 'import.meta.url': '__warroomModuleUrl' },
      banner: { js: "const __warroomModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'sync', 'pull-worker.ts')],
      outfile: path.join(out, 'pull-worker.cjs'),
      format: 'cjs',
      external: ['sodium-native'],
      define: { 'import.meta.url': '__warroomModuleUrl' },
      banner: { js: "const __warroomModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'host', 'worker-boot.ts')],
      outfile: path.join(out, 'core-worker.mjs'),
      format: 'esm',
    }),
  ]);
}

/** The hub runs from this bundle; its drivers and server stay in node_modules (native addons, lazy plugin loading). */
async function buildHub() {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'hub', 'cli.ts')],
    outfile: path.join(root, 'dist', 'hub', 'cli.mjs'),
    format: 'esm',
    external: ['better-sqlite3', 'fastify', '@fastify/*', 'pg', 'pg-native', 'nodemailer'],
    banner: { js: esmRequireBanner },
  });
}

async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'info' });
}

const started = Date.now();
try {
  // One after the other: vite already uses both cores, and this machine has two.
  await buildRenderer();
  await buildMain();
  await buildHub();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
if (!quiet) console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
