import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { freePort, startAlertmanager, type Alertmanager } from '../outside/alertmanager.js';
import { makeCertificate, parseMail, startMailServer, type MailServer } from '../outside/receivers.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually as eventuallyWithin, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

const eventually = <T>(read: () => Promise<T>, timeout = 20_000) => eventuallyWithin(read, timeout);

/**
 * The outside world, keyboard only, in Chromium against browser mode: an alert fires in Debian's
 * Alertmanager, reaches the hub and the syncing console; the commander opens the inbox (a),
 * declares the incident from the alert (Enter, Enter), approves and sends a customer update
 * through the hub, the mail reaches a real SMTP server, the published update shows on the public
 * status page and its feed; with the hub down the next update waits, and goes once it is back.
 */
describe('alerts in, updates out, status page (browser mode, Chromium)', () => {
  const dirs: string[] = [];
  let hub: HubProcess;
  let token = '';
  let dbFile = '';
  let hubPort = 0;
  let configFile = '';
  let mail: MailServer;
  let alertmanager: Alertmanager;
  let app: Running;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(path.join(tmpdir(), 'warroom-e2e-outside-')));
    const cert = makeCertificate(dirs[1]!);
    const smtpUser = { user: 'hub', pass: 'smtp-password' };
    mail = await startMailServer(cert, smtpUser);
    configFile = path.join(dirs[1]!, 'hub-config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        retry: { attempts: 3, firstDelayMs: 50, maxDelayMs: 200, timeoutMs: 5000 },
        teams: {
          ops: {
            statusPage: { name: 'Acme status' },
            channels: [
              {
                id: 'customers-mail',
                kind: 'email',
                audiences: ['customers'],
                smtp: { host: '127.0.0.1', port: mail.port, auth: smtpUser, caFile: cert.certFile },
                from: 'status@acme.example',
                to: ['customers@acme.example'],
              },
            ],
          },
        },
      }),
    );
    chmodSync(configFile, 0o600);
    dbFile = path.join(dirs[1]!, 'hub.sqlite');
    token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
    hubPort = await freePort();
    hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);
    const created = await hubCli(['integration', 'create', 'ops', 'alertmanager', 'Prometheus', '--db', dbFile]);
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
    await Promise.all([app && kill(app.child), hub?.stop(), alertmanager?.stop(), mail?.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an alert fires in Alertmanager; the commander declares the incident from it, by keyboard', async () => {
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.keyboard.press('y');
    await page.getByRole('dialog', { name: 'Team sync' }).waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(hub.url);
    await page.keyboard.press('Tab');
    await page.keyboard.type(token);
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

    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain(
      'Alert from Prometheus: Checkout error rate above 20% (Critical)',
    );
    await eventually(() => page.locator('[data-alert-status]').first().textContent()).toBe('The alert is still firing.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-declared-1366x768.png') });
    expect(problems).toEqual([]);
  }, 90_000);

  it('a new alert shows as a count in the header; the palette lists it and opens the inbox on it, by keyboard', async () => {
    await alertmanager.post([
      {
        labels: { alertname: 'DiskFull', severity: 'warning', service: 'ledger-db' },
        annotations: { summary: 'Ledger database disk 95% full' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      },
    ]);
    const button = page.getByTestId('alerts-button');
    await eventually(() => button.locator('[data-testid="alerts-badge"]').textContent()).toBe('1');
    // The count is in the button's name, not a bare figure for a screen reader.
    expect(await button.getAttribute('aria-label')).toBe('Alerts, 1 new');
    await page.locator('.console-header').screenshot({ path: path.join(SCREENSHOTS, 'alerts-header-badge-1366x768.png') });

    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+K');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    // Named by its question once an action asks one.
    const palette = page.locator('dialog[open]');
    await page.keyboard.type('alert inbox');
    await eventually(() => palette.getByRole('option').first().textContent()).toContain('Alert inbox — 1 new alert');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Which alert?' }).waitFor();
    // Which alert: the new one first, then the one already linked.
    await eventually(() => palette.getByRole('option').allTextContents()).toEqual([
      expect.stringContaining('Ledger database disk 95% full'),
      expect.stringContaining('Checkout error rate above 20%'),
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-palette-1366x768.png') });
    await page.keyboard.press('Enter');
    const inbox = page.getByRole('dialog', { name: 'Alert inbox' });
    await inbox.waitFor();
    await eventually(() => inbox.locator('[role="option"][aria-selected="true"]').textContent()).toContain('Ledger database disk 95% full');
    // k acknowledges the alert the inbox opened on: no longer new, the badge goes.
    await page.keyboard.press('k');
    await eventually(() => inbox.locator('[role="option"][aria-selected="true"]').getAttribute('data-state')).toBe('acknowledged');
    await page.keyboard.press('Escape');
    await inbox.waitFor({ state: 'detached' });
    await eventually(() => button.locator('[data-testid="alerts-badge"]').count()).toBe(0);
    expect(await button.getAttribute('aria-label')).toBe('Alerts');
    // Tab reaches the button and Enter opens the inbox too.
    await button.focus();
    await page.keyboard.press('Enter');
    await inbox.waitFor();
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  }, 90_000);

  it('the source resolves the alert: the incident’s own record says so, in its timeline and on the hub', async () => {
    await alertmanager.post([
      {
        labels: { alertname: 'CheckoutErrors', severity: 'critical', service: 'checkout' },
        annotations: { summary: 'Checkout error rate above 20%', description: 'HTTP 502 from the payment gateway since 14:02' },
        startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        endsAt: new Date(Date.now() - 1_000).toISOString(),
      },
    ]);
    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents(), 40_000).toContain(
      'Alert resolved at its source: Checkout error rate above 20%',
    );
    await eventually(() => page.locator('[data-alert-status]').first().getAttribute('data-alert-status')).toBe('resolved');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-resolved-entry-1366x768.png') });
    // Synced: the hub relays it as an event of the incident, for every other laptop.
    const incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    const relayed = async () => {
      const page = (await (await fetch(`${hub.url}/v1/events?after=0&limit=5000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        events: { kind: string; incidentId: string }[];
      };
      return page.events.filter((e) => e.kind === 'alert.resolved' && e.incidentId === incidentId).length;
    };
    await eventually(relayed, 30_000).toBe(1);
  }, 90_000);

  /** Focus a control the way Tab would reach it, then act on it with the keyboard only. */
  async function press(name: string | RegExp, key = 'Enter', scope = page.locator('body')): Promise<void> {
    await scope.getByRole('button', { name }).first().focus();
    await page.keyboard.press(key);
  }

  async function writeApproveSend(body: string): Promise<void> {
    await page.keyboard.press('c');
    await page.keyboard.type(body);
    await page.keyboard.press('ControlOrMeta+Enter');
    const draft = page.locator('li.draft', { hasText: body });
    await draft.waitFor();
    await press('Approve', 'Enter', draft);
    await eventually(() => draft.getAttribute('data-state')).toBe('approved');
    await press('Send through the hub', 'Enter', draft);
    await eventually(() => draft.getAttribute('data-state')).toBe('sent');
  }

  it('the commander approves and sends a customer update: the mail arrives, the status page and its feed show it', async () => {
    await press('Show on the status page');
    await eventually(() => page.getByTestId('public-page').getAttribute('data-visible')).toBe('true');

    const body = 'Les paiements par carte échouent ; nous basculons vers le site de secours. Prochain point à 15 h.';
    await writeApproveSend(body);
    const draft = page.locator('li.draft', { hasText: body });
    await eventually(() => draft.getByTestId('delivery-status').locator('li[data-state]').getAttribute('data-state')).toBe('delivered');
    expect(mail.mails).toHaveLength(1);
    const received = parseMail(mail.mails[0]!.raw);
    expect(received.body).toBe(body);
    expect(mail.mails[0]!.secure).toBe(true);

    await page.getByRole('combobox', { name: 'Publish on the status page' }).focus();
    await press('Publish on the status page', 'Enter', draft);
    await draft.getByTestId('published-note').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'outside-comms-delivered-1366x768.png') });

    // The public page, as a customer on a phone sees it: no token, no script.
    await eventually(async () => (await (await fetch(`${hub.url}/status/ops`)).text()).includes('nous basculons vers le site de secours'), 30_000).toBe(true);
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'fr-FR', javaScriptEnabled: false });
    const statusPage = await phone.newPage();
    const response = await statusPage.goto(`${hub.url}/status/ops`);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'none'");
    await statusPage.getByRole('heading', { name: 'Acme status' }).waitFor();
    expect(await statusPage.locator('article h2').first().textContent()).toBe('Checkout error rate above 20%');
    expect(await statusPage.locator('p.body').first().textContent()).toBe(body);
    await statusPage.screenshot({ path: path.join(SCREENSHOTS, 'outside-status-page-phone-fr-375x740.png'), fullPage: true });
    await phone.close();
    const feed = await (await fetch(`${hub.url}/status/ops/feed.atom`)).text();
    expect(feed).toContain('nous basculons vers le site de secours');
  }, 120_000);

  it('with the hub down the update waits on this laptop, and goes once the hub is back', async () => {
    await hub.stop();
    const body = 'Le service est rétabli depuis 15 h 10 ; nous surveillons.';
    await writeApproveSend(body);
    const draft = page.locator('li.draft', { hasText: body });
    await eventually(() => draft.getByTestId('delivery-status').getAttribute('data-local')).toBe('waiting');
    expect(await draft.getByTestId('delivery-status').textContent()).toContain('Waiting on this laptop');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'outside-update-waiting-1366x768.png') });
    expect(mail.mails).toHaveLength(1);

    hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);
    await eventually(() => draft.getByTestId('delivery-status').locator('li[data-state]').getAttribute('data-state'), 60_000).toBe('delivered');
    expect(mail.mails).toHaveLength(2);
    expect(parseMail(mail.mails[1]!.raw).body).toBe(body);
    expect(problems).toEqual([]);
  }, 120_000);
});
