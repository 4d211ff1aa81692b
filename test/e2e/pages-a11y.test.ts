import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running, callFromPage } from './harness.js';

/**
 * The pages around the console, WCAG 2.2 AA by axe with zero violations, in English and French
 * (issue #12): the first-launch page asking who is typing (with its error showing too), the
 * welcome page and the declaration form it opens, the hub's public status page (empty, and with a
 * published update), and the page a tab shows for an old link after a restart. The console's
 * own pages in both themes; a screenshot of each (test-results/screenshots/pages-*).
 */
describe('the pages around the console: axe in English and French', () => {
  const dirs: string[] = [];
  let hub: HubProcess;
  let token = '';
  let running: Running;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const axeProblems = async (on: Page = page) => {
    // axe.run in the page itself (legacy mode: no blank page per run; none of these pages has frames).
    const results = await new AxeBuilder({ page: on })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .options({ resultTypes: ['violations'] })
      .setLegacyMode()
      .analyze();
    return results.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`);
  };

  /** Nothing wider than the window. */
  const sideways = (on: Page = page) => on.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  /** The console's page in `theme` and `language`, as the switches left them (kept across a reload). */
  const useLook = async (theme: 'dark' | 'light', language: 'en' | 'fr', ready: string) => {
    await page.evaluate(
      ([theme, language]) => {
        localStorage.setItem('warroom.theme', theme);
        localStorage.setItem('warroom.language', language);
      },
      [theme, language] as const,
    );
    await page.reload();
    await page.locator(ready).waitFor();
    await eventually(() => page.evaluate(() => [document.documentElement.dataset['theme'], document.documentElement.lang])).toEqual([theme, language]);
  };

  /** Check the console's page now showing (`ready`) in both themes and both languages. */
  const checkEveryLook = async (key: string, ready: string, before?: () => Promise<void>) => {
    const problems: string[] = [];
    for (const theme of ['dark', 'light'] as const) {
      for (const language of ['en', 'fr'] as const) {
        await useLook(theme, language, ready);
        if (before) await before();
        for (const problem of await axeProblems()) problems.push(`${key} ${theme} ${language}: ${problem}`);
        if ((await sideways()) > 0) problems.push(`${key} ${theme} ${language}: scrolls sideways`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `pages-${key}-${theme}-${language}-1366x768.png`) });
      }
    }
    expect(problems).toEqual([]);
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(path.join(tmpdir(), 'warroom-e2e-pages-')));
    const configFile = path.join(dirs[1]!, 'hub-config.json');
    writeFileSync(configFile, JSON.stringify({ teams: { ops: { statusPage: { name: 'Acme status' } } } }));
    chmodSync(configFile, 0o600);
    const dbFile = path.join(dirs[1]!, 'hub.sqlite');
    token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
    // First launch: no name given yet, so the console asks for one.
    [hub, running, browser] = await Promise.all([
      startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile]),
      startConsole(dirs[0]!, { name: null }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(running.url);
    // The link's token is traded for a session, and the page lands on its own address.
    await page.locator('#ask-name-input').waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([running && kill(running.child), hub?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the first-launch page asking who is typing, with and without its error', async () => {
    await checkEveryLook('ask-name', '#ask-name-input');
    // Sent empty: the error is said under the field, in words that pass too.
    await checkEveryLook('ask-name-error', '#ask-name-input', async () => {
      await page.locator('#ask-name-input').press('Enter');
      await page.locator('#ask-name-error').waitFor();
    });
    await page.locator('#ask-name-input').fill('Alex Martin');
    await page.locator('#ask-name-input').press('Enter');
    await page
      .locator('.welcome-card')
      .filter({ hasNot: page.locator('#ask-name-input') })
      .first()
      .waitFor();
  });

  it('the welcome page with no incident yet, and the declaration form it opens', async () => {
    await checkEveryLook('welcome', '.welcome-card');
    await checkEveryLook('declare', '.welcome-card', async () => {
      await page.getByRole('button', { name: /Declare an incident|Déclarer un incident/ }).click();
      await page.locator('#declare-title').waitFor();
    });
  });

  it('the hub’s public status page, empty and with a published update, in English and in French', async () => {
    const statusUrl = (language: 'en' | 'fr') => `${hub.url}/status/ops?lang=${language}`;
    const problems: string[] = [];
    const check = async (key: string, shows: RegExp) => {
      for (const language of ['en', 'fr'] as const) {
        // A reader of its own each time: the page may be cached for 30 s, and this one must be read afresh.
        const reader = await browser.newContext({ viewport: { width: 1366, height: 768 } });
        const statusPage = await reader.newPage();
        await statusPage.goto(statusUrl(language));
        expect(await statusPage.locator('main').innerText()).toMatch(shows);
        await statusPage.getByRole('heading', { name: 'Acme status' }).waitFor();
        expect(await statusPage.evaluate(() => document.documentElement.lang)).toBe(language);
        for (const problem of await axeProblems(statusPage)) problems.push(`${key} ${language}: ${problem}`);
        if ((await sideways(statusPage)) > 0) problems.push(`${key} ${language}: scrolls sideways`);
        await statusPage.screenshot({ path: path.join(SCREENSHOTS, `pages-status-${key}-${language}-1366x768.png`), fullPage: true });
        await reader.close();
      }
    };
    await check('empty', /No incident reported|Aucun incident signalé/);
    // The console syncs with the hub; the incident is shown on the page and a customer update published.
    await callFromPage(page, 'sync.configure', { hubUrl: hub.url, token, enabled: true });
    const { incidentId } = await callFromPage(page, 'incident.declare', {
      title: 'Checkout fails for card payments',
      occurredAt: Date.now() - 600_000,
      detectedAt: Date.now() - 300_000,
      detectionSource: 'user_report',
      category: 'hardware',
      impact: 'high',
      urgency: 'high',
      commander: 'Alex Martin',
    });
    await callFromPage(page, 'status.setVisibility', { incidentId, visible: true, title: 'Card payments failing', services: ['Checkout', 'Payments'] });
    const body = 'Card payments fail at checkout; we are switching to our second data centre. Next update at 15:00.';
    const { draftId } = await callFromPage(page, 'comms.draft', { incidentId, audience: 'customers', channel: 'status_page', body });
    await callFromPage(page, 'comms.approve', { incidentId, draftId });
    await callFromPage(page, 'status.publish', { incidentId, draftId, status: 'identified' });
    await eventually(async () => (await (await fetch(statusUrl('en'))).text()).includes('second data centre'), 30_000).toBe(true);
    await check('published', /Card payments failing[\s\S]*second data centre/);
    expect(problems).toEqual([]);
  }, 120_000);

  it('the page a tab shows for a link from before a restart', async () => {
    // Restarted on the same port, as `npm start` does: the tab's link now holds a token of the earlier start.
    const oldLink = running.url;
    await kill(running.child);
    running = await startConsole(dirs[0]!, { port: Number(new URL(oldLink).port) });
    expect(new URL(running.url).port).toBe(new URL(oldLink).port);
    expect(running.url).not.toBe(oldLink);
    const response = await page.goto(oldLink);
    expect(response!.status()).toBe(401);
    await page.getByRole('heading', { name: 'This link no longer opens the console' }).waitFor();
    // One page in both languages: the French part says it is French.
    expect(await page.locator('section[lang="fr"] h2').textContent()).toBe('Ce lien n’ouvre plus la console');
    expect(await axeProblems()).toEqual([]);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pages-stale-link-1366x768.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
