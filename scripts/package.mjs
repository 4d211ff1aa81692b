#!/usr/bin/env node
/**
 * `npm run package [-- electron-builder options, e.g. --linux]`: build dist/, then make the
 * installers described in electron-builder.yml into release/.
 * electron-builder rebuilds better-sqlite3 for Electron in node_modules; the tests need the Node
 * build there, so it is restored afterwards whether packaging succeeded or not.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeProblem } from './node-version.mjs';

// electron-builder rebuilds better-sqlite3 for Electron with @electron/rebuild and fetches Electron
// with @electron/get; both declare Node 22.12. Stop here with one line rather than fail half-way.
const tooOld = nodeProblem('packaging');
if (tooOld) {
  console.error(
    `${tooOld}\nBrowser mode (npm start), the hub (npm run hub) and the tests (npm test) run on this Node; test/package.test.ts still checks the package without the native rebuild.`,
  );
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const builder = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

let status = run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
if (status === 0) {
  status = run(builder, ['--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
  const restored = run(npm, ['rebuild', 'better-sqlite3']);
  if (status === 0) status = restored;
}
process.exit(status);
