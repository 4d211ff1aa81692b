import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * Roles, hand-off, command palette, several incidents and themes, as a commander meets them on
 * a bridge call: the built app in browser mode (real core, real SQLite file, real loopback
 * server) in Debian's Chromium, driven by the keyboard alone — no click anywhere in this file.
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const OUTGOING = 'Ana Costa';
const INCOMING = 'Bo Lind';
const EXPERT = 'Chloé Dubois';
const HYPOTHESIS = `DNS cache poisoned upstream ${HOSTILE}`;
const TASK = `Flush the DNS cache ${HOSTILE}`;
const NOTE = `Replay the queue once the ledger check is done ${HOSTILE}`;
const DRILL_TITLE = 'Drill: payment gateway outage after a data-centre power failure';

describe('roles, hand-off, palette, several incidents and themes in Chromium (keyboard only)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const pageProblems: string[] = [];
  const dialogs: string[] = [];

  const shot = async (name: string, width = 1366, height = 768) => {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
  };
  const timeline = () => page.locator('.timeline-pane').innerText();
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  /** Ctrl+K, type to filter, Enter: what a user does to reach any action. */
  const palette = async (filter: string) => {
    await page.keyboard.press('ControlOrMeta+K');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.keyboard.type(filter);
    await page.keyboard.press('Enter');
  };
  const paletteStep = async (title: string | RegExp, answer: string) => {
    await page.getByRole('dialog', { name: title }).waitFor();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(answer);
    await page.keyboard.press('Enter');
  };
  const commander = () => page.getByTestId('commander').textContent();

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-roles-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) pageProblems.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches actions from the palette on the welcome screen: sets your name and opens the sample drill', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.keyboard.press('ControlOrMeta+K');
    const dialog = page.getByRole('dialog', { name: 'Command palette' });
    await dialog.waitFor();
    expect(await focusedId()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('palette-input');
    // Fuzzy: a few letters of each word find the action, wherever they are.
    await page.keyboard.type('smpl drl');
    await eventually(() => dialog.getByRole('option').first().textContent()).toMatch(/^Open a sample drill incident/);
    await shot('palette-welcome');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await palette('your name');
    await paletteStep('Set your name on this device', OUTGOING);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await palette('sample drill');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(DRILL_TITLE);
    // The drill makes whoever opens it the commander.
    expect(await commander()).toBe(OUTGOING);
  });

  it('keeps a people directory on this device, filled by keyboard', async () => {
    await palette('people');
    const dialog = page.getByRole('dialog', { name: 'People directory' });
    await dialog.waitFor();
    expect(await focusedId()).toBe('person-name');
    for (const [name, team, contact] of [
      [INCOMING, 'Payments', '+33 6 00 00 00 01'],
      [EXPERT, 'Security', 'chloe@example.org'],
      [`Mallory ${HOSTILE}`, '', ''],
    ]) {
      await page.keyboard.type(name!);
      await page.keyboard.press('Tab');
      await page.keyboard.type(team!);
      await page.keyboard.press('Tab');
      await page.keyboard.type(contact!);
      await page.keyboard.press('Enter');
      await dialog.locator('.people-row', { hasText: name! }).waitFor();
      await eventually(focusedId).toBe('person-name');
    }
    // The same person twice is refused, with the reason beside the form.
    await page.keyboard.type('bo lind');
    await page.keyboard.press('Enter');
    await eventually(() => dialog.locator('#people-error').textContent()).toBe('Not saved: Bo Lind is already in the directory: edit that entry instead.');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    expect(await dialog.locator('.people-row').count()).toBe(3);
    await shot('people-directory');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('assigns a role and an expert from the directory with r, arrows and Enter', async () => {
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Roles' });
    await dialog.waitFor();
    expect(await focusedId()).toBe('assign-role');
    expect(await dialog.locator('[data-role="scribe"] dd').textContent()).toBe('Lena Fischer');
    // Deputy is the role offered first; the name comes from the directory.
    await page.keyboard.press('Tab');
    await page.keyboard.type('bo');
    await dialog.getByRole('option', { name: /Bo Lind/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await dialog.locator('#assign-person').inputValue()).toBe(INCOMING);
    await page.keyboard.press('Enter');
    await eventually(() => dialog.locator('[data-role="deputy"] dd').textContent()).toBe(INCOMING);
    await eventually(focusedId).toBe('assign-role');

    // Down to "subject-matter expert": a speciality field appears.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await eventually(() => dialog.locator('#assign-role').inputValue()).toBe('sme');
    await page.keyboard.press('Tab');
    await page.keyboard.type('chl');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('assign-speciality');
    await page.keyboard.type('security');
    await page.keyboard.press('Enter');
    await eventually(() => dialog.locator(`[data-sme="${EXPERT}"]`).textContent()).toContain(`${EXPERT} (security)`);
    await shot('roles-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(timeline).toContain(`${INCOMING} is now deputy`);
    expect(await timeline()).toContain(`${EXPERT} joins as security expert`);
  });

  it('logs, adds a task with an owner from the directory and changes the priority, all from the palette', async () => {
    // Ctrl+K inside a question (or while an answer is still running) opens a fresh list rather
    // than closing the palette: pressed again, it is always there.
    await palette('log hypo');
    await page.getByRole('dialog', { name: 'Log to the timeline: Hypothesis' }).waitFor();
    await page.keyboard.press('ControlOrMeta+K');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.keyboard.press('ControlOrMeta+K');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await palette('log hypo');
    await paletteStep('Log to the timeline: Hypothesis', HYPOTHESIS);
    await eventually(timeline).toContain(HYPOTHESIS);

    await palette('add task');
    await paletteStep('Add a task', TASK);
    const owner = page.getByRole('dialog', { name: /^Owner of/ });
    await owner.waitFor();
    await page.keyboard.type('lind');
    await owner.getByRole('option', { name: /Bo Lind/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await owner.waitFor({ state: 'detached' });
    await eventually(timeline).toContain(`Task created: “${TASK}” — owner ${INCOMING}`);

    await palette('priority');
    const choice = page.getByRole('dialog', { name: 'Change the priority (impact × urgency)' });
    await choice.waitFor();
    await page.keyboard.type('P2 urgency medium');
    await eventually(() => choice.getByRole('option').first().textContent()).toBe('P2 — impact High, urgency Medium');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.console-header .priority-badge').first().textContent()).toBe('P2');

    // A palette action that fails says why and keeps the palette open.
    await palette('pause');
    await paletteStep('Pause the SLA clocks', 'x'.repeat(201));
    await eventually(() => page.locator('#palette-error').textContent()).toMatch(/^Not done: Reason: is too long \(at most 200 characters\)/);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('hands off command with h: the briefing shows open tasks, hypotheses and the last update per audience', async () => {
    await page.keyboard.press('h');
    const dialog = page.getByRole('dialog', { name: 'Hand off command' });
    await dialog.waitFor();
    expect(await focusedId()).toBe('handoff-to');
    expect(await dialog.textContent()).toContain(`Current commander: ${OUTGOING}`);
    await page.keyboard.type('bo');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('handoff-note');
    await page.keyboard.type(NOTE);

    const preview = dialog.getByTestId('briefing');
    await eventually(() => preview.getByTestId('briefing-hypotheses').innerText()).toContain(HYPOTHESIS);
    const tasks = await preview.getByTestId('briefing-tasks').innerText();
    expect(tasks).toContain(`${TASK} — owner ${INCOMING} · To do`);
    expect(tasks).toContain('Replay stuck authorisations after the ledger check — owner Jonas Berg · To do');
    expect(tasks).not.toContain('Fail payment gateway traffic over to DC2');
    expect(await preview.getByTestId('briefing-hypotheses').innerText()).toContain('Traffic is not failing over');
    const comms = preview.getByTestId('briefing-comms');
    expect(await comms.locator('[data-audience="customers"]').innerText()).toMatch(/^Customers: last sent (\d+ \w+ )?\d\d:\d\d · next /);
    expect(await comms.locator('[data-audience="executives"]').innerText()).toMatch(/^Executives: nothing sent yet · next /);
    expect(await preview.getByTestId('briefing-status').textContent()).toBe('Mitigated · P2 (impact High, urgency Medium)');
    expect(await preview.innerText()).toContain(NOTE);
    await shot('handoff-start');
    await shot('handoff-start', 1920, 1080);
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.keyboard.press('ControlOrMeta+Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => page.getByTestId('handoff-pending').textContent()).toBe(`Hand-off ${OUTGOING} → ${INCOMING} waiting (h)`);
    await eventually(timeline).toContain(`Command hand-off started: ${OUTGOING} → ${INCOMING}`);
    // Command does not change hands until the incoming commander acknowledges.
    expect(await commander()).toBe(OUTGOING);
  });

  it('the incoming commander reads the recorded briefing and acknowledges it: the header changes, two distinct entries', async () => {
    await palette('your name');
    await paletteStep('Set your name on this device', INCOMING);
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.keyboard.press('h');
    const dialog = page.getByRole('dialog', { name: 'Hand-off of command' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('handoff-summary').textContent()).toMatch(
      new RegExp(`^${OUTGOING} is handing command to ${INCOMING} \\(started \\d\\d:\\d\\d\\)`),
    );
    const recorded = dialog.getByTestId('briefing');
    expect(await recorded.getByTestId('briefing-tasks').innerText()).toContain(TASK);
    expect(await recorded.getByTestId('briefing-hypotheses').innerText()).toContain(HYPOTHESIS);
    expect(await recorded.getByTestId('briefing-comms').innerText()).toContain('Customers: last sent');
    expect(await recorded.innerText()).toContain(NOTE);
    // The acknowledgement button has the focus: Enter takes command.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Acknowledge and take command as ${INCOMING}`);
    await shot('handoff-acknowledge');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    await eventually(commander).toBe(INCOMING);
    expect(await page.getByTestId('handoff-pending').count()).toBe(0);
    await eventually(timeline).toContain(`${INCOMING} acknowledged the briefing and took command`);
    const handoffs = page.locator('.timeline-pane .entry-handoff');
    expect(await handoffs.count()).toBe(2);
    expect(await handoffs.nth(0).innerText()).toContain(`Command hand-off started: ${OUTGOING} → ${INCOMING}`);
    expect(await handoffs.nth(0).innerText()).toContain('Briefing: Mitigated · P2 · 3 open tasks · 2 hypotheses');
    expect(await handoffs.nth(1).innerText()).toContain(INCOMING);
    await shot('command-view-after-handoff');
  });

  it('approves and sends an update from the palette: "appro" finds Approve first, "send" finds Mark sent', async () => {
    // A word start beats letters scattered across another label ("appro" once found "Roles" first).
    await page.keyboard.press('ControlOrMeta+K');
    const list = page.getByRole('dialog', { name: 'Command palette' });
    await page.keyboard.type('appro');
    await eventually(() => list.getByRole('option').first().textContent()).toMatch(/^Approve the update for Executives \(E-mail\)/);
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    const executives = page.locator('.draft', { hasText: 'Executives' }).first();
    await eventually(() => executives.getAttribute('data-state')).toBe('approved');
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('send');
    await eventually(() => list.getByRole('option').first().textContent()).toMatch(/^Mark sent: the update for Executives \(E-mail\)/);
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    await eventually(() => executives.getAttribute('data-state')).toBe('sent');
  });

  it('runs several incidents: the list by priority with each one’s clocks, switched with i, arrows and Alt+digits', async () => {
    await palette('declare new');
    await page.getByRole('dialog').getByRole('heading', { name: 'Declare an incident' }).waitFor();
    await page.keyboard.type(`VPN down for the Lyon office ${HOSTILE}`);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(`VPN down for the Lyon office ${HOSTILE}`);

    await page.keyboard.press('Escape');
    await page.keyboard.press('i');
    const list = page.getByRole('listbox', { name: 'Incidents by priority' });
    await list.waitFor();
    const options = list.getByRole('option');
    expect(await options.count()).toBe(2);
    // P1 (new, high × high) before the P2 drill; each row with its own clocks.
    expect(await options.nth(0).innerText()).toContain('VPN down for the Lyon office');
    expect(await options.nth(0).locator('.priority-badge').textContent()).toBe('P1');
    expect(await options.nth(1).innerText()).toContain(DRILL_TITLE);
    expect(await options.nth(1).locator('.option-status').textContent()).toBe('Mitigated');
    await eventually(() => options.nth(1).locator('[data-clock="resolution"]').textContent()).toMatch(/^Resolution SLA\d\d:\d\d:\d\d left$/);
    expect(await options.nth(0).locator('[data-clock="response"]').getAttribute('data-tone')).toBe('ok');
    await shot('incident-list');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(DRILL_TITLE);
    await page.keyboard.press('Alt+1');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(`VPN down for the Lyon office ${HOSTILE}`);
    await page.keyboard.press('Alt+2');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(DRILL_TITLE);
    expect(await commander()).toBe(INCOMING);
  });

  it('lists every shortcut in the help overlay, including the palette, roles, hand-off and incident keys', async () => {
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const text = await help.innerText();
    for (const line of ['Ctrl+K', 'Command palette', 'Roles: who does what', 'Hand off command', 'Alt+1…9', 'Every incident with its status and SLA clocks']) {
      expect(text).toContain(line);
    }
    await shot('help-overlay');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('switches to the light theme and large type live from the palette, and keeps them after a reload', async () => {
    const look = () =>
      page.evaluate(() => ({
        theme: document.documentElement.dataset['theme'],
        type: document.documentElement.dataset['type'],
        background: getComputedStyle(document.documentElement).backgroundColor,
        size: getComputedStyle(document.documentElement).fontSize,
      }));
    expect(await look()).toEqual({ theme: 'dark', type: 'normal', background: 'rgb(13, 17, 23)', size: '14px' });
    const fits = async () => {
      const size = await page.evaluate(() => ({
        scroll: document.documentElement.scrollHeight,
        view: window.innerHeight,
        width: document.documentElement.scrollWidth,
      }));
      expect(size.scroll).toBeLessThanOrEqual(size.view);
      expect(size.width).toBeLessThanOrEqual(await page.evaluate(() => window.innerWidth));
    };
    await shot('command-view-dark');
    await fits();
    await shot('command-view-dark', 1920, 1080);
    await shot('command-view-dark', 3840, 2160);
    expect((await look()).size).toBe('25.2px');
    await page.setViewportSize({ width: 1366, height: 768 });

    await palette('light');
    await eventually(look).toEqual({ theme: 'light', type: 'normal', background: 'rgb(245, 247, 250)', size: '14px' });
    await shot('command-view-light');
    await fits();
    await shot('command-view-light', 1920, 1080);

    await palette('large type');
    await eventually(async () => (await look()).size).toBe('18.2px');
    await shot('command-view-light-large');
    await shot('command-view-light-large', 1920, 1080);
    await shot('command-view-light-large', 3840, 2160);
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.reload();
    await page.locator('.incident-title').waitFor();
    expect(await look()).toMatchObject({ theme: 'light', type: 'large' });
    await palette('dark theme');
    await palette('normal type');
    await eventually(look).toEqual({ theme: 'dark', type: 'normal', background: 'rgb(13, 17, 23)', size: '14px' });
  });

  it('works in French too, and ran clean: no script error, no CSP violation, hostile text shown as text', async () => {
    await palette('langu');
    await page.getByRole('heading', { name: 'Chronologie' }).waitFor();
    await page.keyboard.press('ControlOrMeta+K');
    const french = page.getByRole('dialog', { name: 'Palette de commandes' });
    await french.waitFor();
    await page.keyboard.type('passer le commandement');
    await eventually(() => french.getByRole('option').first().textContent()).toMatch(/^Passer le commandement/);
    await shot('palette-french');
    // A new filter in the same palette: back to English.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('langue english');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();

    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });
});
