#!/usr/bin/env node
/**
 * `npm run hub [-- command and options]`: the team hub from its built bundle (dist/hub/cli.mjs),
 * building it first when the sources are newer. No tsx: the hub runs on plain Node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireNode } from './node-version.mjs';

requireNode('app');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'hub', 'cli.mjs');

function newest(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((child) => newest(path.join(entry, child))));
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(newest(path.join(root, 'hub')), newest(path.join(root, 'shared')))) {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const hub = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(hub.status ?? 1);
