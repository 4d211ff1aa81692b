import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The desktop package, built for real by electron-builder (`--dir`: the unpacked app, no
 * installer) against a stand-in for the Electron distribution, so nothing is downloaded. The
 * stand-in `electron` executable carries Electron's fuse wire (the sentinel, version 1, eight
 * fuses all on), so the fuses electron-builder flips can be read back from the packaged binary.
 * Native modules are not rebuilt for Electron here (that needs Electron's headers from the
 * network); what is checked is what the package holds.
 */
const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = { runAsNode: 0, embeddedAsarIntegrityValidation: 4, onlyLoadAppFromAsar: 5 } as const;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  productName?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let appDir: string;

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'electron', 'main.cjs'))) {
    expect(spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' }).status).toBe(0);
  }
  work = mkdtempSync(path.join(os.tmpdir(), 'warroom-package-'));
  const fakeDist = path.join(work, 'electron-dist');
  mkdirSync(fakeDist);
  const wire = Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in for Electron"\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]);
  writeFileSync(path.join(fakeDist, 'electron'), wire);
  chmodSync(path.join(fakeDist, 'electron'), 0o755);
  writeFileSync(path.join(fakeDist, 'version'), electronVersion);
  writeFileSync(path.join(fakeDist, 'LICENSE'), 'stand-in');
  const out = path.join(work, 'release');
  const builder = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--dir',
      '--linux',
      `--${os.arch() === 'arm64' ? 'arm64' : 'x64'}`,
      '--publish',
      'never',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${fakeDist}`,
      `-c.electronVersion=${electronVersion}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_CACHE: path.join(work, 'cache'), CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  if (builder.status !== 0) throw new Error(`electron-builder failed (${builder.status}):\n${builder.stdout}\n${builder.stderr}`);
  appDir = path.join(out, os.arch() === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the desktop package (electron-builder --dir)', () => {
  it('holds the bundles in app.asar and the worker, better-sqlite3’s and libsodium’s binaries unpacked beside it', () => {
    const asar = require('@electron/asar') as { listPackage(archive: string, options: object): string[] };
    const archive = path.join(appDir, 'resources', 'app.asar');
    const files = asar.listPackage(archive, {}).map((f) => f.replaceAll('\\', '/'));
    for (const bundle of ['/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/package.json'])
      expect(files).toContain(bundle);
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
    expect(existsSync(path.join(unpacked, 'dist', 'electron', 'core-worker.mjs'))).toBe(true);
    expect(existsSync(path.join(unpacked, 'dist', 'electron', 'core-worker.cjs'))).toBe(true);
    // The pull worker (pull pages read, sealed ones opened, off the core's thread) is started from a real file beside the core's bundle.
    expect(existsSync(path.join(unpacked, 'dist', 'electron', 'pull-worker.cjs'))).toBe(true);
    expect(existsSync(path.join(unpacked, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    // libsodium for sealed teams: its prebuilt binary for this platform, and the package.json its loader reads (asar-aware) to find it.
    const sodium = path.join(unpacked, 'node_modules', 'sodium-native');
    expect(existsSync(path.join(sodium, 'prebuilds', `${process.platform}-${process.arch}`, 'sodium-native.node'))).toBe(true);
    expect(files).toContain('/node_modules/require-addon/package.json');
  });

  it('ships no devDependency', () => {
    const asar = require('@electron/asar') as { listPackage(archive: string, options: object): string[] };
    const files = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), {}).map((f) => f.replaceAll('\\', '/'));
    const modules = new Set(files.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((m): m is string => m !== undefined));
    expect(modules.size).toBeGreaterThan(0);
    const shipped = Object.keys(pkg.devDependencies).filter((name) => modules.has(name) && !(name in pkg.dependencies));
    expect(shipped).toEqual([]);
  });

  it('flips the fuses: no ELECTRON_RUN_AS_NODE, ASAR integrity checked, the app only from the ASAR', () => {
    const binary = readFileSync(path.join(appDir, 'warroom'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length;
    const fuse = (index: number) => String.fromCharCode(binary[at + 2 + index]!);
    expect(fuse(FUSES.runAsNode)).toBe('0');
    expect(fuse(FUSES.embeddedAsarIntegrityValidation)).toBe('1');
    expect(fuse(FUSES.onlyLoadAppFromAsar)).toBe('1');
  });
});
