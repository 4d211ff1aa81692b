import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callFromPage, CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, seedIncident, startConsole, type Running } from './harness.js';

/**
 * A correction or a redaction being typed in the timeline while an entry dated earlier arrives
 * above it (a teammate's entry pulled by sync, one logged with an earlier time). Rows are drawn by
 * position, so the entry being corrected moves to the next row and its form is drawn anew there:
 * what was typed, the field it was typed in and the caret stay, and saving corrects that entry.
 * Each case starts from a fresh page and reaches its entry by keyboard (j, then the arrows).
 */

const SEED = ['Checkout error rate at 60%', 'DB primary at 100% CPU', 'Restarted the payment pods', 'Waiting on the DBA'];

let incidentId = '';

function seed(dataDir: string): void {
  incidentId = seedIncident(
    dataDir,
    SEED.map((text, i) => ({ actor: 'Ana', entryKind: 'note', text, minutesAgo: 25 - i * 4 })),
  );
}

describe('a correction or redaction being typed keeps its text when an earlier entry arrives above it', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  const pageProblems: string[] = [];
  let arrivals = 0;

  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : null;
      return {
        id: el?.id ?? '',
        text: el?.textContent ?? '',
        entryId: el?.closest<HTMLElement>('.timeline-row')?.dataset['entryId'] ?? null,
        value: field?.value ?? null,
        caret: field ? [field.selectionStart, field.selectionEnd] : null,
      };
    });
  const rowOf = (entryId: string) => page.locator(`.timeline-row[data-entry-id="${entryId}"]`);
  const indexOf = (entryId: string) => rowOf(entryId).getAttribute('data-index');

  /** From the newest entry (j), up with the arrow keys until the entry saying `text` has the focus; its id. */
  const focusEntry = async (text: string): Promise<string> => {
    await page.keyboard.press('j');
    // The walk starts from the newest entry, not from the row focused before j.
    const newest = async () => String(Number((await page.getByTestId('timeline-count').textContent())!.match(/^(\d+)/)![1]) - 1);
    await eventually(async () => {
      const id = (await focused()).entryId;
      return id !== null && (await indexOf(id)) === (await newest());
    }).toBe(true);
    for (let i = 0; i < 30 && !(await focused()).text.includes(text); i++) {
      const from = (await focused()).entryId;
      await page.keyboard.press('ArrowUp');
      // The focus follows the key one render later: wait for it, or a loaded machine reads the row it is leaving.
      await eventually(async () => (await focused()).entryId).not.toBe(from);
    }
    const now = await focused();
    expect(now.text).toContain(text);
    return now.entryId!;
  };

  /** A note logged elsewhere (another laptop, through sync) dated before `entryId`'s entry: it lands above it, the entry one row down. */
  const arriveAbove = async (entryId: string) => {
    const before = Number(await indexOf(entryId));
    const occurredAt =
      Number(
        await rowOf(entryId)
          .locator('.entry-time')
          .evaluate((el) => Date.parse(el.getAttribute('datetime')!)),
      ) - 30_000;
    const text = `Payments team paged (logged late ${++arrivals})`;
    await callFromPage(page, 'timeline.log', { incidentId, entryKind: 'note', text, occurredAt });
    await eventually(() => indexOf(entryId)).toBe(String(before + 1));
    return text;
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-correction-draft-'));
    seed(dataDir);
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(error.message));
  });

  // Every case from a fresh page: nothing focused, nothing open, whatever ran before.
  beforeEach(async () => {
    await page.goto(running.url);
    await page.locator('.timeline-row', { hasText: SEED[3]! }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a text correction: the text, the caret and the focus stay in the form, and Enter corrects that entry', async () => {
    const id = await focusEntry(SEED[2]!);
    await page.keyboard.press('e');
    const field = `correct-${id}-text`;
    await eventually(async () => (await focused()).id).toBe(field);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Restarted the payment pods in DC2');
    // The caret left mid-text, before "in DC2".
    for (let i = 0; i < 'in DC2'.length; i++) await page.keyboard.press('ArrowLeft');
    const caret = 'Restarted the payment pods '.length;
    expect((await focused()).caret).toEqual([caret, caret]);

    const arrived = await arriveAbove(id);
    // The form is on the entry's new row, with the text typed, the focus and the caret where they were.
    await eventually(focused).toEqual({
      id: field,
      text: 'Restarted the payment pods in DC2',
      entryId: id,
      value: 'Restarted the payment pods in DC2',
      caret: [caret, caret],
    });
    expect(await page.locator('.entry-form').count()).toBe(1);
    await page.keyboard.type('(all three) ');
    expect((await focused()).value).toBe('Restarted the payment pods (all three) in DC2');

    await page.keyboard.press('Enter');
    await page.locator('.entry-form').waitFor({ state: 'detached' });
    await eventually(() => rowOf(id).locator('.entry-text').first().textContent()).toBe('Restarted the payment pods (all three) in DC2');
    expect(await rowOf(id).locator('.entry-edited').textContent()).toBe('edited');
    // The entry that arrived above is as it was logged.
    const above = page.locator('.timeline-row', { hasText: arrived });
    expect(await above.locator('.entry-text').first().textContent()).toBe(arrived);
    expect(await above.locator('.entry-edited').count()).toBe(0);
    // And the keyboard is back on the corrected entry.
    await eventually(async () => (await focused()).entryId).toBe(id);
    expect(pageProblems).toEqual([]);
  });

  it('a corrected time being typed (Tab to the time field) stays in that field with the text, and both are saved', async () => {
    const id = await focusEntry(SEED[1]!);
    await page.keyboard.press('e');
    await eventually(async () => (await focused()).id).toBe(`correct-${id}-text`);
    await page.keyboard.type(' (replica fine)');
    await page.keyboard.press('Tab');
    const when = `correct-${id}-when`;
    expect((await focused()).id).toBe(when);
    await page.keyboard.type('-2');

    await arriveAbove(id);
    await eventually(async () => {
      const now = await focused();
      return [now.id, now.entryId, now.value, now.caret];
    }).toEqual([when, id, '-2', [2, 2]]);
    expect(await page.locator(`#correct-${id}-text`).inputValue()).toBe(`${SEED[1]} (replica fine)`);
    await page.keyboard.type('2m');
    expect(await page.getByTestId('when-preview').textContent()).toMatch(/^Will read \d\d:\d\d:\d\d$/);

    const time = await rowOf(id).locator('.entry-time').getAttribute('datetime');
    await page.keyboard.press('Enter');
    await page.locator('.entry-form').waitFor({ state: 'detached' });
    await eventually(() => rowOf(id).locator('.entry-text').first().textContent()).toBe(`${SEED[1]} (replica fine)`);
    expect(await rowOf(id).locator('.entry-time').getAttribute('datetime')).not.toBe(time);
    expect(pageProblems).toEqual([]);
  });

  it('a redaction reason: kept with the focus, and Enter redacts that entry, not the one now in its old row', async () => {
    const id = await focusEntry(SEED[0]!);
    await page.keyboard.press('x');
    const field = `redact-${id}-reason`;
    await eventually(async () => (await focused()).id).toBe(field);
    await page.keyboard.type('Pasted a customer');

    const arrived = await arriveAbove(id);
    await eventually(async () => {
      const now = await focused();
      return [now.id, now.entryId, now.value];
    }).toEqual([field, id, 'Pasted a customer']);
    await page.keyboard.type(' card number');
    await page.keyboard.press('Enter');
    await eventually(() => rowOf(id).locator('.entry-text').first().textContent()).toBe('Redacted by Ana: Pasted a customer card number');
    expect(await page.content()).not.toContain(SEED[0]);
    expect(await page.locator('.timeline-row', { hasText: arrived }).locator('.entry-text').first().textContent()).toBe(arrived);
    expect(pageProblems).toEqual([]);
  });

  it('a form whose focus went elsewhere does not take it back when its entry moves; Esc then drops what was typed', async () => {
    const id = await focusEntry(SEED[3]!);
    await page.keyboard.press('e');
    await eventually(async () => (await focused()).id).toBe(`correct-${id}-text`);
    await page.keyboard.type(' (paged twice)');
    // On with Tab, past the form's buttons, to the quick-entry bar below the list.
    for (let i = 0; i < 8 && (await focused()).id !== 'quick-entry'; i++) await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('quick-entry');
    await arriveAbove(id);
    await eventually(() => page.locator(`#correct-${id}-text`).inputValue()).toBe(`${SEED[3]} (paged twice)`);
    expect((await focused()).id).toBe('quick-entry');

    // Back in the form (Shift+Tab), Esc cancels: opened again, it starts from the entry's text.
    for (let i = 0; i < 8 && (await focused()).id !== `correct-${id}-text`; i++) await page.keyboard.press('Shift+Tab');
    expect((await focused()).value).toBe(`${SEED[3]} (paged twice)`);
    await page.keyboard.press('Escape');
    await page.locator('.entry-form').waitFor({ state: 'detached' });
    await eventually(async () => (await focused()).entryId).toBe(id);
    await page.keyboard.press('e');
    await eventually(async () => (await focused()).value).toBe(SEED[3]);
    await page.keyboard.press('Escape');
    expect(pageProblems).toEqual([]);
  });

  it('on a list shorter than the form (French, large type), the field being typed in stays in view; closed, the list follows the newest entry again', async () => {
    // 1366×560 leaves the list about as short as 1366×768 does with the call-out banner open. The list
    // followed the newest entry's end, and the form opened on that entry is taller than the list: its
    // text box was scrolled out of view while the user typed in it.
    const inView = () =>
      page.evaluate(() => {
        const list = document.querySelector<HTMLElement>('.timeline-scroll')!.getBoundingClientRect();
        const box = (document.activeElement as HTMLElement).getBoundingClientRect();
        return box.height > 0 && box.top >= list.top - 0.5 && box.bottom <= list.bottom + 0.5;
      });
    const atNewest = () => page.locator('.timeline-scroll').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2);
    await page.setViewportSize({ width: 1366, height: 560 });
    await page.evaluate(() => {
      localStorage.setItem('warroom.language', 'fr');
      localStorage.setItem('warroom.largeType', 'on');
    });
    try {
      await page.reload();
      await page.locator('.timeline-row', { hasText: SEED[3]! }).waitFor();
      await eventually(atNewest).toBe(true);
      const id = await focusEntry(SEED[3]!);
      await page.keyboard.press('e');
      await eventually(async () => (await focused()).id).toBe(`correct-${id}-text`);
      const form = await rowOf(id).evaluate((row) => row.getBoundingClientRect().height);
      const list = await page.locator('.timeline-scroll').evaluate((el) => el.clientHeight);
      expect(form).toBeGreaterThan(list);
      await eventually(inView).toBe(true);
      await page.keyboard.type(' (paged twice)');
      expect(await inView()).toBe(true);
      await page.keyboard.press('Tab');
      await eventually(async () => (await focused()).id).toBe(`correct-${id}-when`);
      await eventually(inView).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'correction-form-short-list-fr-large.png') });
      await page.keyboard.press('Escape');
      await page.locator('.entry-form').waitFor({ state: 'detached' });
      await eventually(atNewest).toBe(true);
    } finally {
      await page.evaluate(() => {
        localStorage.removeItem('warroom.language');
        localStorage.removeItem('warroom.largeType');
      });
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    expect(pageProblems).toEqual([]);
  });
});
