import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * The console as a user meets it: the built app in browser mode (a real core on a real SQLite
 * file, a real loopback server) driven through Debian's Chromium, mostly by keyboard.
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const TITLE = `Checkout down ${HOSTILE}`;
const DESCRIPTION = `Card payments fail ${HOSTILE}`;
const REPORTER = `Service desk ${HOSTILE}`;
const COMMANDER = `Ana ${HOSTILE}`;
const NOTE = `Error rate at 60% ${HOSTILE}`;
const DECISION = `Roll back to v41 ${HOSTILE}`;
const TASK = `Check the ledger ${HOSTILE}`;
const OWNER = `Bo ${HOSTILE}`;
const DRAFT = `Payments are failing; we are rolling back. ${HOSTILE}`;

const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { id: el?.id ?? '', taskId: el?.dataset['taskId'] ?? null, column: el?.closest<HTMLElement>('[data-column]')?.dataset['column'] ?? null };
  });

const timelineTexts = (page: Page) => page.locator('.timeline-row .entry-text').allTextContents();

describe('the command view in Chromium (browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const dialogs: string[] = [];
  /** Script errors and CSP refusals: the page must run clean under the server's strict policy. */
  const pageProblems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
    // Injected by the browser itself, so the policy under test does not apply to this probe.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) pageProblems.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares an incident from the welcome screen by keyboard, with the priority shown live', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.getByRole('button', { name: 'Open a sample drill incident' }).waitFor();
    // "Declare an incident" has the focus on arrival.
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Declare an incident' }).waitFor();

    const field = (label: string) => page.getByLabel(label, { exact: false });
    const typeInto = async (target: Locator, text: string) => {
      await target.focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(text);
    };
    // The title field has the focus when the form opens. Declaring without one is refused, with the reason beside the form.
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#declare-error').textContent()).toMatch(/^The incident was not declared: Title: /);
    expect(await page.locator('#declare-title').getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.type(TITLE);
    await typeInto(field('Description'), DESCRIPTION);
    await typeInto(field('Impacted services'), `checkout, ${HOSTILE}`);
    await typeInto(field('Reporter contact'), REPORTER);
    await typeInto(field('Incident commander'), COMMANDER);
    await field('Urgency').focus();
    await page.keyboard.press('ArrowDown');
    await eventually(() => page.locator('.priority-result .priority-badge').textContent()).toBe('P2');
    await field('Incident commander').focus();
    await page.keyboard.press('Enter');

    await eventually(() => page.locator('.incident-title').textContent()).toBe(TITLE);
    await eventually(() => page.locator('.console-header .priority-badge').textContent()).toBe('P2');
    expect(await page.getByTestId('commander').textContent()).toBe(COMMANDER);
    const declaration = await page.locator('.entry-declared').innerText();
    for (const text of [TITLE, DESCRIPTION, `checkout, ${HOSTILE}`, REPORTER, COMMANDER]) expect(declaration).toContain(text);
    // The stopwatch ticks every second.
    const first = await page.getByTestId('stopwatch').textContent();
    await eventually(() => page.getByTestId('stopwatch').textContent()).not.toBe(first);
    expect(await page.getByTestId('sla-response').textContent()).toMatch(/Response SLA\s*00:(29|30):\d\d left/);
  });

  it('logs a note and a decision by keyboard, keeping the focus in the bar', async () => {
    // Declaring puts the cursor in the quick-entry bar.
    await eventually(async () => (await activeElement(page)).id).toBe('quick-entry');
    await page.keyboard.type(NOTE);
    await page.keyboard.press('Enter');
    await eventually(() => timelineTexts(page)).toContain(NOTE);
    await eventually(() => page.locator('#quick-entry').inputValue()).toBe('');
    expect((await activeElement(page)).id).toBe('quick-entry');

    await page.keyboard.type(`/decision ${DECISION}`);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.entry-decision .entry-text').allTextContents()).toEqual([DECISION]);
    await eventually(() => page.locator('#quick-entry').inputValue()).toBe('');
  });

  it('keeps typed text and shows why when an entry cannot be logged', async () => {
    const tooLong = 'x'.repeat(10_001);
    await page.locator('#quick-entry').fill(tooLong);
    await page.keyboard.press('Enter');
    await page.locator('#quick-entry-error').waitFor();
    expect(await page.locator('#quick-entry').inputValue()).toBe(tooLong);
    await page.locator('#quick-entry').fill('');
  });

  it('adds a task with an owner and moves it to Doing by keyboard', async () => {
    // Esc leaves the bar, so single-key shortcuts work again.
    await page.keyboard.press('Escape');
    await page.keyboard.press('t');
    expect((await activeElement(page)).id).toBe('new-task-title');
    await page.keyboard.type(TASK);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER);
    await page.keyboard.press('Enter');
    const card = page.locator('.task-card', { hasText: TASK });
    await card.waitFor();
    expect(await card.locator('.task-owner').textContent()).toBe(OWNER);
    expect(await card.evaluate((el) => el.closest<HTMLElement>('[data-column]')?.dataset['column'])).toBe('todo');

    // From the task input: owner field, check-back field, Add button, then the first card.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await activeElement(page)).column).toBe('todo');
    await page.keyboard.press(']');
    await eventually(async () => (await activeElement(page)).column).toBe('doing');
    await eventually(() => timelineTexts(page)).toContain(`Task “${TASK}” moved to Doing`);

    // o on the focused card edits its owner; Enter saves and gives the focus back to the card.
    await page.keyboard.press('o');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(OWNER);
    await page.keyboard.press('Enter');
    await eventually(() => timelineTexts(page)).toContain(`Task “${TASK}” assigned to ${OWNER}`);
    await eventually(async () => (await activeElement(page)).column).toBe('doing');
  });

  it('changes the status and the priority from the keyboard and records both', async () => {
    await page.keyboard.press('s');
    expect((await activeElement(page)).id).toBe('status-select');
    // The arrows browse; Enter records the choice (test/e2e/record-choice.test.ts).
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => timelineTexts(page)).toContain('Status changed to Investigating');
    await eventually(() => page.getByTestId('sla-response').getAttribute('data-tone')).toBe('met');

    // Next stop after the status: impact. High → Medium with urgency Medium gives P3.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => timelineTexts(page)).toContain('Priority set to P3 (impact Medium, urgency Medium)');
    await eventually(() => page.locator('.console-header .priority-badge').textContent()).toBe('P3');
    await page.keyboard.press('Escape');
  });

  it('writes a status update, approves it and marks it sent, which the timeline records', async () => {
    await page.keyboard.press('c');
    expect((await activeElement(page)).id).toBe('comms-body');
    // The template starts from the incident as it stands, in the register of its audience.
    await page.getByLabel('Audience').selectOption('executives');
    await page.getByRole('button', { name: 'Fill from incident' }).click();
    await eventually(() => page.locator('#comms-body').inputValue()).toContain(`Executive summary — ${TITLE}`);
    const template = await page.locator('#comms-body').inputValue();
    expect(template).toContain('Priority P3 · Investigating');
    expect(template).toContain(`services affected: checkout, ${HOSTILE}`);
    await page.locator('#comms-body').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`First words ${HOSTILE}`);
    await page.keyboard.press('Control+Enter');
    const draft = page.locator('.draft').first();
    await eventually(() => draft.locator('.draft-body').textContent()).toBe(`First words ${HOSTILE}`);
    expect(await draft.getAttribute('data-state')).toBe('draft');
    expect(await page.locator('#comms-body').inputValue()).toBe('');

    // A draft can be edited until it is sent.
    await draft.getByRole('button', { name: 'Edit' }).click();
    // Edit takes the compose box, holding the update's text, on the next frame.
    await eventually(async () => (await activeElement(page)).id).toBe('comms-body');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(DRAFT);
    await page.keyboard.press('Control+Enter');
    await eventually(() => draft.locator('.draft-body').textContent()).toBe(DRAFT);
    await draft.getByRole('button', { name: 'Approve' }).click();
    await eventually(() => draft.getAttribute('data-state')).toBe('approved');
    await draft.getByRole('button', { name: 'Mark sent' }).click();
    await eventually(() => draft.getAttribute('data-state')).toBe('sent');
    await eventually(() => timelineTexts(page)).toContain('Status update sent to Executives via E-mail');
    expect(await timelineTexts(page)).toContain(DRAFT);
    expect(await draft.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  });

  it('shows another window the changes live, through the change stream', async () => {
    const other = await context.newPage();
    try {
      await other.goto(new URL('/', running.url).href);
      await other.locator('.incident-title').waitFor();
      const live = `Seen from the room screen ${Date.now()}`;
      await page.keyboard.press('Escape');
      await page.keyboard.press('n');
      await page.keyboard.type(live);
      await page.keyboard.press('Enter');
      await eventually(() => timelineTexts(other)).toContain(live);
    } finally {
      await other.close();
    }
  });

  it('switches to French and back, and lists the shortcuts on ?', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await page.getByRole('heading', { name: 'Chronologie' }).waitFor();
    await page.getByRole('heading', { name: 'Tâches' }).waitFor();
    expect(await timelineTexts(page)).toContain('Statut passé à En analyse');
    expect(await page.getByTestId('sla-response').textContent()).toMatch(/^SLA de prise en charge\s*respecté en /);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  });

  it('renders hostile text as text everywhere and runs nothing', async () => {
    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    const body = await page.locator('body').innerText();
    for (const text of [TITLE, NOTE, DECISION, TASK, OWNER, DRAFT]) expect(body).toContain(text);
  });

  it('fits the command view on 1366×768 without page scroll, and keeps screenshots', async () => {
    const size = await page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      view: window.innerHeight,
      width: document.documentElement.scrollWidth,
    }));
    expect(size.scroll).toBeLessThanOrEqual(size.view);
    expect(size.width).toBeLessThanOrEqual(1366);
    for (const pane of ['#timeline-heading', '#tasks-heading', '#comms-heading', '.incident-title']) {
      const box = await page.locator(pane).boundingBox();
      expect(box, pane).not.toBeNull();
      expect(box!.y + box!.height, pane).toBeLessThanOrEqual(768);
    }
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-view-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-view-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('finds everything again after the console is killed and restarted on the same data', async () => {
    await kill(running.child);
    running = await startConsole(dataDir);
    await page.goto(running.url);
    await eventually(() => page.locator('.incident-title').textContent()).toBe(TITLE);
    await eventually(() => timelineTexts(page)).toEqual(
      expect.arrayContaining([NOTE, DECISION, 'Status changed to Investigating', 'Status update sent to Executives via E-mail']),
    );
    const card = page.locator('.task-card', { hasText: TASK });
    expect(await card.evaluate((el) => el.closest<HTMLElement>('[data-column]')?.dataset['column'])).toBe('doing');
    expect(await card.locator('.task-owner').textContent()).toBe(OWNER);
    expect(await page.locator('.draft', { hasText: DRAFT }).getAttribute('data-state')).toBe('sent');
    expect(await page.locator('#status-select').inputValue()).toBe('investigating');
    expect(await page.locator('.console-header .priority-badge').textContent()).toBe('P3');
    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('declares a second incident from the header and switches between the two', async () => {
    const long = `Second front: ${'storage latency across every region '.repeat(5)}`.trim();
    await page.getByRole('button', { name: '+ New incident' }).click();
    await page.getByRole('dialog').getByRole('heading', { name: 'Declare an incident' }).waitFor();
    await page.keyboard.type(long);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(long);
    expect(await timelineTexts(page)).not.toContain(NOTE);
    // A title this long is cut with an ellipsis, never widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

    // i opens the incident list (by priority: the new P1 first); arrows and Enter switch.
    // Esc twice: the first may only close the quick-entry suggestions, the second leaves the field.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.press('i');
    const switcher = page.getByRole('listbox', { name: 'Incidents by priority' });
    expect(await switcher.getByRole('option').count()).toBe(2);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.incident-title').textContent()).toBe(TITLE);
    await eventually(() => timelineTexts(page)).toContain(NOTE);
  });
});
