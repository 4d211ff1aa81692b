import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../hub/test/support.js';
import { startTestHub } from '../sync-support.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running, callFromPage } from './harness.js';

/**
 * Layout and accessibility across screens, themes, type sizes and languages: WCAG 2.2 AA by
 * axe with zero violations, no horizontal overflow, room for the task board, a screenshot of
 * every pane and dialog (test-results/screenshots/layout-*).
 *
 * The command view has the full product of sizes, themes, type sizes and languages, with the task
 * board's five cards, in test/e2e/layout-grid.test.ts. Here, a covering design rather than the full
 * product (every pane and dialog in all 24 looks would take far too long on a 2-core CI machine):
 * - the review (its three tabs at 1366×768, its metrics at every size), its presenter and its
 *   replay in 8 looks that give every size each theme, each type size and each language at least
 *   once, and 1366×768 all four theme × type pairs;
 * - every dialog in 2 opposite looks at the laptop size (dark, normal type, English; light,
 *   large type, French), the size where crowding happens.
 */

interface Look {
  width: number;
  height: number;
  theme: 'dark' | 'light';
  type: 'normal' | 'large';
  language: 'en' | 'fr';
}

const LOOKS: Look[] = [
  { width: 1366, height: 768, theme: 'dark', type: 'normal', language: 'en' },
  { width: 1366, height: 768, theme: 'light', type: 'normal', language: 'fr' },
  { width: 1366, height: 768, theme: 'light', type: 'large', language: 'en' },
  { width: 1366, height: 768, theme: 'dark', type: 'large', language: 'fr' },
  { width: 1920, height: 1080, theme: 'light', type: 'normal', language: 'en' },
  { width: 1920, height: 1080, theme: 'dark', type: 'large', language: 'fr' },
  { width: 3840, height: 2160, theme: 'dark', type: 'normal', language: 'fr' },
  { width: 3840, height: 2160, theme: 'light', type: 'large', language: 'en' },
];
const DIALOG_LOOKS: Look[] = [LOOKS[0]!, { width: 1366, height: 768, theme: 'light', type: 'large', language: 'fr' }];

const name = (look: Look) => `${look.width}x${look.height}-${look.theme}-${look.type}-${look.language}`;

describe('layout and accessibility in Chromium', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  let incidentId = '';

  const call = (channel: string, input: unknown) => callFromPage(page, channel, input);

  const useLook = async (look: Look) => {
    await page.setViewportSize({ width: look.width, height: look.height });
    await page.evaluate((look) => {
      localStorage.setItem('warroom.theme', look.theme);
      localStorage.setItem('warroom.largeType', look.type === 'large' ? 'on' : 'off');
      localStorage.setItem('warroom.language', look.language);
    }, look);
    await page.reload();
    await page.locator('.console-header').waitFor();
    await eventually(() => page.evaluate(() => [document.documentElement.dataset['theme'], document.documentElement.lang])).toEqual([
      look.theme,
      look.language,
    ]);
  };

  /** Zero WCAG 2.2 A/AA violations (in `within` only, when given), listed in full when there are any. */
  const expectAccessible = async (what: string, within?: string) => {
    // In the page itself (legacy mode: axe.run, no blank page opened per run; the console has no
    // frames) and violations only: the same rules, in a fraction of the time.
    const axe = new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .options({ resultTypes: ['violations'] })
      .setLegacyMode();
    const results = await (within ? axe.include(within) : axe).analyze();
    const problems = results.violations.map(
      (v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`,
    );
    expect(problems, `${what}: axe violations`).toEqual([]);
  };

  /** Nothing wider than the window: the page never scrolls sideways, and neither does any pane. */
  const expectNoHorizontalOverflow = async (what: string) => {
    const overflow = await page.evaluate(() => {
      const found: string[] = [];
      if (document.documentElement.scrollWidth > window.innerWidth) found.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
      for (const el of document.querySelectorAll<HTMLElement>('.console-header, .pane, dialog[open], [aria-modal="true"]')) {
        if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
        const box = el.getBoundingClientRect();
        if (box.right > window.innerWidth + 1) found.push(`${el.className} ends at ${Math.round(box.right)}`);
      }
      return found;
    });
    expect(overflow, `${what}: horizontal overflow`).toEqual([]);
  };

  /**
   * Text under 12 px and buttons without a name a screen reader can say: each visible element
   * holding text, by its computed size; each button whose text has no letter (an arrow, ×, ?) by
   * its aria-label. Within `root` (a dialog), or the whole page.
   */
  const readabilityProblems = (root = 'body') =>
    page.evaluate((root) => {
      const found: string[] = [];
      const scope = document.querySelector(root) ?? document.body;
      const name = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || !node.textContent?.trim() || el.closest('.visually-hidden, [hidden], option, script, style')) continue;
        if (el.getClientRects().length === 0) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 12) found.push(`${name(el)} “${node.textContent.trim().slice(0, 30)}” is ${size}px`);
      }
      for (const button of scope.querySelectorAll<HTMLElement>('button, [role="button"]')) {
        if (button.getClientRects().length === 0 || /\p{L}/u.test(button.textContent ?? '')) continue;
        const label =
          button.getAttribute('aria-label') ??
          (button.getAttribute('aria-labelledby') ? document.getElementById(button.getAttribute('aria-labelledby')!)?.textContent : null) ??
          '';
        if (!/\p{L}/u.test(label)) found.push(`${name(button)} “${(button.textContent ?? '').trim()}” has no name to say`);
      }
      return found;
    }, root);

  const shot = (file: string) => page.screenshot({ path: path.join(SCREENSHOTS, `layout-${file}.png`) });

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-layout-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    await page.goto(running.url);
    await page.getByRole('button', { name: 'Open a sample drill incident' }).click();
    await page.locator('.console-header').waitFor();
    incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    // A busy board: ten response tasks, two of them with a check-back already owed.
    for (let i = 1; i <= 6; i++) {
      const created = await call('task.create', { incidentId, title: `Call supplier ${i} about the generator fuel`, owner: 'Bo Lind', kind: 'response' });
      if (i <= 2) await call('task.checkBack', { incidentId, taskId: created['taskId'], checkBackAt: Date.now() - 60_000 });
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('every dialog: no axe violation and nothing off-screen, in the two opposite looks at the laptop size', async () => {
    const dialogs: { key: string; open: () => Promise<void>; ready?: string }[] = [
      { key: 'help', open: () => page.keyboard.press('?') },
      { key: 'palette', open: () => page.keyboard.press('ControlOrMeta+K') },
      { key: 'roles', open: () => page.keyboard.press('r') },
      { key: 'handoff', open: () => page.keyboard.press('h') },
      { key: 'sync', open: () => page.keyboard.press('y') },
      { key: 'zones', open: () => page.keyboard.press('w') },
      { key: 'settings', open: () => page.keyboard.press(',') },
      { key: 'library', open: () => page.keyboard.press('b') },
      { key: 'export', open: () => page.keyboard.press('e') },
      { key: 'drill', open: () => page.keyboard.press('x') },
      { key: 'declare', open: () => page.locator('.header-actions button', { hasText: /New incident|Nouvel incident/ }).click() },
      // From the outside world: the alert inbox (a), and the pause of the clocks (p).
      { key: 'alerts', open: () => page.keyboard.press('a') },
      { key: 'pause', open: () => page.keyboard.press('p') },
      // One step further in: the people directory (from the roles), an entry's history (Enter on
      // it), library hits grouped by incident, and the trends charts.
      {
        key: 'people',
        open: async () => {
          await page.keyboard.press('r');
          await page
            .locator('dialog[open]')
            .getByRole('button', { name: /People directory|Annuaire/ })
            .click();
        },
        ready: 'dialog.people-dialog[open]',
      },
      {
        key: 'history',
        open: async () => {
          await page.locator('.timeline-row').first().focus();
          await page.keyboard.press('Enter');
        },
        ready: 'dialog.timeline-history[open] .history-list',
      },
      {
        key: 'library-hits',
        open: async () => {
          await page.keyboard.press('b');
          await page.locator('#library-query').fill('generator');
          // The only incident here is the drill, which the library leaves out unless asked.
          await page.locator('dialog[open] .library-search-bar input[type="checkbox"]').check();
        },
        ready: '.library-hit',
      },
      {
        key: 'trends',
        open: async () => {
          await page.keyboard.press('b');
          await page.getByRole('tab', { name: /Trends|Tendances/ }).click();
        },
        ready: '[data-testid="trends-summary"]',
      },
    ];
    for (const look of DIALOG_LOOKS) {
      await useLook(look);
      for (const dialog of dialogs) {
        await page.locator('body').focus();
        await dialog.open();
        const open = page.locator('dialog[open]');
        await open.waitFor();
        if (dialog.ready) await page.locator(dialog.ready).first().waitFor();
        // The page behind is inert and was checked above: the dialog alone is checked here.
        await expectAccessible(`${dialog.key} dialog ${name(look)}`, 'dialog[open]');
        await expectNoHorizontalOverflow(`${dialog.key} dialog ${name(look)}`);
        if (look.type === 'normal')
          expect(await readabilityProblems('dialog[open]'), `${dialog.key} dialog ${name(look)}: text under 12 px or unnamed buttons`).toEqual([]);
        await shot(`dialog-${dialog.key}-${name(look)}`);
        await page.keyboard.press('Escape');
        await open.waitFor({ state: 'detached' });
      }
    }
  }, 300_000);

  it('on a laptop, library, export and drill sit under More: reached by keyboard, and the focus comes back to More', async () => {
    await useLook(LOOKS[1]!);
    const more = page.locator('.console-header .overflow-menu > button');
    expect(await more.textContent()).toMatch(/^Plus/);
    // The inline buttons are gone from the laptop header (and from screen readers), not merely covered.
    expect(await page.locator('.console-header').getByRole('button', { name: 'Bibliothèque', exact: true }).count()).toBe(0);
    await more.focus();
    await page.keyboard.press('Enter');
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(`More open ${name(LOOKS[1]!)}`, '.console-header');
    await shot(`header-more-open-${name(LOOKS[1]!)}`);
    // Esc closes the list alone and leaves the focus on More.
    await page.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Bibliothèque');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Exporter');
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await more.evaluate((el) => el === document.activeElement)).toBe(true);
    // On a wide screen they stand in the header, and More is not there.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('.console-header').getByRole('button', { name: 'Bibliothèque', exact: true }).waitFor();
    expect(await more.isVisible()).toBe(false);
  });

  it('with a sync error showing, the header keeps the title and every button on screen, at 1366×768 in both type sizes and languages', async () => {
    // A real hub that refuses the token: the console says so in the header, in a long sentence.
    // The title's row with sync off, to compare: an error must not make it take a line more.
    const titleRow = () =>
      page
        .locator('.console-header .header-row')
        .first()
        .evaluate((el) => Math.round(el.getBoundingClientRect().height));
    const rowsWithoutError = new Map<string, number>();
    for (const look of LOOKS.filter((l) => l.width === 1366)) {
      await useLook(look);
      rowsWithoutError.set(name(look), await titleRow());
    }
    const hubDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-layout-hub-'));
    const hub = await startHub({ args: ['--db', path.join(hubDir, 'hub.sqlite')], env: {} });
    try {
      await call('sync.configure', { hubUrl: hub.url, token: 'not-a-token-of-this-hub', enabled: true });
      for (const look of LOOKS.filter((l) => l.width === 1366)) {
        await useLook(look);
        await eventually(() => page.getByTestId('sync-indicator').getAttribute('data-state'), 20_000).toBe('error');
        // The reason in the UI's language: the engine gives a code, not an English sentence to show.
        // Eventually: the engine retries, and says "Syncing…" for a moment between two refusals.
        // (What a screen reader reads: the whole sentence, however little of it the header shows.)
        await eventually(() => page.getByTestId('sync-indicator').innerText()).toMatch(
          look.language === 'fr'
            ? /^Erreur de synchro\s*: Le hub a refusé le jeton d’équipe \(401\)/
            : /^Sync error\s*: The hub refused the team token \(401\)/,
        );
        // The state's words show whole (French large type showed "Erreur de synchronis…"); only the reason after them may be cut.
        // Read in one go from the button, eventually: a retry's "Syncing…" redraws the words between two reads.
        const stateWord = () =>
          page.getByTestId('sync-indicator').evaluate((button) => {
            const el = button.querySelector<HTMLElement>('.sync-state-word');
            if (!el) return null;
            const box = el.getBoundingClientRect();
            const frame = button.getBoundingClientRect();
            const whole =
              el.scrollWidth <= el.clientWidth && box.width > 0 && box.left >= frame.left && box.right <= frame.right && frame.right <= window.innerWidth;
            return { words: el.innerText, whole };
          });
        await eventually(stateWord).toEqual({ words: look.language === 'fr' ? 'Erreur de synchro' : 'Sync error', whole: true });
        await expectNoHorizontalOverflow(`header with a sync error ${name(look)}`);
        // Said in words anyone can read, on the light header as on the dark one.
        await expectAccessible(`header with a sync error ${name(look)}`, '.console-header');
        expect(await page.locator('.incident-title').evaluate((el) => el.getBoundingClientRect().width), name(look)).toBeGreaterThan(100);
        // Each of the header's buttons (help ? included) whole inside the window.
        const cut = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.console-header button')]
            .filter((b) => b.getClientRects().length > 0)
            .filter((b) => {
              const box = b.getBoundingClientRect();
              return box.left < 0 || box.right > window.innerWidth || box.top < 0 || box.width < 8;
            })
            .map((b) => b.getAttribute('aria-label') ?? b.textContent),
        );
        expect(cut, name(look)).toEqual([]);
        // The sentence is cut, not the header: title, badges and actions stay on one line, as with sync off
        // (a long error in large type made the sync block as wide as its whole sentence: title, actions and ? on three lines).
        expect(await titleRow(), `${name(look)}: the title's row with a sync error`).toBeLessThanOrEqual(rowsWithoutError.get(name(look))!);
        await shot(`header-sync-error-${name(look)}`);
      }
    } finally {
      await call('sync.configure', { hubUrl: '', enabled: false });
      await hub.stop();
      rmSync(hubDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('every sync state shows its words whole in the header at 1366×768, offline with its time, in both type sizes and languages', async () => {
    // French large type cut "Hors ligne depuis 17:05 — …" to "Hors ligne depu…" and worse: the state's
    // words ("Hors ligne", "À jour") show whole, offline with its time, the rest of the sentence after them may be cut.
    const hub = await startTestHub();
    const states = [
      { state: 'disabled', configure: { hubUrl: '', enabled: false }, words: { en: 'Sync off', fr: 'Synchro désactivée' } },
      { state: 'offline', configure: { hubUrl: 'http://127.0.0.1:9', token: 'wrh_nobody_listens', enabled: true }, words: { en: 'Offline', fr: 'Hors ligne' } },
      { state: 'up_to_date', configure: { hubUrl: hub.url, token: hub.token, enabled: true }, words: { en: 'Up to date', fr: 'À jour' } },
    ] as const;
    try {
      for (const { state, configure, words } of states) {
        await call('sync.configure', configure);
        for (const look of LOOKS.filter((l) => l.width === 1366)) {
          await useLook(look);
          const indicator = page.getByTestId('sync-indicator');
          await eventually(() => indicator.getAttribute('data-state'), 20_000).toBe(state);
          // The state's own words, or the whole text when it is no more than them (sync off).
          const shown = () =>
            indicator.evaluate((button) => {
              const words = button.querySelector<HTMLElement>('.sync-state-word') ?? button.querySelector<HTMLElement>('.sync-text')!;
              const box = words.getBoundingClientRect();
              const frame = button.getBoundingClientRect();
              const whole =
                words.scrollWidth <= words.clientWidth &&
                box.width > 0 &&
                box.left >= frame.left &&
                box.right <= frame.right &&
                frame.right <= window.innerWidth;
              return { words: words.innerText, whole };
            });
          await eventually(shown).toEqual({ words: words[look.language], whole: true });
          // What a screen reader reads, the tooltip: the whole sentence, starting with those words.
          expect(await indicator.locator('.sync-text').textContent(), name(look)).toMatch(new RegExp(`^${words[look.language]}`));
          if (state === 'offline') {
            // And the time it has been offline since, whole beside them (French large type showed "Hors ligne depuis 18:…"):
            // inside what the state's text shows, the button and the window.
            const since = () =>
              indicator.evaluate((button) => {
                const el = button.querySelector<HTMLElement>('.sync-state-time');
                if (!el) return null;
                const box = el.getBoundingClientRect();
                const shownText = button.querySelector<HTMLElement>('.sync-shown')!.getBoundingClientRect();
                const frame = button.getBoundingClientRect();
                const whole =
                  box.width > 0 &&
                  box.left >= shownText.left &&
                  box.right <= shownText.right + 0.5 &&
                  box.right <= frame.right &&
                  frame.right <= window.innerWidth;
                return { time: el.textContent, whole };
              });
            // The time of today (the day alone before today, should the test cross midnight).
            const time = look.language === 'fr' ? /^ dès (\d\d:\d\d|\d+ \S+)$/ : /^ since (\d\d:\d\d|\d+ \S+)$/;
            await eventually(since).toEqual({ time: expect.stringMatching(time), whole: true });
            // The header says it short; what a screen reader reads and the tooltip say the whole sentence.
            const sentence = look.language === 'fr' ? /^Hors ligne depuis \S.* — \d+ entrées? en attente/ : /^Offline since \S.* — \d+ entr(y|ies) waiting/;
            expect(await indicator.locator('.sync-text').textContent(), name(look)).toMatch(sentence);
            expect(await indicator.getAttribute('title'), name(look)).toMatch(sentence);
          }
          await expectNoHorizontalOverflow(`header, sync ${state}, ${name(look)}`);
          await shot(`header-sync-${state}-${name(look)}`);
        }
      }
    } finally {
      await call('sync.configure', { hubUrl: '', enabled: false });
      await hub.stop();
    }
  }, 180_000);

  it('focus mode enlarges the pane being worked in by keyboard, and z gives the kept sizes back', async () => {
    await useLook(LOOKS[0]!);
    const width = (selector: string) => page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().width));
    const height = (selector: string) => page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().height));
    const before = { timeline: await width('.timeline-pane'), tasks: await height('.tasks-pane') };
    await page.keyboard.press('t');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-task-title');
    await page.keyboard.press('Escape');
    // Esc left the field; the focus stays in the task pane, so z enlarges that pane.
    await page.keyboard.press('z');
    // From about 62 % of the side column to about 82 % (less when an open call-out leaves the panes less room).
    await eventually(() => height('.tasks-pane')).toBeGreaterThan(before.tasks * 1.2);
    expect(await width('.timeline-pane')).toBeLessThan(before.timeline);
    await page.getByRole('status').filter({ hasText: 'Focus mode' }).waitFor();
    await shot('focus-tasks-1366x768');
    await page.keyboard.press('z');
    await eventually(() => height('.tasks-pane')).toBe(before.tasks);
    expect(await width('.timeline-pane')).toBe(before.timeline);

    // A size set with the keyboard on a separator is kept across a reload.
    await page.getByRole('separator', { name: /Resize the timeline/ }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const widened = await width('.timeline-pane');
    expect(widened).toBeGreaterThan(before.timeline + 20);
    await page.reload();
    await page.locator('.timeline-pane').waitFor();
    await eventually(() => width('.timeline-pane')).toBe(widened);
  });

  it('the review: no axe violation, no sideways scroll, in every look of the design, each tab at the laptop size', async () => {
    // The drill resolved, with a review under way: moments to present, a comment, a why, a factor and a lesson.
    await useLook(LOOKS[0]!);
    const window_ = (await call('timeline.query', { incidentId, offset: 0, limit: 200 })) as unknown as { rows: { event: { id: string } }[] };
    const ids = window_.rows.map((row) => row.event.id);
    await call('incident.setStatus', { incidentId, status: 'resolved' });
    await call('review.setMoment', { incidentId, targetId: ids[0], moment: 'detection' });
    await call('review.setMoment', { incidentId, targetId: ids[5], moment: 'diagnosis' });
    await call('review.comment', { incidentId, targetId: ids[5], text: 'The health checks were trusted for half an hour' });
    await call('review.saveWhy', { incidentId, why: 'Why did the pool go dark?', because: 'Every node failed its health check', cites: [ids[5]] });
    await call('review.saveFactor', { incidentId, category: 'technology', text: 'One health check for every node', cites: [] });
    await call('review.saveNote', { incidentId, section: 'lesson', text: 'Test a health check before trusting it', cites: [ids[5]] });
    await page.locator('body').focus();
    await page.keyboard.press('Shift+R');
    await page.locator('.review-mode').waitFor();
    for (const look of LOOKS) {
      // The open review is kept across the reload that changes the look.
      await useLook(look);
      await page.locator('.review-mode').waitFor();
      await eventually(() => page.locator('.review-row').count()).toBeGreaterThan(3);
      // Every tab where crowding happens (the laptop, in its four looks); the metrics and their chart everywhere.
      for (const key of look.width === 1366 ? ['metrics', 'rootCause', 'actions'] : ['metrics']) {
        await page.locator(`#review-tab-${key}`).click();
        await eventually(() => page.locator(`#review-tab-${key}`).getAttribute('aria-selected')).toBe('true');
        await expectAccessible(`review ${key} ${name(look)}`);
        await expectNoHorizontalOverflow(`review ${key} ${name(look)}`);
        if (look.type === 'normal') expect(await readabilityProblems(), `review ${key} ${name(look)}: text under 12 px or unnamed buttons`).toEqual([]);
        await shot(`review-${key}-${name(look)}`);
      }
    }
  }, 300_000);

  it('the presenter and the replay of the review meeting: no axe violation, no sideways scroll, in every look of the design', async () => {
    for (const look of LOOKS) {
      await useLook(look);
      await page.locator('.review-mode').waitFor();
      // The meeting's two screens, each a modal dialog over the review: checked alone, as the dialogs are.
      for (const overlay of [
        { key: 'presenter', open: 'P', ready: '.presenter-moment' },
        { key: 'replay', open: 'L', ready: '.replay-entry, [data-testid="replay-progress"]' },
      ]) {
        await page.locator('body').focus();
        await page.keyboard.press(overlay.open);
        const open = page.locator('[aria-modal="true"]');
        await open.waitFor();
        await page.locator(overlay.ready).first().waitFor();
        await expectAccessible(`${overlay.key} ${name(look)}`, '[aria-modal="true"]');
        await expectNoHorizontalOverflow(`${overlay.key} ${name(look)}`);
        if (look.type === 'normal')
          expect(await readabilityProblems('[aria-modal="true"]'), `${overlay.key} ${name(look)}: text under 12 px or unnamed buttons`).toEqual([]);
        await shot(`${overlay.key}-${name(look)}`);
        await page.keyboard.press('Escape');
        await open.waitFor({ state: 'detached' });
      }
    }
  }, 300_000);
});
