import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli } from '../../hub/test/support.js';
import { startTestHub } from '../sync-support.js';
import { startAlertmanager, type Alertmanager } from '../outside/alertmanager.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually as eventuallyWithin, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

const eventually = <T>(read: () => Promise<T>, timeout = 20_000) => eventuallyWithin(read, timeout);

/**
 * The outside world, keyboard only, in Chromium against browser mode: an alert fires in Debian's
 * Alertmanager, reaches the hub and the syncing console; the commander opens the inbox (a),
 * declares the incident from the alert (Enter, Enter), and the alert shows on its timeline.
 */
describe('alerts in, in the console (browser mode, Chromium)', () => {
  const dirs: string[] = [];
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let alertmanager: Alertmanager;
  let app: Running;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(path.join(tmpdir(), 'warroom-e2e-outside-')));
    hub = await startTestHub(path.join(dirs[1]!, 'hub.sqlite'));
    const created = await hubCli(['integration', 'create', 'ops', 'alertmanager', 'Prometheus', '--db', hub.dbFile]);
    const id = /Integration ([0-9a-f]{12})/.exec(created.stderr)![1]!;
    [alertmanager, app, browser] = await Promise.all([
      startAlertmanager(dirs[1]!, `${hub.url}/v1/alerts/${id}`, created.stdout.trim()),
      startConsole(dirs[0]!),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(app.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([app && kill(app.child), hub?.stop(), alertmanager?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an alert fires in Alertmanager; the commander declares the incident from it, by keyboard', async () => {
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.keyboard.press('y');
    await page.getByRole('dialog', { name: 'Team sync' }).waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(hub.url);
    await page.keyboard.press('Tab');
    await page.keyboard.type(hub.token);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Team sync' }).waitFor({ state: 'detached' });

    await alertmanager.post([
      {
        labels: { alertname: 'CheckoutErrors', severity: 'critical', service: 'checkout' },
        annotations: { summary: 'Checkout error rate above 20%', description: 'HTTP 502 from the payment gateway since 14:02' },
        startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      },
    ]);
    await page.keyboard.press('a');
    const inbox = page.getByRole('dialog', { name: 'Alert inbox' });
    await inbox.waitFor();
    // The console pulls on its own schedule; the alert appears once it has synced.
    await eventually(() => inbox.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Checkout error rate above 20%')]);
    expect(await inbox.getByRole('option').first().getAttribute('data-state')).toBe('new');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-inbox-1366x768.png') });

    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Declare an incident from this alert' });
    await form.waitFor();
    expect(await form.getByLabel('Title').inputValue()).toBe('Checkout error rate above 20%');
    expect(await form.getByLabel('Impact').inputValue()).toBe('high');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-declare-1366x768.png') });
    await page.keyboard.press('Enter');
    await inbox.waitFor({ state: 'detached' });

    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain('Alert from Prometheus: Checkout error rate above 20% (Critical)');
    await eventually(() => page.locator('[data-alert-status]').first().textContent()).toBe('The alert is still firing.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-declared-1366x768.png') });
    expect(problems).toEqual([]);
  }, 90_000);
});
