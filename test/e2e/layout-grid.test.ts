import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running, callFromPage } from './harness.js';

/**
 * The command view in the issue's whole test grid: Chromium at 1366×768, 1920×1080 and 3840×2160,
 * each in light and dark, normal and large type, English and French (24 looks, the issue's 18 —
 * light, dark, large type × 2 languages × 3 sizes — and large type in both themes). For each:
 * WCAG 2.2 AA by axe with zero violations, no sideways scroll, the incident title readable, a
 * screenshot (test-results/screenshots/grid-*); at 1366×768 the task board shows at least five
 * whole cards with the owed-to-you strip and the deputy call-out open, in large type too (and in
 * focus mode, where the timeline's head stays whole beside it), and the French header is no
 * taller than the English one. Writing an update there (c) gives comms the room for its whole
 * compose area — text box, audience, Save — with the buttons of the update beside it whole, and,
 * in large type, editing an update too (its Save and Cancel, then Approve in view once saved);
 * back on the board, five whole cards again and the text written still there. A switch of
 * incident opens the next one with the board in its room again.
 *
 * One console, one page: a look is changed as a user changes it, by the window size and the
 * header's switches (theme, large type, language), with no reload, so the 24 looks stay cheap.
 */

type Theme = 'dark' | 'light';
type TypeSize = 'normal' | 'large';
type Language = 'en' | 'fr';
interface Look {
  width: number;
  height: number;
  theme: Theme;
  type: TypeSize;
  language: Language;
}

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];
const LOOKS: Look[] = (['en', 'fr'] as const).flatMap((language) =>
  (['dark', 'light'] as const).flatMap((theme) => (['normal', 'large'] as const).flatMap((type) => SIZES.map((size) => ({ ...size, theme, type, language })))),
);

const name = (look: Look) => `${look.width}x${look.height}-${look.theme}-${look.type}-${look.language}`;

describe('the command view in every size, theme, type size and language (one page)', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  const pageErrors: string[] = [];

  /** The look of the page now, as the header's switches set it on <html>. */
  const shownLook = () =>
    page.evaluate(() => ({
      theme: document.documentElement.dataset['theme'],
      type: document.documentElement.dataset['type'],
      language: document.documentElement.lang,
    }));

  /** Change to `look` as a user does: resize the window, press the header's switches that differ. */
  const useLook = async (look: Look) => {
    await page.setViewportSize({ width: look.width, height: look.height });
    await eventually(() => page.evaluate(() => window.innerWidth)).toBe(look.width);
    const header = page.locator('.console-header');
    const now = await shownLook();
    if (now.language !== look.language) await header.locator(`.language-switch button[lang="${look.language}"]`).click();
    if (now.theme !== look.theme) await header.locator('.appearance-switch button').nth(0).click();
    if (now.type !== look.type) await header.locator('.appearance-switch button').nth(1).click();
    await eventually(shownLook).toEqual({ theme: look.theme, type: look.type, language: look.language });
    // The switch pressed last keeps the focus; the page's checks start from the page itself.
    await page.locator('body').focus();
  };

  /** Zero WCAG 2.2 A/AA violations, listed in full when there are any. */
  const axeProblems = async () => {
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .options({ resultTypes: ['violations'] })
      .setLegacyMode()
      .analyze();
    return results.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`);
  };

  /** Nothing wider than the window: neither the page nor the header nor any pane scrolls sideways. */
  const overflowProblems = () =>
    page.evaluate(() => {
      const found: string[] = [];
      if (document.documentElement.scrollWidth > window.innerWidth) found.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
      for (const el of document.querySelectorAll<HTMLElement>('.console-header, .pane')) {
        if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
        const box = el.getBoundingClientRect();
        if (box.right > window.innerWidth + 1) found.push(`${el.className} ends at ${Math.round(box.right)}`);
      }
      // Every button of a pane's head whole inside its pane (French "Maintenant" was cut at the timeline's edge in focus mode).
      for (const button of document.querySelectorAll<HTMLElement>('.pane .pane-head button')) {
        if (button.getClientRects().length === 0) continue;
        const box = button.getBoundingClientRect();
        const pane = button.closest<HTMLElement>('.pane-slot')!.getBoundingClientRect();
        if (box.left < pane.left - 1 || box.right > pane.right + 1 || box.top < pane.top - 1 || box.bottom > pane.bottom + 1 || box.width < 8)
          found.push(
            `pane button “${button.getAttribute('aria-label') ?? button.textContent}” at ${Math.round(box.left)}–${Math.round(box.right)}, its pane ${Math.round(pane.left)}–${Math.round(pane.right)}`,
          );
      }
      // Every header button whole inside the window (help ? included).
      for (const button of document.querySelectorAll<HTMLElement>('.console-header button')) {
        if (button.getClientRects().length === 0) continue;
        const box = button.getBoundingClientRect();
        if (box.left < 0 || box.right > window.innerWidth + 1 || box.width < 8)
          found.push(`header button “${button.getAttribute('aria-label') ?? button.textContent}” at ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
      return found;
    });

  /** Poll `read` until `done` accepts its value or `timeout` passes; the last value either way, to be reported. */
  const settled = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeout = 5_000): Promise<T> => {
    const until = Date.now() + timeout;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  /** Whole task cards: each card's box inside its column's scroller, the task pane and the window. */
  const wholeCards = () =>
    page.evaluate(() => {
      const inside = (box: DOMRect, frame: DOMRect) =>
        box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1 && box.left >= frame.left - 1 && box.right <= frame.right + 1;
      const pane = document.querySelector<HTMLElement>('.tasks-pane')!.getBoundingClientRect();
      const window_ = new DOMRect(0, 0, window.innerWidth, window.innerHeight);
      return [...document.querySelectorAll<HTMLElement>('.tasks-pane .task-card')].filter((card) => {
        const box = card.getBoundingClientRect();
        const scroller = card.closest<HTMLElement>('.pane-scroll')!.getBoundingClientRect();
        return box.height > 0 && inside(box, scroller) && inside(box, pane) && inside(box, window_);
      }).length;
    });

  /**
   * The compose area whole and usable where it is, without scrolling: the text box (at least three
   * lines), the audience and channel or the edit's note, and the form's buttons, each inside the
   * comms pane and the window and the element the page shows at its middle (nothing over it, no
   * scrolled ancestor hiding it). Problems, none when all is whole.
   */
  const composeProblems = () =>
    page.evaluate(() => {
      const found: string[] = [];
      const pane = document.querySelector<HTMLElement>('[data-pane="comms"]')!.getBoundingClientRect();
      const form = document.querySelector<HTMLElement>('.comms-form')!;
      const parts = [
        form.querySelector<HTMLElement>('textarea')!,
        ...form.querySelectorAll<HTMLElement>('select, .comms-editing, .form-actions button'),
      ].filter((el) => el.getClientRects().length > 0);
      for (const el of parts) {
        const box = el.getBoundingClientRect();
        const label = `${el.tagName.toLowerCase()} “${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}”`;
        if (box.top < pane.top - 1 || box.bottom > pane.bottom + 1 || box.left < pane.left - 1 || box.right > pane.right + 1 || box.bottom > window.innerHeight)
          found.push(`${label} at ${Math.round(box.top)}–${Math.round(box.bottom)}, comms pane ${Math.round(pane.top)}–${Math.round(pane.bottom)}`);
        else {
          const shown = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          if (!shown || !(el === shown || el.contains(shown))) found.push(`${label} hidden under ${shown?.className ?? 'nothing'}`);
        }
      }
      const text = form.querySelector<HTMLElement>('textarea')!;
      const lines = text.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight || '20');
      if (lines < 3) found.push(`the text box shows ${lines.toFixed(1)} lines`);
      for (let el: HTMLElement | null = form; el; el = el.parentElement) if (el.scrollTop > 0) found.push(`${el.className} scrolled by ${el.scrollTop}`);
      return found;
    });

  /**
   * The newest update beside the compose box: each of its action buttons (Edit, Approve, Copy…)
   * whole inside the list of updates, the comms pane and the window, and the element shown at its
   * middle, where the list stands. Problems, none when all are whole.
   */
  const cardActionProblems = () =>
    page.evaluate(() => {
      const found: string[] = [];
      const list = document.querySelector<HTMLElement>('.drafts')!;
      const card = list.querySelector<HTMLElement>('.draft');
      if (!card) return ['no update beside the compose box'];
      const frame = list.getBoundingClientRect();
      const pane = document.querySelector<HTMLElement>('[data-pane="comms"]')!.getBoundingClientRect();
      const buttons = [...card.querySelectorAll<HTMLElement>('.draft-actions button')];
      if (buttons.length === 0) found.push('the update shows no buttons');
      for (const button of buttons) {
        const box = button.getBoundingClientRect();
        const label = `“${button.textContent?.trim() ?? ''}”`;
        const top = Math.max(frame.top, pane.top) - 1;
        const bottom = Math.min(frame.bottom, pane.bottom, window.innerHeight) + 1;
        if (box.height === 0 || box.top < top || box.bottom > bottom || box.left < frame.left - 1 || box.right > frame.right + 1)
          found.push(`${label} at ${Math.round(box.top)}–${Math.round(box.bottom)}, the list of updates ${Math.round(frame.top)}–${Math.round(frame.bottom)}`);
        else {
          const shown = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          if (!shown || !(button === shown || button.contains(shown))) found.push(`${label} hidden under ${shown?.className ?? 'nothing'}`);
        }
      }
      return found;
    });

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-grid-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(running.url);
    await page.getByRole('button', { name: 'Open a sample drill incident' }).click();
    await page.locator('.console-header').waitFor();
    const incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    // A busy board: the drill's tasks and six more, two of them with a check-back already owed.
    for (let i = 1; i <= 6; i++) {
      const created = await callFromPage(page, 'task.create', {
        incidentId,
        title: `Call supplier ${i} about the generator fuel`,
        owner: 'Bo Lind',
        kind: 'response',
      });
      if (i <= 2) await callFromPage(page, 'task.checkBack', { incidentId, taskId: created['taskId'], checkBackAt: Date.now() - 60_000 });
    }
    await page.locator('.owed-entry').nth(1).waitFor();
    // The call-out opens by itself at its moments; opened here (as for most of a real P1) so every look has the same, fullest board.
    if ((await page.getByTestId('deputy-callout').count()) === 0) await page.getByTestId('callout-chip').click();
    await page.getByTestId('deputy-callout').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('axe finds nothing, nothing scrolls sideways and the board holds five cards on a laptop, in all 24 looks', async () => {
    const problems: string[] = [];
    const headerHeights = new Map<string, number>();
    for (const look of LOOKS) {
      await useLook(look);
      // The owed-to-you strip and the call-out are open in every look.
      await page.locator('.owed-entry').nth(1).waitFor();
      await page.getByTestId('deputy-callout').waitFor();
      for (const problem of [...(await axeProblems()), ...(await overflowProblems())]) problems.push(`${name(look)}: ${problem}`);
      const titleWidth = await page.locator('.incident-title').evaluate((el) => el.getBoundingClientRect().width);
      if (titleWidth <= 100) problems.push(`${name(look)}: the incident title is ${Math.round(titleWidth)} px wide`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-${name(look)}.png`) });
      if (look.width === 1366) {
        headerHeights.set(name(look), await page.locator('.console-header').evaluate((el) => Math.round(el.getBoundingClientRect().height)));
        // In large type too: the panes give the board the room for five whole cards (Panes.tsx, one-line titles).
        const cards = await settled(wholeCards, (n) => n >= 5);
        if (cards < 5) problems.push(`${name(look)}: ${cards} whole task cards (at least 5 wanted)`);
        // Writing an update (c): comms takes the room its compose area needs, the focus and the text stay.
        const typed = look.language === 'fr' ? 'Paiements rétablis pour la plupart des porteurs de carte.' : 'Payments restored for most card holders.';
        await page.keyboard.press('c');
        await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('comms-body');
        await page.keyboard.type(typed);
        const compose = await settled(composeProblems, (found) => found.length === 0);
        for (const problem of compose) problems.push(`${name(look)} writing an update: ${problem}`);
        // The update beside the compose box keeps its buttons whole at the pane's bottom (they were cut there).
        for (const problem of await settled(cardActionProblems, (found) => found.length === 0))
          problems.push(`${name(look)} writing an update, the update beside it: ${problem}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-writing-${name(look)}.png`) });
        if (look.type === 'large') {
          // Editing an update happens in the same compose area: its Save and Cancel whole too.
          await page
            .locator('.draft')
            .first()
            .getByRole('button', { name: look.language === 'fr' ? 'Modifier' : 'Edit' })
            .click();
          await page.locator('.comms-form.editing').waitFor();
          await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('comms-body');
          const editing = await settled(composeProblems, (found) => found.length === 0);
          for (const problem of editing) problems.push(`${name(look)} editing an update: ${problem}`);
          await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-editing-${name(look)}.png`) });
          // Saved (Ctrl+Enter): back on the update, whose Approve is two Tabs away and whole in view.
          await page.keyboard.press('End');
          await page.keyboard.type(look.language === 'fr' ? ' Vérifié.' : ' Checked.');
          await page.keyboard.press('Control+Enter');
          await page.locator('.comms-form.editing').waitFor({ state: 'detached' });
          await eventually(() => page.evaluate(() => document.activeElement?.classList.contains('draft') ?? false)).toBe(true);
          await page.keyboard.press('Tab');
          await page.keyboard.press('Tab');
          const approve = look.language === 'fr' ? 'Approuver' : 'Approve';
          await eventually(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(approve);
          const approveBox = await page.evaluate(() => {
            const box = document.activeElement!.getBoundingClientRect();
            const pane = document.querySelector('[data-pane="comms"]')!.getBoundingClientRect();
            const list = document.querySelector('.drafts')!.getBoundingClientRect();
            return box.top >= Math.max(pane.top, list.top) - 1 && box.bottom <= Math.min(pane.bottom, list.bottom, window.innerHeight) + 1;
          });
          if (!approveBox) problems.push(`${name(look)}: ${approve} of the update just saved is not whole in view`);
          await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-approve-${name(look)}.png`) });
        }
        // Back on the board: five whole cards again, and the update being written is still there.
        if (look.type !== 'large') await page.keyboard.press('Escape');
        await page.keyboard.press('t');
        await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('new-task-title');
        await page.keyboard.press('Escape');
        const cardsAgain = await settled(wholeCards, (n) => n >= 5);
        if (cardsAgain < 5) problems.push(`${name(look)}: ${cardsAgain} whole task cards back on the board (at least 5 wanted)`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-board-again-${name(look)}.png`) });
        expect(await page.locator('#comms-body').inputValue()).toBe(typed);
        // The next look starts from an empty compose area and the board.
        await page.keyboard.press('c');
        await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('comms-body');
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Escape');
        await page.keyboard.press('t');
        await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('new-task-title');
        await page.keyboard.press('Escape');
        expect(await page.locator('#comms-body').inputValue()).toBe('');
        if (look.type === 'large') {
          // Focus mode on the board leaves the timeline its narrowest: its head still shows its button whole.
          await page.keyboard.press('t');
          await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('new-task-title');
          await page.keyboard.press('Escape');
          await page.keyboard.press('z');
          await page.locator('.focus-note').waitFor();
          const focusCards = await settled(wholeCards, (n) => n >= 5);
          if (focusCards < 5) problems.push(`${name(look)}: ${focusCards} whole task cards in focus mode (at least 5 wanted)`);
          const timelineNarrow = () => page.locator('[data-pane="timeline"]').evaluate((el) => el.getBoundingClientRect().width < window.innerWidth * 0.3);
          await eventually(timelineNarrow).toBe(true);
          for (const problem of await overflowProblems()) problems.push(`${name(look)} focus mode: ${problem}`);
          await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-focus-tasks-${name(look)}.png`) });
          await page.keyboard.press('z');
          await page.locator('.focus-note').waitFor({ state: 'detached' });
        }
      }
    }
    // French labels run longer: on the laptop its header takes no line more than the English one.
    for (const look of LOOKS.filter((l) => l.width === 1366 && l.language === 'fr')) {
      const french = headerHeights.get(name(look))!;
      const english = headerHeights.get(name({ ...look, language: 'en' }))!;
      // (A pixel or two of glyph height is not a line.)
      if (french > english + 4) problems.push(`${name(look)}: the French header is ${french} px high, the English ${english} px`);
    }
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('a switch of incident opens the next one with the board in its room, not comms left large from writing an update', async () => {
    await useLook({ width: 1366, height: 768, theme: 'dark', type: 'normal', language: 'en' });
    const drillId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    const now = Date.now();
    const other = await callFromPage(page, 'incident.declare', {
      title: 'Printing fails on the third floor',
      occurredAt: now - 60_000,
      detectedAt: now,
      detectionSource: 'user_report',
      category: 'hardware',
      impact: 'medium',
      urgency: 'medium',
      commander: 'Ana',
    });
    const titles = {
      [drillId]: await page.locator('.incident-title').getAttribute('title'),
      [String(other['incidentId'])]: 'Printing fails on the third floor',
    };
    // Two incidents: the header shows the switcher; Alt+1 opens the drill (open, P1, first in its order), Alt+2 the P3.
    await page.locator('.switcher-button').waitFor();
    /** The share of the side column comms has, 0–1. */
    const commsShare = () =>
      page.evaluate(() => {
        const height = (pane: string) => document.querySelector(`[data-pane="${pane}"]`)!.getBoundingClientRect().height;
        return height('comms') / (height('comms') + height('tasks'));
      });
    const switchTo = async (digit: number) => {
      const before = await page.locator('.incident-title').getAttribute('title');
      await page.keyboard.press(`Alt+Digit${digit}`);
      await eventually(() => page.locator('.incident-title').getAttribute('title')).not.toBe(before);
      await page.locator('[data-pane="comms"] .comms-pane').waitFor();
    };
    for (let round = 1; round <= 3; round++) {
      // Writing an update: comms takes 70 % of the column (a window 900 px high or less).
      await page.keyboard.press('c');
      await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('comms-body');
      await page.keyboard.type('Printers back on floors 1 and 2.');
      await eventually(commsShare).toBeGreaterThan(0.6);
      const from = await page.locator('.incident-title').getAttribute('title');
      await switchTo(from === titles[drillId] ? 2 : 1);
      const to = await page.locator('.incident-title').getAttribute('title');
      expect(Object.values(titles)).toContain(to);
      expect(to).not.toBe(from);
      // The next incident opens with the board in its room, and the focus is not in comms.
      expect(await page.evaluate(() => document.activeElement?.closest('[data-pane="comms"]') !== null)).toBe(false);
      await eventually(commsShare).toBeLessThan(0.45);
      await page.screenshot({ path: path.join(SCREENSHOTS, `grid-command-switched-${round}-1366x768-dark-normal-en.png`) });
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
