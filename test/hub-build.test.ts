import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_HUB, startHub, type HubProcess } from '../hub/test/support.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-built-hub-'));
let hub: HubProcess | null = null;

afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the hub from built JavaScript', () => {
  it('serves from dist/hub/cli.mjs on plain Node, without tsx', async () => {
    if (!existsSync(path.join(root, 'dist', 'hub', 'cli.mjs'))) {
      expect(spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' }).status).toBe(0);
    }
    hub = await startHub({ args: ['--db', path.join(dir, 'hub.sqlite')], env: {} }, [], BUILT_HUB);
    const health = await fetch(`${hub.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });
});
