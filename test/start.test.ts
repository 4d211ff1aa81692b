import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { tempDir } from './helpers.js';

const root = path.join(import.meta.dirname, '..');

test('npm start without an Electron binary says so in one line and falls back to browser mode (here: its --help)', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--help'], {
    cwd: root,
    encoding: 'utf8',
    // Points Electron at an empty folder, so the test means the same on a machine that has Electron.
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ELECTRON_OVERRIDE_DIST_PATH: tempDir() },
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  const notices = run.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(/browser mode/);
  expect(run.stdout).toMatch(/--data-dir DIR/);
  expect(run.stdout).toMatch(/--port N/);
});
