import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * Tasks and check-back timers as a commander meets them: the built app in browser mode (real
 * core, real SQLite file, real loopback server) driven through Debian's Chromium, mostly by
 * keyboard. The page's clock is Playwright's, so "three minutes later" takes no time.
 */

const HOSTILE = '<img src=x onerror=alert(1)>';
const BANK = 'Call the bank';
const LEDGER = `=HYPERLINK("http://evil.example","Check the ledger") ${HOSTILE}`;
const DNS = 'Flush the DNS caches';
const VPN = 'Patch the VPN appliances';
const RED = 'rgb(255, 92, 92)';

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      taskId: el?.dataset['taskId'] ?? null,
      owedTaskId: el?.dataset['owedTaskId'] ?? null,
      column: el?.closest<HTMLElement>('[data-column]')?.dataset['column'] ?? null,
      text: el?.textContent ?? '',
    };
  });

const timelineTexts = (page: Page) => page.locator('.timeline-row .entry-text').allTextContents();
// li: while a card is dragged, its ghost under the pointer looks like a card too.
const card = (page: Page, title: string) => page.locator('li.task-card', { hasText: title });
const columnOf = (target: Locator) => target.evaluate((el) => el.closest<HTMLElement>('[data-column]')?.dataset['column'] ?? null);
const color = (target: Locator) => target.evaluate((el) => getComputedStyle(el).color);

describe('tasks and check-back timers in Chromium (browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const dialogs: string[] = [];
  const pageProblems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-tasks-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) pageProblems.push(message.text());
    });
    // The page's clock starts at the real time (the core stamps events with it) and then runs on its own.
    await page.clock.install({ time: Date.now() });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares an incident and adds tasks with check-backs from the keyboard', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Declare an incident' }).waitFor();
    await page.keyboard.type('Payments down');
    await page.keyboard.press('Enter');
    await page.locator('.incident-title', { hasText: 'Payments down' }).waitFor();
    // Declaring puts the cursor in the quick-entry bar; Esc leaves it for the single-key shortcuts.
    await eventually(async () => (await focused(page)).id).toBe('quick-entry');
    await page.keyboard.press('Escape');
    const add = async (title: string, owner: string, when: string) => {
      await page.keyboard.press('t');
      expect((await focused(page)).id).toBe('new-task-title');
      await page.keyboard.type(title);
      await page.keyboard.press('Tab');
      await page.keyboard.type(owner);
      await page.keyboard.press('Tab');
      await page.keyboard.type(when);
      await page.keyboard.press('Enter');
      await card(page, title).waitFor();
      await eventually(() => page.locator('#new-task-title').inputValue()).toBe('');
      await page.keyboard.press('Escape');
    };
    await add(BANK, 'Bo', '3m');
    await add(LEDGER, 'Cy', '10m');
    await add(DNS, '', '');

    expect(await card(page, BANK).getByTestId('task-checkback').textContent()).toMatch(/^back in 00:0[23]:\d\d$/);
    expect(await card(page, LEDGER).getByTestId('task-checkback').textContent()).toMatch(/^back in 00:(09|10):\d\d$/);
    expect(await card(page, DNS).getByTestId('task-checkback').count()).toBe(0);
    expect(await page.locator('.owed').count()).toBe(0);
    await eventually(() => timelineTexts(page)).toContain(`Task created: “${BANK}” — owner Bo`);

    // A time that is not one is refused beside the form, the typed text kept.
    await page.keyboard.press('t');
    await page.keyboard.type('Ring the supplier');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('soonish');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#new-task-invalid').textContent()).toContain('“soonish” is not a time to come');
    expect(await page.locator('#new-task-title').inputValue()).toBe('Ring the supplier');
    await page.locator('#new-task-title').fill('');
    await page.locator('#new-task-when').fill('');
    await page.keyboard.press('Escape');
  });

  it('when a check-back runs out, the commander sees who owes what, in red', async () => {
    await page.clock.fastForward('04:00');
    const entry = page.locator('.owed-entry');
    await eventually(() => entry.count()).toBe(1);
    expect(await entry.locator('.owed-owner').textContent()).toBe('Bo');
    expect(await entry.locator('.owed-title').textContent()).toBe(BANK);
    expect(await entry.locator('.owed-late').textContent()).toMatch(/^overdue by 00:0[01]:\d\d$/);
    expect(await color(entry.locator('.owed-late'))).toBe(RED);
    expect(await color(page.locator('.owed h3'))).toBe(RED);
    // The card says it too, in red; the task whose check-back is still running does not.
    expect(await card(page, BANK).getAttribute('class')).toContain('overdue');
    expect(await color(card(page, BANK).getByTestId('task-checkback'))).toBe(RED);
    expect(await card(page, BANK).getByTestId('task-checkback').textContent()).toMatch(/^check-back overdue by 00:0[01]:\d\d$/);
    expect(await card(page, LEDGER).getAttribute('class')).not.toContain('overdue');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tasks-owed-1366x768.png') });
  });

  it('snoozes an expired check-back by five minutes with +, then clears the next one with Delete', async () => {
    await page.keyboard.press('g');
    expect((await focused(page)).owedTaskId).not.toBeNull();
    await page.keyboard.press('+');
    await eventually(() => page.locator('.owed-entry').count()).toBe(0);
    // The core adds the five minutes on its own clock, which runs four minutes behind this page's:
    // by the core the check-back (due at 3 min) had not run out, so it is pushed to 8 min.
    await eventually(() => card(page, BANK).getByTestId('task-checkback').textContent()).toMatch(/^back in 00:0[34]:\d\d$/);
    await eventually(() => timelineTexts(page)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^Check-back on “${BANK}” set for \\d\\d:\\d\\d$`))]),
    );

    // Seven minutes on, both have run out: the longest-waiting first (the bank's snoozed one ran out at 8 min, the ledger's at 10).
    await page.clock.fastForward('07:00');
    await eventually(() => page.locator('.owed-entry .owed-title').allTextContents()).toEqual([BANK, LEDGER]);
    await page.keyboard.press('g');
    expect((await focused(page)).text).toContain(BANK);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).text).toContain(LEDGER);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Delete');
    await eventually(() => page.locator('.owed-entry .owed-title').allTextContents()).toEqual([LEDGER]);
    // The keyboard stays in the list.
    await eventually(async () => (await focused(page)).text).toContain(LEDGER);
    await eventually(() => timelineTexts(page)).toContain(`Check-back on “${BANK}” cleared`);
    expect(await card(page, BANK).getByTestId('task-checkback').count()).toBe(0);
    // The mouse can do the same.
    await page
      .locator('.owed-entry')
      .getByRole('button', { name: `Give “${LEDGER}” 5 more minutes` })
      .click();
    await eventually(() => page.locator('.owed').count()).toBe(0);
  });

  it('moves a card to another column by dragging it with the mouse', async () => {
    await card(page, DNS).scrollIntoViewIfNeeded();
    const from = await card(page, DNS).boundingBox();
    const to = await page.locator('[data-column="blocked"]').boundingBox();
    expect(from && to).toBeTruthy();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + 10);
    await page.mouse.down();
    await page.mouse.move(from!.x + from!.width / 2 + 20, from!.y + 20, { steps: 4 });
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 12 });
    expect(await page.locator('[data-column="blocked"]').getAttribute('class')).toContain('drop-target');
    await page.mouse.up();
    await eventually(() => columnOf(card(page, DNS))).toBe('blocked');
    await eventually(() => timelineTexts(page)).toContain(`Task “${DNS}” moved to Blocked`);
  });

  it('moves a card by keyboard and walks the board with the arrows', async () => {
    await card(page, BANK).focus();
    await page.keyboard.press(']');
    await eventually(() => columnOf(card(page, BANK))).toBe('doing');
    await eventually(async () => (await focused(page)).column).toBe('doing');
    await eventually(() => timelineTexts(page)).toContain(`Task “${BANK}” moved to Doing`);
    // ← goes to the nearest column that has a card: To do, where the ledger task is.
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).text).toContain(LEDGER);
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).text).toContain(BANK);
  });

  it('selects several cards and assigns them one owner in one go', async () => {
    await card(page, BANK).focus();
    await page.keyboard.press('x');
    await card(page, DNS).focus();
    await page.keyboard.press(' ');
    await eventually(() => page.getByTestId('bulk-count').textContent()).toBe('2 selected');
    // The mouse can pick one too: the ledger task's checkbox.
    await card(page, LEDGER).getByRole('checkbox').check();
    await eventually(() => page.getByTestId('bulk-count').textContent()).toBe('3 selected');
    await card(page, LEDGER).getByRole('checkbox').uncheck();
    await card(page, DNS).focus();
    await page.keyboard.press('a');
    expect((await focused(page)).id).toBe('bulk-owner');
    await page.keyboard.type('Dee');
    await page.keyboard.press('Enter');
    await eventually(() => card(page, BANK).locator('.task-owner').textContent()).toBe('Dee');
    await eventually(() => card(page, DNS).locator('.task-owner').textContent()).toBe('Dee');
    expect(await card(page, LEDGER).locator('.task-owner').textContent()).toBe('Cy');
    await eventually(() => timelineTexts(page)).toEqual(expect.arrayContaining([`Task “${BANK}” assigned to Dee`, `Task “${DNS}” assigned to Dee`]));
    await eventually(() => page.locator('.bulk-bar').count()).toBe(0);
  });

  it('renames a task and gives it a due date from the card', async () => {
    await card(page, DNS).focus();
    await page.keyboard.press('e');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`${DNS} everywhere`);
    await page.keyboard.press('Enter');
    await eventually(() => timelineTexts(page)).toContain(`Task renamed to “${DNS} everywhere”`);
    await eventually(async () => (await focused(page)).text).toContain(`${DNS} everywhere`);
    // The core reads "1m" on its own clock (#10): bring the page's clock, run ahead by the earlier
    // tests, back to the real time, so what the card shows counts from the same now (and put it
    // ahead again afterwards, for the tests that follow).
    const ahead = (await page.evaluate(() => Date.now())) - Date.now();
    await page.clock.setSystemTime(Date.now());
    await page.keyboard.press('d');
    await page.keyboard.type('1m');
    await page.keyboard.press('Enter');
    await eventually(() => card(page, DNS).getByTestId('task-due').textContent()).toMatch(/^due \d\d:\d\d$/);
    await page.clock.fastForward('02:00');
    await eventually(() => card(page, DNS).getByTestId('task-due').textContent()).toMatch(/^overdue by 00:0[01]:\d\d$/);
    expect(await color(card(page, DNS).getByTestId('task-due'))).toBe(RED);
    expect(await card(page, DNS).getAttribute('class')).toContain('overdue');
    await page.clock.setSystemTime(Date.now() + ahead + 2 * 60_000);
  });

  it('shows the same tasks as a table: sort, filter, choose columns', async () => {
    await page.locator('body').focus();
    await page.keyboard.press('v');
    const table = page.locator('.task-table');
    await table.waitFor();
    const titles = () => table.locator('tbody td.col-title').allTextContents();
    expect((await titles()).sort()).toEqual([BANK, LEDGER, `${DNS} everywhere`].sort());

    // "=HYPERLINK…" sorts before letters, as in any spreadsheet.
    await table.getByRole('button', { name: 'Title' }).click();
    expect(await titles()).toEqual([LEDGER, BANK, `${DNS} everywhere`]);
    await table.getByRole('button', { name: 'Title' }).press('Enter');
    expect(await titles()).toEqual([`${DNS} everywhere`, BANK, LEDGER]);
    expect(await table.locator('th.col-title').getAttribute('aria-sort')).toBe('descending');
    // Status sorts in board order, not alphabetically: To do, Doing, Blocked.
    await table.getByRole('button', { name: 'Status' }).click();
    expect(await titles()).toEqual([LEDGER, BANK, `${DNS} everywhere`]);
    // The overdue row is red.
    expect(await table.locator('tr', { hasText: DNS }).getAttribute('class')).toContain('overdue');

    await page.getByLabel('Filter tasks by title or owner').fill('bank');
    expect(await titles()).toEqual([BANK]);
    await page.getByLabel('Filter tasks by title or owner').fill('dee');
    expect((await titles()).sort()).toEqual([BANK, `${DNS} everywhere`].sort());
    await page.getByLabel('Filter tasks by title or owner').fill('');
    await page.getByLabel('Filter by status').selectOption({ label: 'To do' });
    expect(await titles()).toEqual([LEDGER]);
    await page.getByLabel('Filter by status').selectOption({ label: 'All statuses' });
    await page.getByLabel('Filter by owner').selectOption('Dee');
    expect(await titles()).toEqual([BANK, `${DNS} everywhere`]);
    expect(await page.locator('.table-count').textContent()).toBe('2 of 3');
    await page.getByLabel('Filter by owner').selectOption({ label: 'All owners' });

    await page.locator('.column-menu summary').click();
    await page.locator('.column-menu').getByLabel('Created').uncheck();
    await page.locator('.column-menu').getByLabel('Owner').uncheck();
    await page.locator('.column-menu summary').click();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Selected', 'Title', 'Status ▲', 'Check-back', 'Due']);
    await page.locator('.column-menu summary').click();
    await page.locator('.column-menu').getByLabel('Owner').check();
    await page.locator('.column-menu summary').click();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Selected', 'Title', 'Owner', 'Status ▲', 'Check-back', 'Due']);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tasks-table-1366x768.png') });
  });

  it('exports what the table shows as CSV: UTF-8, escaped, formulas defused', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^warroom-tasks-\d{8}-\d{4}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Title,Owner,Status,Check-back,Due');
    expect(lines.at(-1)).toBe('');
    // Sorted by status as on screen; the hidden column stays out.
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""Check the ledger"") ${HOSTILE}",Cy,To do,${lines[1]!.split(',').at(-2)},`);
    expect(lines[1]).toMatch(/,To do,\d{4}-\d\d-\d\d \d\d:\d\d,$/);
    expect(lines[2]).toBe(`${BANK},Dee,Doing,,`);
    expect(lines[3]).toMatch(new RegExp(`^${DNS} everywhere,Dee,Blocked,,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(lines).toHaveLength(5);
  });

  it('keeps post-incident follow-ups apart, with an owner and a due date', async () => {
    await page.locator('body').focus();
    await page.keyboard.press('v');
    await page.locator('.task-columns').waitFor();
    await page.keyboard.press('f');
    await page.getByRole('tab', { name: /Follow-ups/, selected: true }).waitFor();
    expect(await page.locator('li.task-card').count()).toBe(0);

    // Without an owner it is refused, in words.
    await page.keyboard.press('t');
    await page.keyboard.type(VPN);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('3d');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#new-task-invalid').textContent()).toBe('A follow-up needs an owner.');
    await page.locator('#new-task-owner').fill('Eve');
    await page.locator('#new-task-when').press('Enter');
    await card(page, VPN).waitFor();
    // Three days on: the date is shown, since it is not today.
    expect(await card(page, VPN).getByTestId('task-due').textContent()).toMatch(/^due \d+ \w+ \d\d:\d\d$/);
    expect(await card(page, VPN).locator('.task-owner').textContent()).toBe('Eve');
    expect(await page.locator('li.task-card').count()).toBe(1);
    await eventually(() => page.getByRole('tab', { name: /Follow-ups/ }).textContent()).toBe('Follow-ups 1');

    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await page.getByRole('tab', { name: /Response/, selected: true }).waitFor();
    expect(await page.locator('li.task-card').count()).toBe(3);
    expect(await card(page, VPN).count()).toBe(0);
  });

  it('lists the new keys in the help overlay and ran clean: no script, no CSP violation', async () => {
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const text = await help.innerText();
    for (const line of [
      'Tasks: board ⇄ table',
      'Tasks: response tasks ⇄ post-incident follow-ups',
      'Tasks: go to the check-backs owed to you',
      'On a task card: x or Space selects',
    ])
      expect(text).toContain(line);
    await page.keyboard.press('Escape');
    expect(dialogs).toEqual([]);
    expect(pageProblems).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('keeps screenshots of the board and the table at 1366×768 and 1920×1080', async () => {
    // Something owed, something selected, something overdue: the pane as it looks on a busy call.
    await page.clock.fastForward('06:00');
    await page.locator('.owed-entry').first().waitFor();
    await card(page, LEDGER).focus();
    await page.keyboard.press('x');
    await page.mouse.move(0, 0);
    const size = await page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      view: window.innerHeight,
      width: document.documentElement.scrollWidth,
    }));
    expect(size.scroll).toBeLessThanOrEqual(size.view);
    expect(size.width).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tasks-board-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tasks-board-1920x1080.png') });
    await page.locator('body').focus();
    await page.keyboard.press('v');
    await page.locator('.task-table').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tasks-table-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.keyboard.press('v');
  });
});
