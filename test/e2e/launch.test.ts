import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLauncher } from '../../electron/browser/launcher.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, kill, startConsole, type Running } from './harness.js';

/** The launch link in a real browser: opened once through a private file, spent afterwards. */
describe('the launch link in Chromium', () => {
  let dataDir: string;
  let browser: Browser;
  let running: Running;

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-launch-'));
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens through a launcher file, leaves no token in the history or the cookie, and the link is spent afterwards', async () => {
    const token = new URL(running.url).searchParams.get('token')!;
    const launcher = writeLauncher(running.url);
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(pathToFileURL(launcher.file).href);
      await page.waitForURL((url) => url.protocol === 'http:' && url.pathname === '/');
      await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
      expect(page.url()).not.toContain(token);
      // Each step redirected in place: one step back is where the tab started, not the page that carried the token.
      await page.goBack();
      expect(page.url()).not.toContain(token);
      await page.goForward();
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.value).not.toBe(token);
      // Reloading keeps the session.
      await page.reload();
      await page.getByRole('heading', { name: 'No incident yet' }).waitFor();

      // Another browser profile with the same link (copied from the terminal, the history, a process list): refused.
      const other = await browser.newContext();
      const stranger = await other.newPage();
      const refused = await stranger.goto(running.url);
      expect(refused?.status()).toBe(401);
      // The session value does not work as a Bearer token, nor does the spent launch token.
      for (const bearer of [token, cookie!.value]) {
        const answer = await other.request.post(new URL('/api/call/incidents.list', running.url).href, {
          headers: { Authorization: `Bearer ${bearer}` },
          data: {},
        });
        expect(answer.status()).toBe(401);
      }
      await other.close();
      await context.close();
    } finally {
      launcher.remove();
    }
  });
});
