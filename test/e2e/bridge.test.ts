import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * A bridge call from declaration to closure and review on a 1366×768 laptop, by keyboard only,
 * with where the focus is checked after every step: each action must leave it on a sensible
 * next control, never on the page, where the next letter typed would fire a shortcut (the page
 * only after Esc, which leaves a field on purpose so the single keys work). Declared, a note, a
 * decision, a task; the task moved; the status changed; an update drafted, edited, approved and
 * sent; resolved; the review opened, an entry hidden and commented, a why; reloaded; back to the
 * live view; closed.
 */

interface Focus {
  id: string;
  tag: string;
  text: string;
  label: string;
  classes: string;
}

const focus = (page: Page) =>
  page.evaluate((): Focus => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim().slice(0, 60),
      label: el?.getAttribute('aria-label') ?? '',
      classes: el?.className && typeof el.className === 'string' ? el.className : '',
    };
  });

describe('a bridge call by keyboard only, focus checked after every step', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-bridge-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const timeline = () => page.locator('.timeline-row .entry-text').allTextContents();

  it('declares, logs, tasks, writes, approves and sends an update, resolves, reviews and closes', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    expect((await focus(page)).text).toBe('Declare an incident');

    // Declaration: the title field first; once declared, the quick-entry bar to log at once.
    await page.keyboard.press('Enter');
    await eventually(async () => (await focus(page)).id).toBe('declare-title');
    await page.keyboard.type('Checkout down in Lyon');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.locator('.console-header').waitFor();
    await eventually(async () => (await focus(page)).id).toBe('quick-entry');

    // A plain note: Enter logs it, the bar keeps the focus for the next one.
    await page.keyboard.type('Error rate at 40% on checkout since 09:12');
    await page.keyboard.press('Enter');
    await eventually(timeline).toContain('Error rate at 40% on checkout since 09:12');
    expect((await focus(page)).id).toBe('quick-entry');

    // A decision and a task from the bar (the task with its French name); the bar keeps the focus.
    await page.keyboard.type('/decision Roll back to v41');
    await page.keyboard.press('Enter');
    await eventually(timeline).toContain('Roll back to v41');
    expect((await focus(page)).id).toBe('quick-entry');
    await page.keyboard.type('/tâche Check the ledger @Bo');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.tasks-pane .task-card').count()).toBe(1);
    expect((await focus(page)).id).toBe('quick-entry');

    // Esc leaves the field (on purpose: the single keys work again); t goes to the new-task field,
    // Tab past its owner, check-back and Add reaches the card; ] moves it to Doing, the focus with it.
    await page.keyboard.press('Escape');
    expect((await focus(page)).tag).toBe('body');
    await page.keyboard.press('t');
    expect((await focus(page)).id).toBe('new-task-title');
    for (const next of ['new-task-owner', 'new-task-when']) {
      await page.keyboard.press('Tab');
      expect((await focus(page)).id).toBe(next);
    }
    await page.keyboard.press('Tab');
    expect((await focus(page)).text).toBe('Add');
    await page.keyboard.press('Tab');
    expect((await focus(page)).classes).toContain('task-card');
    expect((await focus(page)).text).toContain('Check the ledger');
    await page.keyboard.press(']');
    await eventually(() => page.locator('.task-column.column-doing .task-card').allTextContents()).toEqual([expect.stringContaining('Check the ledger')]);
    await eventually(async () => (await focus(page)).classes).toContain('task-card');
    expect(await page.evaluate(() => document.activeElement?.closest('.task-column')?.classList.contains('column-doing'))).toBe(true);
    await eventually(timeline).toContain('Task “Check the ledger” moved to Doing');

    // s goes to the status; ↓ browses to Investigating and Enter records it; the select keeps the focus.
    await page.keyboard.press('s');
    expect((await focus(page)).id).toBe('status-select');
    await page.keyboard.press('ArrowDown');
    expect((await focus(page)).id).toBe('status-select');
    await page.keyboard.press('Enter');
    await eventually(timeline).toContain('Status changed to Investigating');
    expect((await focus(page)).id).toBe('status-select');

    // Esc leaves the select; c goes to the update. Ctrl+Enter saves it and the box stays focused.
    await page.keyboard.press('Escape');
    expect((await focus(page)).tag).toBe('body');
    await page.keyboard.press('c');
    expect((await focus(page)).id).toBe('comms-body');
    await page.keyboard.type('Card payments fail in Lyon; we are rolling back.');
    await page.keyboard.press('ControlOrMeta+Enter');
    const draft = page.locator('.draft').first();
    await eventually(() => draft.getAttribute('data-state')).toBe('draft');
    expect((await focus(page)).id).toBe('comms-body');
    // Saved once the answer has emptied the box: on a loaded machine the change notice draws the
    // update first, while Save is still disabled (out of the Tab order) until the answer comes.
    await eventually(() => page.locator('#comms-body').inputValue()).toBe('');
    expect((await focus(page)).id).toBe('comms-body');

    // Tab reaches the update, then its Edit and Approve buttons.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focus(page)).classes).toContain('draft');
    await page.keyboard.press('Tab');
    expect((await focus(page)).text).toBe('Edit');
    // Edit puts the text in the compose area; Ctrl+Enter saves it and goes back to the update.
    await page.keyboard.press('Enter');
    await eventually(async () => (await focus(page)).id).toBe('comms-body');
    expect(await page.locator('#comms-body').inputValue()).toBe('Card payments fail in Lyon; we are rolling back.');
    await page.keyboard.press('End');
    await page.keyboard.type(' Next update at 10:30.');
    await page.keyboard.press('ControlOrMeta+Enter');
    await eventually(() => draft.locator('.draft-body').textContent()).toBe('Card payments fail in Lyon; we are rolling back. Next update at 10:30.');
    await eventually(async () => (await focus(page)).classes).toContain('draft');
    expect(await page.locator('#comms-body').inputValue()).toBe('');

    // Approve leads to Mark sent; Mark sent to the update itself.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focus(page)).text).toBe('Approve');
    await page.keyboard.press('Enter');
    await eventually(async () => (await focus(page)).text).toBe('Mark sent');
    expect(await draft.getAttribute('data-state')).toBe('approved');
    await page.keyboard.press('Enter');
    await eventually(() => draft.getAttribute('data-state')).toBe('sent');
    await eventually(async () => (await focus(page)).classes).toContain('draft');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bridge-update-sent-1366x768.png') });

    // Resolved from the palette; the focus comes back where it was.
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('change status');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /status/i }).waitFor();
    await page.keyboard.type('resolved');
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await eventually(() => page.locator('#status-select').inputValue()).toBe('resolved');
    expect((await focus(page)).classes).toContain('draft');

    // The review replaces the panes, the update with the focus among them: the focus goes to the
    // curated timeline (not to the page); g comes back to it too. h hides an entry and the focus moves on to the next.
    await page.keyboard.press('Shift+R');
    await page.locator('.review-row').first().waitFor();
    await eventually(async () => (await focus(page)).classes).toContain('review-row');
    await page.keyboard.press('g');
    await eventually(async () => (await focus(page)).classes).toContain('review-row');
    const first = await page.evaluate(() => (document.activeElement as HTMLElement).dataset['entryId']);
    await page.keyboard.press('h');
    await eventually(async () => page.evaluate(() => (document.activeElement as HTMLElement).dataset['entryId'] ?? 'page')).not.toBe(first);
    expect((await focus(page)).classes).toContain('review-row');
    // c comments on the focused entry: what is typed goes into the comment, never to a shortcut.
    await page.keyboard.press('c');
    await eventually(async () => (await focus(page)).tag).toBe('textarea');
    await page.keyboard.type('Key signal: the error rate alert fired late');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.review-row').filter({ hasText: 'Key signal: the error rate alert fired late' }).count()).toBe(1);
    await eventually(async () => (await focus(page)).classes).toContain('review-row');

    // A why: 2 opens the root-cause tab (the focus stays on the row); Tab reaches its tab, then the
    // new why; Tab to its "because"; Enter adds the link and leaves the focus in the new why for the next.
    await page.keyboard.press('2');
    await eventually(() => page.locator('#review-tab-rootCause').getAttribute('aria-selected')).toBe('true');
    // From the comment's row: one Tab to the tabs (one stop, on the chosen tab), one more into the tab's page.
    expect((await focus(page)).classes).toContain('review-row');
    await page.keyboard.press('Tab');
    expect((await focus(page)).id).toBe('review-tab-rootCause');
    await page.keyboard.press('Tab');
    expect((await focus(page)).id).toBe('why-new');
    await page.keyboard.type('Why did the rollback take 20 minutes?');
    await page.keyboard.press('Tab');
    expect((await focus(page)).id).toBe('because-new');
    await page.keyboard.type('The v41 image had to be rebuilt first');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.why-item').count()).toBe(1);
    await eventually(async () => (await focus(page)).id).toBe('why-new');
    expect(await page.locator('#why-new').inputValue()).toBe('');

    // The review is still on screen after a reload, the focus in its timeline.
    await page.reload();
    await page.locator('.review-row').first().waitFor();
    await eventually(async () => (await focus(page)).classes).toContain('review-row');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bridge-review-after-reload-1366x768.png') });

    // Back to the live view: the review's row goes, the focus goes to the quick-entry bar.
    await page.keyboard.press('Shift+R');
    await page.locator('.timeline-pane').waitFor();
    await eventually(async () => (await focus(page)).id).toBe('quick-entry');
    // Closed from the palette; the focus comes back to the bar.
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('change status');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /status/i }).waitFor();
    await page.keyboard.type('closed');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#status-select').inputValue()).toBe('closed');
    await eventually(timeline).toContain('Status changed to Closed');
    await eventually(async () => (await focus(page)).id).toBe('quick-entry');
    expect(problems).toEqual([]);
  });
});
