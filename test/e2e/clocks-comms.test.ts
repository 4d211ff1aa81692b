import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * The clocks and the stakeholder comms as a commander meets them, in Chromium against the
 * built app in browser mode. Time moves with Playwright's clock (page.clock), never by waiting:
 * the page's clock runs ahead of the core's. A pause, its end and a breach are facts only the
 * core's clock stamps, never the window's (test/e2e/record-choice.test.ts reads their times).
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const TITLE = `Payments failing *everywhere* ${HOSTILE}`;
const REASON = 'waiting on the payment provider';

const timelineTexts = (page: Page) => page.locator('.timeline-row .entry-text').allTextContents();
/** What a block says, as one line (the clocks set their figures apart from their words). */
const said = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const tone = (page: Page, clock: 'response' | 'resolution') => page.getByTestId(`sla-${clock}`).getAttribute('data-tone');

async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(SCREENSHOTS, `clocks-comms-${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

describe('clocks and stakeholder comms in Chromium (browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-clocks-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.url).origin });
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(error.message));
    page.on('dialog', (dialog) => {
      pageProblems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.clock.install({ time: Date.now() });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares a P1 whose clocks and update countdowns start at once', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Declare an incident' }).waitFor();
    await page.keyboard.type(TITLE);
    await page.getByLabel('Impacted services', { exact: false }).fill('checkout, payments-api');
    await page.getByLabel('Incident commander', { exact: false }).fill('Ana');
    await page.getByLabel('Incident commander', { exact: false }).press('Enter');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(TITLE);
    expect(await page.locator('.console-header .priority-badge').textContent()).toBe('P1');

    expect(await tone(page, 'response')).toBe('ok');
    expect(await said(page.getByTestId('sla-response'))).toMatch(/target 15 min · due \d\d:\d\d/);
    expect(await said(page.getByTestId('sla-resolution'))).toMatch(/target 4 h/);
    await eventually(() => said(page.getByTestId('update-clock-customers'))).toMatch(/Customers\s*in 0[45]:\d\d/);
    expect(await said(page.getByTestId('update-clock-internal'))).toMatch(/Internal\s*in (29|30):\d\d/);
    expect(await said(page.getByTestId('update-clock-executives'))).toMatch(/Executives\s*in (59|1:00):\d\d/);
    await page.keyboard.press('Escape');
  });

  it('turns the customer countdown red once the first update is overdue, and a sent update resets it', async () => {
    await page.clock.fastForward('05:30');
    await eventually(() => page.getByTestId('update-clock-customers').getAttribute('data-overdue')).toBe('true');
    expect(await said(page.getByTestId('update-clock-customers'))).toMatch(/overdue 00:[23]\d/);
    expect(await page.getByTestId('update-clock-customers').getAttribute('class')).toContain('tone-breached');
    await screenshots(page, 'update-overdue');

    // c goes to the message; the template speaks to customers and promises the next update.
    await page.keyboard.press('c');
    await page.getByLabel('Audience').selectOption('customers');
    await page.getByLabel('Channel').selectOption('status_page');
    await page.getByRole('button', { name: 'Fill from incident' }).click();
    await eventually(() => page.locator('#comms-body').inputValue()).toContain(`Service notice — ${TITLE}`);
    const body = await page.locator('#comms-body').inputValue();
    expect(body).toContain('We are aware of a problem affecting our service and our teams are working on it.');
    expect(body).toMatch(/Next update by \d\d:\d\d\./);
    // No internal detail by default: no priority label, no internal service names.
    expect(body).not.toContain('P1');
    expect(body).not.toContain('payments-api');
    await page.locator('#comms-body').press('Control+Enter');
    const draft = page.locator('.draft').first();
    await eventually(() => draft.getAttribute('data-state')).toBe('draft');
    await draft.getByRole('button', { name: 'Approve' }).click();
    await eventually(() => draft.getAttribute('data-state')).toBe('approved');
    await draft.getByRole('button', { name: 'Mark sent' }).click();
    await eventually(() => draft.getAttribute('data-state')).toBe('sent');
    await eventually(() => page.getByTestId('update-clock-customers').getAttribute('data-overdue')).toBe('false');
    expect(await said(page.getByTestId('update-clock-customers'))).toMatch(/in 1\d:\d\d/);
    expect(await page.getByTestId('update-clock-internal').getAttribute('data-overdue')).toBe('false');
  });

  it('copies an update as Markdown or as plain text with one key', async () => {
    const draft = page.locator('.draft').first();
    await draft.focus();
    await page.keyboard.press('m');
    await eventually(() => page.getByTestId('copy-status').textContent()).toBe('Copied as Markdown.');
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    // The heading is bold and what was typed is escaped: no formatting, no HTML.
    expect(markdown.split('\n')[0]).toBe('**Service notice — Payments failing \\*everywhere\\* &lt;img src=x onerror=alert(1)&gt;**');
    await page.keyboard.press('x');
    await eventually(() => page.getByTestId('copy-status').textContent()).toBe('Copied as plain text.');
    expect((await page.evaluate(() => navigator.clipboard.readText())).split('\n')[0]).toBe(`Service notice — ${TITLE}`);
  });

  it('turns the response clock amber at 75% of the target, then red, and leaves recording the breach to the core', async () => {
    await page.clock.fastForward('06:00');
    await eventually(() => tone(page, 'response')).toBe('warning');
    await screenshots(page, 'response-amber');
    await page.clock.fastForward('04:00');
    await eventually(() => tone(page, 'response')).toBe('breached');
    expect(await said(page.getByTestId('sla-response'))).toMatch(/breached by 00:00:\d\d/);
    // The page's clock runs ahead of the core's: the window shows red, but only the core's clock
    // records a breach (test/clocks.test.ts), so none is in the record yet.
    await page.clock.fastForward('01:00');
    await page.reload();
    await page.locator('.console-header').waitFor();
    await eventually(() => tone(page, 'response')).toBe('breached');
    await page.clock.fastForward('00:10');
    expect((await timelineTexts(page)).filter((t) => t.startsWith('Response SLA breached'))).toHaveLength(0);
    await screenshots(page, 'response-breached');
  });

  it('pauses the clocks with a reason and resumes them; the paused time is shown and not counted', async () => {
    await page.keyboard.press('p');
    await page.getByRole('heading', { name: 'Pause the SLA clocks' }).waitFor();
    await page.keyboard.type(REASON);
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('pause-state').textContent()).toBe(`Paused: ${REASON}`);
    await eventually(() => tone(page, 'resolution')).toBe('paused');
    // The clocks tick once a second: let one tick pass so the reading includes the pause itself.
    await page.clock.fastForward(1_000);
    const left = () => said(page.getByTestId('sla-resolution').locator('.value'));
    const before = await left();
    await page.clock.fastForward('05:00');
    // Stamped by the core, whose clock is behind this page's: the page counts more paused time than that.
    await eventually(() => page.getByTestId('paused-total').textContent()).toMatch(/paused \d\d:\d\d:\d\d in total/);
    // Paused: the time left does not move.
    expect(await left()).toBe(before);
    await screenshots(page, 'paused');

    await page.keyboard.press('p');
    await eventually(() => page.getByTestId('pause-state').count()).toBe(0);
    await eventually(() => tone(page, 'resolution')).toBe('ok');
    await eventually(() => timelineTexts(page)).toEqual(expect.arrayContaining([`SLA clocks paused: ${REASON}`, 'SLA clocks resumed']));
  });

  it('edits the SLA policy in the team settings and the clocks follow', async () => {
    await page.keyboard.press(',');
    await page.getByRole('heading', { name: 'Team settings' }).waitFor();
    // The first field (P1 response) has the focus.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('45m');
    await page.getByLabel('P1 · Resolution target').fill('2h');
    await page.getByLabel('P1 · Resolution target').press('Control+Enter');
    await eventually(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    await page.getByLabel('P2 · Response target').fill('soon');
    await page.getByLabel('P2 · Response target').press('Control+Enter');
    await eventually(() => page.locator('.team-settings .error-note').first().textContent()).toBe(
      'P2 · Response target: “soon” is not a duration (e.g. 15m, 4h, 3d)',
    );
    await screenshots(page, 'settings');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('heading', { name: 'Team settings' }).count()).toBe(0);

    await eventually(() => said(page.getByTestId('sla-response'))).toMatch(/target 45 min/);
    expect(await said(page.getByTestId('sla-resolution'))).toMatch(/target 2 h/);
    // 45 minutes leave room again: the clock shows time left.
    expect(await tone(page, 'response')).toBe('ok');
  });

  it('shows wall clocks for the regions the incident touches, with the date when it is not today', async () => {
    await page.keyboard.press('w');
    await page.getByRole('heading', { name: 'Wall clocks for this incident' }).waitFor();
    await page.keyboard.type('Mars/Olympus');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.zones-dialog .error-note').textContent()).toMatch(/Time zone: “Mars\/Olympus” is not a time zone this machine knows/);
    // Completion works on the zone being typed, after the ones already there.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('asia/tokyo, new_y');
    expect(await page.locator('#zone-names option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
      'asia/tokyo, America/New_York',
    ]);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('asia/tokyo, America/New_York, Pacific/Kiritimati');
    await page.keyboard.press('Enter');
    const tokyo = page.getByTestId('wall-clock-Asia/Tokyo');
    await tokyo.waitFor();
    // Each clock is read between two readings of the page's time: a minute (or a day) may turn
    // between the clock's last tick and the test's reading, so the clock must show one of the two.
    const time = (zone: string, at: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    const day = (at: number, zone?: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
    for (const zone of ['Asia/Tokyo', 'America/New_York', 'Pacific/Kiritimati']) {
      const clock = page.getByTestId(`wall-clock-${zone}`);
      const before = await page.evaluate(() => Date.now());
      const shown = await clock.locator('.value').textContent();
      // A zone whose calendar day differs from the one here carries its date (Kiritimati, UTC+14, often does).
      const dated = await clock.locator('.wall-date').count();
      const after = await page.evaluate(() => Date.now());
      expect([time(zone, before), time(zone, after)]).toContain(shown);
      expect([day(before, zone) === day(before) ? 0 : 1, day(after, zone) === day(after) ? 0 : 1]).toContain(dated);
    }
    await eventually(() => timelineTexts(page)).toContain('Wall clocks: Tokyo (Asia/Tokyo), New York (America/New_York), Kiritimati (Pacific/Kiritimati)');
  });

  it('calls out overdue updates at the next deputy call-out', async () => {
    const callout = page.getByTestId('deputy-callout');
    // An earlier call-out may still be on screen: put it away first.
    if (await callout.count()) await page.getByRole('button', { name: 'Dismiss' }).click();
    await eventually(() => callout.count()).toBe(0);
    // Half an hour in: the internal teams have not heard anything yet.
    await page.clock.fastForward('10:00');
    await eventually(() => callout.count()).toBe(1);
    expect(await callout.innerText()).toMatch(/Internal — overdue by \d+ min/);
    await screenshots(page, 'callout');
    await page.keyboard.press('Escape');
    await eventually(() => callout.count()).toBe(0);
    await page.keyboard.press('d');
    await eventually(() => callout.count()).toBe(1);
    await page.keyboard.press('d');
    await eventually(() => callout.count()).toBe(0);
  });

  it('runs the whole pane in French', async () => {
    await page.locator('.language-switch').getByRole('button', { name: 'FR' }).click();
    await eventually(() => said(page.getByTestId('sla-response'))).toMatch(/^SLA de prise en charge/i);
    expect(await said(page.getByTestId('sla-response'))).toMatch(/objectif 45 min/);
    expect(await said(page.getByTestId('update-clock-internal'))).toMatch(/Interne\s*retard/);
    await page.keyboard.press('c');
    await page.getByLabel('Destinataires').selectOption('customers');
    await page.getByRole('button', { name: 'Pré-remplir' }).click();
    await eventually(() => page.locator('#comms-body').inputValue()).toContain(`Information service — ${TITLE}`);
    expect(await page.locator('#comms-body').inputValue()).toMatch(/Depuis le dernier point \(\d\d:\d\d\) :/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await eventually(() => page.getByTestId('deputy-callout').innerText()).toMatch(/Tour de table de l’adjoint/);
    await page.keyboard.press('Escape');
    await page.keyboard.press(',');
    await page.getByRole('heading', { name: 'Réglages d’équipe' }).waitFor();
    await screenshots(page, 'settings-fr');
    await page.keyboard.press('Escape');
    await page.keyboard.press('p');
    await page.getByRole('heading', { name: 'Suspendre les horloges SLA' }).waitFor();
    await page.keyboard.press('Escape');
    await screenshots(page, 'header-fr');
    expect(pageProblems).toEqual([]);
  });
  it('says the SLA clocks to a screen reader politely: once a minute or on a change of state, not every second', async () => {
    const announcer = page.getByTestId('clock-announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    expect(await announcer.getAttribute('role')).toBe('status');
    // The figures on screen are no live region: they tick every second unannounced.
    expect(await page.locator('.clocks [aria-live]').count()).toBe(1);
    await page.clock.fastForward(1_000);
    const start = await announcer.textContent();
    expect(start).toMatch(/^SLA .+ : .+\. SLA .+ : .+$/);
    // A second passes within the minute (the clocks' seconds read from the response clock, away
    // from the turn of its minute whichever way it counts): the sentence stays, nothing is said again.
    const seconds = async () => Number(((await page.getByTestId('sla-response').locator('.clock-time').textContent()) ?? '').split(':').at(-1));
    if ((await seconds()) < 2 || (await seconds()) > 57) await page.clock.fastForward(4_000);
    const before = await announcer.textContent();
    await page.clock.fastForward(1_000);
    expect(await announcer.textContent()).toBe(before);
    // A minute later it says the new minute.
    await page.clock.fastForward('01:00');
    await eventually(() => announcer.textContent()).not.toBe(before);
  });
});
