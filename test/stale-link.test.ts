import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill, startConsole, type Running } from './e2e/harness.js';

/**
 * A tab left open on an old link (the console restarted, or the link was used already) gets a
 * page a person can read, saying how to get a new link; the API keeps its JSON errors.
 */
describe('a stale link in browser mode', () => {
  let dataDir: string;
  let running: Running;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-stale-'));
    running = await startConsole(dataDir);
  });

  afterAll(async () => {
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a browser tab a readable page that says how to get a new link', async () => {
    const stale = new URL(running.url);
    stale.searchParams.set('token', 'from-an-earlier-launch');
    for (const url of [stale.href, new URL('/', running.url).href]) {
      const response = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' }, redirect: 'manual' });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('This link no longer opens the console');
      expect(page).toContain('To get a new link');
      expect(page).toContain('Pour obtenir un nouveau lien');
      expect(page).not.toContain('{"code"');
    }
  });

  it('keeps the JSON error for the API', async () => {
    const response = await fetch(new URL('/api/call/incident.list', running.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('unauthorized');
  });
});
