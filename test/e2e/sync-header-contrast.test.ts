import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../hub/test/support.js';
import { CHROMIUM, CHROMIUM_ARGS, eventually, kill, SCREENSHOTS, startConsole, type Running, callFromPage } from './harness.js';

/**
 * The header's sync state in words anyone can read (issue #12, WCAG 2.2 AA contrast): an error
 * and an offline state, in the light and the dark theme, checked by axe. The pale words made
 * for the dark header all but vanished on the light one.
 */
describe('the sync state in the header, light and dark', () => {
  let dataDir: string;
  let hubDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  let hub: Awaited<ReturnType<typeof startHub>>;

  const call = (channel: string, input: unknown) => callFromPage(page, channel, input);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-sync-contrast-'));
    hubDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-sync-contrast-hub-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser, hub] = await Promise.all([
      startConsole(dataDir),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
      startHub({ args: ['--db', path.join(hubDir, 'hub.sqlite')], env: {} }),
    ]);
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' })).newPage();
    await page.goto(running.url);
    await page.getByRole('button', { name: 'Open a sample drill incident' }).click();
    await page.locator('.console-header').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (running) await kill(running.child);
    for (const dir of [dataDir, hubDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an error and an offline state pass axe in both themes', async () => {
    // A hub that refuses the token (an error), then one that is not there (offline).
    const states = [
      { state: 'error', configure: { hubUrl: hub.url, token: 'not-a-token-of-this-hub', enabled: true } },
      { state: 'offline', configure: { hubUrl: 'http://127.0.0.1:9', token: 'wrh_nobody_listens', enabled: true } },
    ];
    for (const { state, configure } of states) {
      await call('sync.configure', configure);
      for (const theme of ['light', 'dark']) {
        await page.evaluate((theme) => localStorage.setItem('warroom.theme', theme), theme);
        await page.reload();
        await page.locator('.console-header').waitFor();
        await eventually(() => page.getByTestId('sync-indicator').getAttribute('data-state'), 20_000).toBe(state);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).include('.console-header').analyze();
        expect(
          results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          `${state} ${theme}`,
        ).toEqual([]);
        await page.screenshot({ path: path.join(SCREENSHOTS, `sync-header-${state}-${theme}-1366x768.png`) });
      }
    }
    await call('sync.configure', { hubUrl: '', enabled: false });
  });
});
