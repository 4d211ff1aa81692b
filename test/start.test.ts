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

test('stopping `npm start` stops the console it started: the port closes and the data folder is free again', async () => {
  const { spawn } = await import('node:child_process');
  const { acquireDataLock } = await import('../electron/store/data-lock.js');
  const dataDir = tempDir();
  const npm = spawn('npm', ['start', '--', '--data-dir', dataDir, '--port', '0', '--no-open'], {
    cwd: root,
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ELECTRON_OVERRIDE_DIST_PATH: tempDir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    npm.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(output);
      if (match) resolve(match[0]);
    });
    npm.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
  });
  const origin = new URL(url).origin;
  expect((await fetch(`${origin}/`)).status).toBe(401);
  expect(() => acquireDataLock(dataDir)).toThrow();

  npm.kill('SIGTERM');
  // The server is gone once its port refuses connections; then the folder can be taken again.
  await expect
    .poll(
      async () => {
        try {
          await fetch(`${origin}/`);
          return 'still answering';
        } catch {
          return 'gone';
        }
      },
      { timeout: 20_000, interval: 200 },
    )
    .toBe('gone');
  await expect
    .poll(
      () => {
        try {
          acquireDataLock(dataDir).release();
          return 'free';
        } catch {
          return 'held';
        }
      },
      { timeout: 10_000, interval: 200 },
    )
    .toBe('free');
}, 120_000);
