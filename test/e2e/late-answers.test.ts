import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, callFromPage, eventually, holdAnswer, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * A late answer never takes the keyboard (#12, focus as a rule): after an awaited call the focus
 * moves on only while it is still where the action started, or lost to the page. Each case holds
 * the core's answer (holdAnswer), as a loaded machine does, while the person goes on typing
 * elsewhere; when the answer comes, their field keeps the focus and what they typed. (The comms
 * pane's Approve / Mark sent and the quick-entry draft are held the same way in record-choice.)
 */
describe('a late answer leaves the keyboard where the person went (Chromium)', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  const pageErrors: string[] = [];

  /** The focused element's id, else its tag and text (a button without id). */
  const focusedId = () =>
    page.evaluate(() => {
      const here = document.activeElement;
      return here?.id || `${here?.tagName ?? ''} ${here?.textContent?.slice(0, 40) ?? ''}`;
    });

  /** The person's own field: the new-task title, reached with t from the page, typed into. */
  const typeTaskTitle = async (text: string) => {
    await page.keyboard.press('t');
    await eventually(focusedId).toBe('new-task-title');
    await page.keyboard.type(text);
  };

  const clearTaskTitle = async () => {
    await page.locator('#new-task-title').fill('');
    await page.keyboard.press('Escape');
    await page.locator('body').focus();
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-late-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(running.url);
    await page.getByRole('button', { name: 'Open a sample drill incident' }).click();
    await page.locator('.console-header').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('declaring: closed with Esc while the answer is on its way, the person keeps their incident, their field and what they typed', async () => {
    const drillTitle = await page.locator('.incident-title').innerText();
    const declaredTitles = async () => ((await callFromPage(page, 'incidents.list', {})) as unknown as { title: string }[]).map((i) => i.title);
    await page.locator('.console-header').getByRole('button', { name: '+ New incident' }).click();
    await eventually(focusedId).toBe('declare-title');
    await page.keyboard.type('Card terminals offline in Ghent');
    const answer = await holdAnswer(page, 'incident.declare');
    await page.keyboard.press('ControlOrMeta+Enter');
    // The dialog closed by Esc (the draft is kept), then the person goes on with a task.
    await page.keyboard.press('Escape');
    await page.locator('.declare-dialog').waitFor({ state: 'detached' });
    await typeTaskTitle('Ask the bank for the terminal logs');
    await answer();
    // Declared (it is in the incident switcher)…
    expect(await declaredTitles()).toContain('Card terminals offline in Ghent');
    // …without taking the screen or the keyboard: the old code switched to it, the field went, and the bar had the focus.
    expect(await page.locator('.incident-title').innerText()).toBe(drillTitle);
    expect(await focusedId()).toBe('new-task-title');
    expect(await page.locator('#new-task-title').inputValue()).toBe('Ask the bank for the terminal logs');
    await page.keyboard.type(' today');
    expect(await page.locator('#new-task-title').inputValue()).toBe('Ask the bank for the terminal logs today');
    // Said politely (read when the screen reader is idle, the focus left alone), with the key that switches to it.
    const notice = page.getByTestId('declared-notice');
    expect(await notice.getAttribute('aria-live')).toBe('polite');
    expect(await notice.getAttribute('role')).toBe('status');
    await eventually(() => notice.textContent()).toMatch(/^“Card terminals offline in Ghent” is declared\. Alt\+[1-9] switches to it\.$/);
    expect(await focusedId()).toBe('new-task-title');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'declared-notice-1366x768-en.png') });
    // In French too.
    await page.locator('.language-switch button[lang="fr"]').click();
    await eventually(() => notice.textContent()).toMatch(/^« Card terminals offline in Ghent » est déclaré\. Alt\+[1-9] pour y passer\.$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'declared-notice-1366x768-fr.png') });
    await page.locator('.language-switch button[lang="en"]').click();
    await eventually(() => notice.textContent()).toContain('switches to it');
    await clearTaskTitle();
    // The key it names switches to the new incident; the notice has said its piece.
    const key = /Alt\+([1-9])/.exec((await notice.textContent()) ?? '')![1]!;
    await page.keyboard.press(`Alt+Digit${key}`);
    await eventually(() => page.locator('.incident-title').innerText()).toBe('Card terminals offline in Ghent');
    await eventually(() => notice.textContent()).toBe('');
  });

  it('declaring: still on the form when the answer comes, the bar takes the keyboard', async () => {
    await page.locator('.console-header').getByRole('button', { name: '+ New incident' }).click();
    await eventually(focusedId).toBe('declare-title');
    await page.keyboard.type('Refunds stuck in the queue');
    const answer = await holdAnswer(page, 'incident.declare');
    await page.keyboard.press('ControlOrMeta+Enter');
    await answer();
    await eventually(() => page.locator('.incident-title').innerText()).toBe('Refunds stuck in the queue');
    await eventually(focusedId).toBe('quick-entry');
    await page.keyboard.press('Escape');
  });

  it('creating an audience from the bar: its late answer does not take the keyboard back to the bar', async () => {
    await page.locator('body').focus();
    await page.keyboard.press('n');
    await eventually(focusedId).toBe('quick-entry');
    await page.keyboard.type('/update board Refunds are queued, none lost');
    await page.keyboard.press('Enter');
    const create = page.locator('.quick-ask').getByRole('button', { name: /board/ }).first();
    await eventually(() => create.evaluate((el) => el === document.activeElement)).toBe(true);
    const answer = await holdAnswer(page, 'comms.draft');
    await page.keyboard.press('Enter');
    // The question goes (the focus falls to the page) while the draft's answer is held.
    await page.locator('.quick-ask').waitFor({ state: 'detached' });
    await page.locator('[data-draft-id]', { hasText: 'Refunds are queued, none lost' }).waitFor();
    await page.locator('body').focus();
    await typeTaskTitle('Count the queued refunds');
    await answer();
    expect(await focusedId()).toBe('new-task-title');
    expect(await page.locator('#new-task-title').inputValue()).toBe('Count the queued refunds');
    await clearTaskTitle();
  });

  it('saving an edited update: its late answer does not take the keyboard to the update', async () => {
    const incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    await callFromPage(page, 'comms.draft', { incidentId, audience: 'internal', channel: 'chat', body: 'Refund queue drained by 14:00' });
    const draft = page.locator('[data-draft-id]', { hasText: 'Refund queue drained by 14:00' });
    await draft.getByRole('button', { name: 'Edit' }).click();
    await eventually(focusedId).toBe('comms-body');
    await page.keyboard.press('End');
    await page.keyboard.type(', checked');
    const answer = await holdAnswer(page, 'comms.edit');
    await page.keyboard.press('ControlOrMeta+Enter');
    // On to the bar to log what the bridge says, before the save is answered.
    await page.locator('#quick-entry').click();
    await page.keyboard.type('Bank confirms the network is back');
    await answer();
    await page.locator('[data-draft-id]', { hasText: 'Refund queue drained by 14:00, checked' }).waitFor();
    expect(await focusedId()).toBe('quick-entry');
    expect(await page.locator('#quick-entry').inputValue()).toBe('Bank confirms the network is back');
    // Saved while still in the compose area, the update edited takes the focus, Approve one Tab away.
    await page.locator('#quick-entry').fill('');
    await page.locator('[data-draft-id]', { hasText: 'checked' }).getByRole('button', { name: 'Edit' }).click();
    await eventually(focusedId).toBe('comms-body');
    await page.keyboard.press('End');
    await page.keyboard.type(' twice');
    await page.keyboard.press('ControlOrMeta+Enter');
    await eventually(() => page.evaluate(() => document.activeElement?.closest('[data-draft-id]')?.textContent ?? '')).toContain('checked twice');
    expect(pageErrors).toEqual([]);
  });
});
