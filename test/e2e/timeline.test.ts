import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callFromPage,
  CHROMIUM,
  CHROMIUM_ARGS,
  ENTRY,
  eventually,
  holdAnswer,
  kill,
  SCREENSHOTS,
  seedIncident,
  startConsole,
  type Running,
} from './harness.js';

/**
 * The timeline as a scribe meets it, by keyboard only: every slash command of the quick-entry
 * bar, an occurred-at corrected with "-27m" (the entry moves), a text correction and its
 * history, a redaction, stars, filters by starred, kind, author and words, and jump to now.
 * The built app runs in browser mode on a real SQLite file, seeded beforehand with entries
 * by two people, and Debian's Chromium drives it.
 */

const MIN = 60_000;
const HOSTILE = '<img src=x onerror=alert(1)>';

const SEED = {
  errorRate: 'Checkout error rate at 60%',
  cpu: 'DB primary at 100% CPU',
  cache: `Cache stampede after the deploy ${HOSTILE}`,
  restart: 'Restarted the payment pods',
  calls: 'Customer calls: cards declined',
  dba: 'Waiting on the DBA',
};

/** An incident with entries by Ana and Bruno, written through the core as a second laptop's sync would bring them. */
function seed(dataDir: string): void {
  seedIncident(dataDir, [
    { actor: 'Ana', entryKind: 'note', text: SEED.errorRate, minutesAgo: 25 },
    { actor: 'Ana', entryKind: 'finding', text: SEED.cpu, minutesAgo: 20 },
    { actor: 'Bruno', entryKind: 'hypothesis', text: SEED.cache, minutesAgo: 15 },
    { actor: 'Bruno', entryKind: 'action', text: SEED.restart, minutesAgo: 12 },
    { actor: 'Bruno', entryKind: 'external', text: SEED.calls, minutesAgo: 10 },
    { actor: 'Ana', entryKind: 'note', text: SEED.dba, minutesAgo: 8 },
  ]);
}

const rowTexts = (page: Page) => page.locator('.timeline-row .entry-text:not(.entry-detail)').allTextContents();
const row = (page: Page, text: string) => page.locator('.timeline-row', { has: page.locator('.entry-text', { hasText: text }) });
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      index: el?.dataset['index'] ?? null,
      text: el?.textContent ?? '',
      draft: el?.closest<HTMLElement>('[data-draft-id]')?.textContent ?? null,
    };
  });
const count = (page: Page) => page.getByTestId('timeline-count').textContent();

describe('the timeline in Chromium (browser mode), by keyboard', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const pageProblems: string[] = [];

  /** Type into the quick-entry bar (n puts the cursor there from anywhere) and press Enter. */
  const quick = async (text: string) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };

  const newestCount = async () => Number((await count(page))!.match(/^(\d+)/)![1]);

  /** From the newest entry (j), up with the arrow keys until the entry saying `text` has the focus. */
  const focusEntry = async (text: string) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    // The walk starts from the newest entry, not from where the focus was before j.
    await eventually(async () => (await focused(page)).index).toBe(String((await newestCount()) - 1));
    for (let i = 0; i < 60 && !(await focused(page)).text.includes(text); i++) {
      const from = (await focused(page)).index;
      await page.keyboard.press('ArrowUp');
      // The focus follows the key one render later: read it before it moved and a loaded machine stops one row early,
      // and the next key acts on the row above (CI on 03d2bc7 starred the wrong entry).
      await eventually(async () => (await focused(page)).index).not.toBe(from);
    }
    expect((await focused(page)).text).toContain(text);
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-timeline-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    seed(dataDir);
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.dismiss());
    page.on('pageerror', (error) => pageProblems.push(error.message));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) pageProblems.push(message.text());
    });
    await page.goto(running.url);
    await row(page, SEED.dba).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows each kind with its own icon and colour, the seeded entries in occurred-at order', async () => {
    expect(await rowTexts(page)).toEqual([expect.stringContaining('Card payments failing'), ...Object.values(SEED)]);
    const badges = await page.locator('.timeline-row .entry').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset['badge']));
    expect(badges).toEqual(['declared', 'note', 'finding', 'hypothesis', 'action', 'external', 'note']);
    const colours = await page
      .locator('.timeline-row .entry')
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).borderLeftColor + getComputedStyle(el.querySelector('.kind-icon')!).stroke));
    // Note twice, then five different kinds: six different colours.
    expect(new Set(colours).size).toBe(6);
    expect(await count(page)).toBe('7 entries');
  });

  it('offers the commands on "/", completes with Tab, and logs a decision', async () => {
    await page.keyboard.press('n');
    await page.keyboard.type('/');
    await eventually(() => page.locator('#quick-suggestions [role="option"]').count()).toBe(13);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-commands-1366x768.png') });
    await page.keyboard.type('dec');
    expect(await page.locator('#quick-suggestions [role="option"]').allTextContents()).toEqual([expect.stringMatching(/^\/decision text/)]);
    await page.keyboard.press('Tab');
    expect(await page.locator('#quick-entry').inputValue()).toBe('/decision ');
    await page.keyboard.type('Roll back to v41');
    expect(await page.getByTestId('quick-badge').textContent()).toBe('Decision');
    await page.keyboard.press('Enter');
    await eventually(() => row(page, 'Roll back to v41').locator('.entry').getAttribute('data-badge')).toBe('decision');
    await eventually(() => page.locator('#quick-entry').inputValue()).toBe('');
  });

  it('logs every kind of entry by its command', async () => {
    const logged: [string, string][] = [
      ['/note Bridge opened on 0800 123', 'note'],
      ['/action Failed over to DC2', 'action'],
      ['/finding Ledger is consistent', 'finding'],
      ['/hypothesis Expired TLS certificate', 'hypothesis'],
      ['/alert Monitoring: 5xx above 50%', 'external'],
    ];
    for (const [input, badge] of logged) {
      await quick(input);
      const text = input.slice(input.indexOf(' ') + 1);
      await eventually(() => row(page, text).locator('.entry').getAttribute('data-badge')).toBe(badge);
    }
  });

  it('runs the action commands: task with owner and check-back, status, priority, role, SLA pause and resume', async () => {
    await quick('/task Check the ledger @Bo 5m');
    const card = page.locator('.task-card', { hasText: 'Check the ledger' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Bo');
    await eventually(() => rowTexts(page)).toContain('Task created: “Check the ledger” — owner Bo');

    await quick('/status mitigated');
    await eventually(() => page.locator('#status-select').inputValue()).toBe('mitigated');
    // P3: its response target (4 h) is far off, so no breach entry lands mid-test (P2's 30 min ran out during the star filters under load: the seeded incident is 30 min old).
    await quick('/priority medium medium');
    await eventually(() => page.locator('.console-header .priority-badge').first().textContent()).toBe('P3');
    await quick('/role scribe Dana');
    await eventually(() => rowTexts(page)).toContain('Dana is now scribe');
    await quick('/pause waiting on the supplier');
    await eventually(() => rowTexts(page)).toContain('SLA clocks paused: waiting on the supplier');
    await quick('/resume');
    await eventually(() => rowTexts(page)).toContain('SLA clocks resumed');
  });

  it('/update opens a draft for the audience, and the same draft the second time', async () => {
    await quick('/update customers');
    const draft = page.locator('[data-draft-id]', { hasText: 'Customers' });
    await draft.waitFor();
    await eventually(async () => (await focused(page)).draft).toContain('Customers');
    const id = await draft.getAttribute('data-draft-id');
    await quick('/update clients');
    await eventually(async () => (await focused(page)).draft).toContain('Customers');
    expect(await page.locator('[data-draft-id]', { hasText: 'Customers' }).count()).toBe(1);
    expect(await draft.getAttribute('data-draft-id')).toBe(id);
  });

  it('refuses an unknown command or a bad value inline, keeping the text', async () => {
    await quick('/deploy v42');
    await eventually(() => page.locator('#quick-entry-error').textContent()).toMatch(/^Unknown command \/deploy\./);
    expect(await page.locator('#quick-entry').inputValue()).toBe('/deploy v42');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('/priority high urgent');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#quick-entry-error').textContent()).toMatch(/“urgent” is not a level/);
    expect(await page.locator('#quick-entry').inputValue()).toBe('/priority high urgent');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
  });

  it('corrects an occurred-at with "-27m": the entry moves to its new place, marked edited, and keeps the focus', async () => {
    await focusEntry(SEED.dba);
    expect(await row(page, SEED.dba).getAttribute('data-index')).toBe('6');
    await page.keyboard.press('e');
    await page.keyboard.press('Tab');
    await page.keyboard.type('-27m');
    expect(await page.getByTestId('when-preview').textContent()).toMatch(/^Will read \d\d:\d\d:\d\d$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-correct-1366x768.png') });
    await page.keyboard.press('Enter');
    // Declared 30 minutes ago, the first note 25 minutes ago: the entry now sits between them.
    await eventually(() => row(page, SEED.dba).getAttribute('data-index')).toBe('1');
    await eventually(async () => (await focused(page)).text).toContain(SEED.dba);
    expect(await row(page, SEED.dba).locator('.entry-edited').textContent()).toBe('edited');
  });

  it('corrects the text, and Enter shows every version with who and when', async () => {
    await page.keyboard.press('e');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Waiting on the DBA (Priya paged)');
    await page.keyboard.press('Enter');
    await eventually(() => rowTexts(page)).toContain('Waiting on the DBA (Priya paged)');
    expect(await rowTexts(page)).not.toContain(SEED.dba);

    await eventually(async () => (await focused(page)).text).toContain('Priya paged');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'History of this entry' });
    await dialog.waitFor();
    await eventually(() => dialog.locator('li').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset['change']))).toEqual([
      'original',
      'corrected',
      'corrected',
    ]);
    const items = (await dialog.locator('li').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    expect(items[0]).toMatch(/^Recorded by Ana at \d\d:\d\d:\d\d Waiting on the DBA Occurred at \d\d:\d\d:\d\d$/);
    expect(items[1]).toMatch(/^Corrected by Ana at \d\d:\d\d:\d\d Occurred at \d\d:\d\d:\d\d$/);
    expect(items[2]).toMatch(/^Corrected by Ana at \d\d:\d\d:\d\d Waiting on the DBA \(Priya paged\)$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-history-1366x768.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => (await focused(page)).text).toContain('Priya paged');
  });

  it('redacts with a reason: the text is gone from the page, the entry and who hid it stay', async () => {
    await page.keyboard.press('ArrowDown');
    await eventually(async () => (await focused(page)).text).toContain(SEED.errorRate);
    await page.keyboard.press('x');
    await page.keyboard.type('Pasted a customer card number');
    await page.keyboard.press('Enter');
    await eventually(() => row(page, 'Redacted by Ana').count()).toBe(1);
    expect(await row(page, 'Redacted by Ana').locator('.entry-text').first().textContent()).toBe('Redacted by Ana: Pasted a customer card number');
    expect(await row(page, 'Redacted by Ana').textContent()).toContain('The original text stays in the record');
    expect(await page.content()).not.toContain(SEED.errorRate);

    // A system entry is not corrected in place: the bar says why.
    await page.keyboard.press('Home');
    await page.keyboard.press('e');
    await eventually(() => page.getByRole('alert').allTextContents()).toContainEqual(expect.stringMatching(/^Only typed entries/));
  });

  it('stars entries, and filters by starred, kind, author and words', async () => {
    await focusEntry('Roll back to v41');
    await page.keyboard.press('*');
    await eventually(() => row(page, 'Roll back to v41').locator('.entry-star').count()).toBe(1);
    await focusEntry('Cache stampede');
    await page.keyboard.press('*');
    await eventually(() => row(page, 'Cache stampede').locator('.entry-star').count()).toBe(1);
    const all = await count(page);

    // "/" puts the cursor in the filter; Tab walks Kinds, Author, Starred.
    await page.keyboard.press('/');
    expect((await focused(page)).id).toBe('timeline-filter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await eventually(() => rowTexts(page)).toEqual([SEED.cache, 'Roll back to v41']);
    expect(await count(page)).toBe(`2 of ${all}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-starred-1366x768.png') });
    await page.keyboard.press('Space');
    await eventually(() => count(page)).toBe(all);

    // Kinds: open the list, tick Decision and Hypothesis.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await eventually(() => rowTexts(page)).toEqual(['Roll back to v41']);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await eventually(() => rowTexts(page)).toEqual([SEED.cache, 'Roll back to v41', 'Expired TLS certificate']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-kinds-1366x768.png') });
    // Esc closes the list; Tab to Author, Starred, then Clear.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await eventually(() => count(page)).toBe(all);

    // Author: Bruno wrote three entries.
    await page.keyboard.press('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await eventually(() => page.locator('#timeline-author').inputValue()).toBe('Bruno');
    await eventually(() => rowTexts(page)).toEqual([SEED.cache, SEED.restart, SEED.calls]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await eventually(() => count(page)).toBe(all);

    // Words, without case: the first Esc clears them, the next leaves the field.
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.type('LEDGER');
    await eventually(() => rowTexts(page)).toEqual(['Ledger is consistent', 'Task created: “Check the ledger” — owner Bo']);
    await page.keyboard.press('Escape');
    await eventually(() => count(page)).toBe(all);
    await page.keyboard.press('Escape');
    expect((await focused(page)).id).toBe('');
  });

  it('a late answer or change notice never takes the keyboard back from where it went', async () => {
    const incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident'));
    const logElsewhere = async (text: string) => {
      const before = await count(page);
      await callFromPage(page, 'timeline.log', { incidentId, entryKind: 'note', text });
      // The count is drawn by the same pane, so the list has rendered the notice once it reads anew.
      await eventually(() => count(page)).not.toBe(before);
    };
    // Home on the entry that already has the focus, then "/": the row still waited to take the
    // focus, and the render a change notice made (an entry logged elsewhere) put it back on the row.
    await focusEntry('Roll back to v41');
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).index).toBe('0');
    await page.keyboard.press('Home');
    await page.keyboard.press('/');
    expect((await focused(page)).id).toBe('timeline-filter');
    await logElsewhere('Bridge laptop: status page updated');
    expect((await focused(page)).id).toBe('timeline-filter');

    // "j" answered late, as on a loaded machine, after the arrows moved on and "/" left the list:
    // its answer neither moves the active entry nor takes the focus.
    await page.keyboard.press('Escape');
    await focusEntry('Roll back to v41');
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).index).toBe('0');
    const newest = await newestCount();
    const answer = await holdAnswer(page, 'timeline.query');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    // The newest rows were held already: j took the focus at once, and the arrows moved up from there.
    await eventually(async () => (await focused(page)).index).toBe(String(newest - 3));
    await page.keyboard.press('/');
    expect((await focused(page)).id).toBe('timeline-filter');
    await answer();
    // A notice after the answer: by the time the pane has drawn it, it has drawn the answer too.
    await logElsewhere('Bridge laptop: second status page update');
    expect((await focused(page)).id).toBe('timeline-filter');
    expect(await page.locator('.timeline-row.active').getAttribute('data-index')).toBe(String(newest - 3));
    // Back to following the newest entries, as the next test expects.
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page)).text).toContain('second status page update');
  });

  it('folds a 10,000-character entry to its first lines; "Show more" opens it by keyboard and keeps the focus, "Show less" folds it back', async () => {
    const text = `Pasted log: ${'connection reset by peer on 10.2.3.4:443 after 30 s; '.repeat(200)}`.slice(0, 10_000);
    await page.evaluate(async (text) => {
      const incidentId = localStorage.getItem('warroom.incident');
      const response = await fetch('/api/call/timeline.log', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ incidentId, entryKind: 'note', text }),
      });
      if (!response.ok) throw new Error(await response.text());
    }, text);
    const entry = row(page, 'Pasted log:');
    await entry.waitFor();
    const pane = (await page.locator('.timeline-scroll').boundingBox())!;
    const folded = (await entry.boundingBox())!;
    expect(folded.height).toBeLessThan(pane.height / 2);
    const toggle = entry.locator('.show-more');
    expect(await toggle.textContent()).toBe('Show more (10000 characters)');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-long-folded-1366x768.png') });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await toggle.textContent()).toBe('Show less');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await entry.boundingBox())!.height).toBeGreaterThan(folded.height * 2);
    await page.keyboard.press('Enter');
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('false');
    expect((await entry.boundingBox())!.height).toBeLessThan(pane.height / 2);
    // Leave nothing focused for the next test, which starts from the page (j goes to the newest entry).
    await toggle.evaluate((el) => (el as HTMLElement).blur());
  });

  it('jumps to now from the oldest entry', async () => {
    await focusEntry('Roll back to v41');
    await page.keyboard.press('Home');
    await eventually(async () => (await focused(page)).index).toBe('0');
    const newest = (await page.getByTestId('timeline-count').textContent())!.match(/^(\d+)/)![1]!;
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page)).index).toBe(String(Number(newest) - 1));
    const box = await page.locator(`.timeline-row[data-index="${Number(newest) - 1}"]`).boundingBox();
    const pane = await page.locator('.timeline-scroll').boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(pane!.y + pane!.height + 1);
  });

  it('j then ↑ typed before the newest rows are read (a loaded machine): the entry above the newest has the focus, and stays', async () => {
    await focusEntry(SEED.cpu);
    const newest = await newestCount();
    // The core answers reads late, as on a loaded laptop; the keys are typed without waiting.
    const answer = await holdAnswer(page, 'timeline.query', { request: true });
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowUp');
    await eventually(async () => (await focused(page)).index).toBe(String(newest - 2));
    await answer();
    // The late answer is applied a few frames after it arrives: it must not take the focus back to the newest entry.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)))));
    expect((await focused(page)).index).toBe(String(newest - 2));
    expect(await page.locator('.timeline-row.active').getAttribute('data-index')).toBe(String(newest - 2));
  });

  it('an entry dated earlier arriving above the focused one: the focus ring moves with the entry, not the slot', async () => {
    await focusEntry(SEED.restart);
    const before = Number(await row(page, SEED.restart).getAttribute('data-index'));
    // Logged elsewhere (another laptop, a teammate) with an earlier occurred-at: it lands above.
    const incidentId = await page.evaluate(() => localStorage.getItem('warroom.incident') ?? '');
    await callFromPage(page, 'timeline.log', { incidentId, entryKind: 'note', text: 'Payments team paged (logged late)', occurredAt: Date.now() - 24 * MIN });
    await eventually(() => row(page, SEED.restart).getAttribute('data-index')).toBe(String(before + 1));
    // The focus and the active mark are on the same entry, the one the person was on.
    await eventually(async () => (await focused(page)).text).toContain(SEED.restart);
    expect(await page.locator('.timeline-row.active .entry-text').first().textContent()).toContain(SEED.restart);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('active'))).toBe(true);
    // And the row keys act on it: Enter opens the history of the entry focused.
    await page.keyboard.press('Enter');
    const history = page.getByRole('dialog');
    await history.waitFor();
    // The dialog opens at once and its versions follow from the core: under load they can take a while.
    await eventually(() => history.textContent()).toContain(SEED.restart);
    await page.keyboard.press('Escape');
    await history.waitFor({ state: 'detached' });
    await eventually(async () => (await focused(page)).text).toContain(SEED.restart);
  });

  it('keeps screenshots at 1366×768 and 1920×1080, and the page ran clean', async () => {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-1920x1080.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('/');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-commands-1920x1080.png') });
    await page.keyboard.press('Escape');
    await focusEntry('Roll back to v41');
    await page.keyboard.press('e');
    await page.keyboard.press('Tab');
    await page.keyboard.type('14:32');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-correct-1920x1080.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'History of this entry' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'timeline-history-1920x1080.png') });
    await page.keyboard.press('Escape');
    expect(pageProblems).toEqual([]);
  });
});
