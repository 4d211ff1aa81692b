import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, format } from 'date-fns';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * A facilitator runs the post-incident review of the sample drill, in the built app in
 * browser mode (real core, real SQLite file, real loopback server) driven through Debian's
 * Chromium — by keyboard wherever the console offers a key.
 */

/** The API from inside the page (same origin, so the session cookie goes along), as a second laptop or a script would. */
async function apiCall<T>(page: Page, channel: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([name, body]) => {
      const response = await fetch(`/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json: unknown = await response.json();
      if (!response.ok) throw new Error(JSON.stringify(json));
      return json;
    },
    [channel, input] as const,
  ) as Promise<T>;
}

const focusedText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('.review-row')?.textContent ?? '');

/** Move down the curated timeline with j until the focused row says `text` (or fail after every row). */
async function focusRow(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const current = await focusedText(page);
    if (current.includes(text)) return;
    await page.keyboard.press('j');
    await expect.poll(() => focusedText(page), { timeout: 2_000, interval: 20 }).not.toBe(current);
  }
  throw new Error(`no row saying "${text}" reached with j`);
}

/** The curated timeline renders only the rows on screen: scroll it until the row saying `text` is there. */
async function findRow(page: Page, text: string) {
  const scroller = page.locator('.review-scroll');
  await scroller.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 40; i++) {
    const found = page.locator('.review-row', { hasText: text });
    if ((await found.count()) > 0) return found;
    await scroller.evaluate((el) => (el.scrollTop += 250));
    await page.waitForTimeout(50);
  }
  throw new Error(`no row saying "${text}" in the curated timeline`);
}

describe('the post-incident review in Chromium (browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  let incidentId: string;
  /** How many entries the live timeline shows before the review starts. */
  let liveCount = 0;
  const pageProblems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const row = (text: string) => page.locator('.review-row', { hasText: text });

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-review-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(error.message));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) pageProblems.push(message.text());
    });
    // The replay runs on the page's clock: installed now, it flows normally until the test fast-forwards it.
    await page.clock.install();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the review while the incident is open, and opens it by keyboard once resolved', async () => {
    await page.goto(running.url);
    await page.getByRole('button', { name: 'Open a sample drill incident' }).click();
    await page.locator('.incident-title').waitFor();
    const review = page.getByRole('button', { name: 'Review', exact: true });
    const count = page.locator('.timeline-pane .pane-head .muted').first();
    await eventually(async () => Number((await count.textContent())?.replace(/\D/g, ''))).toBeGreaterThan(20);
    liveCount = Number((await count.textContent())!.replace(/\D/g, ''));
    // The drill ends mitigated: no review yet, and the button says why.
    expect(await review.isDisabled()).toBe(true);
    expect(await review.getAttribute('title')).toBe('The review opens once the incident is resolved (it is Mitigated).');

    incidentId = (await apiCall<{ id: string }[]>(page, 'incidents.list', {}))[0]!.id;
    await apiCall(page, 'incident.setStatus', { incidentId, status: 'resolved' });
    await eventually(() => review.isDisabled()).toBe(false);

    await page.keyboard.press('Shift+R');
    await page.getByRole('heading', { name: 'Post-incident review' }).waitFor();
    await eventually(() => page.locator('.review-row').count()).toBeGreaterThan(10);
  });

  it('curates the timeline: hides noise, marks story moments, comments, and rules on the hypothesis', async () => {
    // g takes the keyboard to the curated timeline, on its first entry.
    await page.keyboard.press('g');
    await eventually(() => focusedText(page)).toContain('Incident declared');
    await page.keyboard.press('m');
    await eventually(() => row('Incident declared').locator('.moment-chip').textContent()).toBe('Detection');

    await focusRow(page, 'Bridge opened');
    await page.keyboard.press('h');
    await eventually(() => page.getByTestId('review-count').textContent()).toMatch(/, 1 hidden$/);
    await eventually(() => row('Bridge opened').count()).toBe(0);
    // Hidden, not deleted: it is still there on request.
    await page.keyboard.press('a');
    await eventually(() => row('Bridge opened').locator('.hidden-chip').count()).toBe(1);
    await page.keyboard.press('a');

    await page.locator('.review-row').first().focus();
    await focusRow(page, 'load balancer health checks');
    await page.keyboard.press('y');
    await page.keyboard.press('m');
    await page.keyboard.press('m');
    const hypothesis = row('load balancer health checks');
    await eventually(() => hypothesis.locator('.verdict-chip').textContent()).toBe('Confirmed');
    await eventually(() => hypothesis.locator('.moment-chip').textContent()).toBe('Diagnosis');
    await page.keyboard.press('c');
    await page.keyboard.type('Right from the start, and nobody tested it for 30 minutes');
    await page.keyboard.press('Enter');
    await eventually(() => hypothesis.locator('.review-comment').textContent()).toContain('nobody tested it for 30 minutes');

    await focusRow(page, 'DC1 pool drained');
    for (let i = 0; i < 3; i++) await page.keyboard.press('m');
    await eventually(() => row('DC1 pool drained').locator('.moment-chip').textContent()).toBe('Repair');
    // Picked: the next why will cite it.
    await page.keyboard.press(' ');
    await eventually(() => row('DC1 pool drained').locator('.picked-chip').count()).toBe(1);

    await focusRow(page, 'Status changed to Mitigated');
    for (let i = 0; i < 4; i++) await page.keyboard.press('m');
    await eventually(() => row('Status changed to Mitigated').locator('.moment-chip').textContent()).toBe('Key moment');
  });

  it('shows the metrics, each linked to its entries, and the phase chart', async () => {
    const card = (name: string) => page.locator(`[data-metric="${name}"]`);
    await eventually(() => card('timeToDetect').locator('.metric-value').textContent()).toBe('00:02:00');
    expect(await card('timeToRespond').locator('.metric-value').textContent()).toBe('00:03:00');
    expect(await card('timeToMitigate').locator('.metric-value').textContent()).toBe('00:35:00');
    expect(await card('timeToResolve').locator('.metric-value').textContent()).toMatch(/^00:5\d:\d\d$/);
    expect(await card('slaResponse').getAttribute('data-outcome')).toBe('met');
    expect(await card('slaResponse').locator('.metric-value').textContent()).toBe('Met, 00:12:00 to spare');

    // The figure finds its two entries: the first comes into view, both are marked.
    await card('timeToMitigate').click();
    await eventually(() => row('Incident declared').getAttribute('class')).toContain('is-highlighted');
    expect(await (await findRow(page, 'Status changed to Mitigated')).getAttribute('class')).toContain('is-highlighted');
    expect(await (await findRow(page, 'Status changed to Investigating')).getAttribute('class')).not.toContain('is-highlighted');

    const chart = page.getByTestId('phase-chart');
    for (const milestone of ['occurred', 'detected', 'declared', 'responded', 'mitigated', 'resolved']) {
      expect(await chart.locator(`[data-milestone="${milestone}"]`).count(), milestone).toBe(1);
    }
    expect(await chart.locator('[data-milestone="closed"]').count()).toBe(0);
    expect(await chart.locator('[data-deadline="response"]').textContent()).toMatch(/^Response due \d\d:\d\d$/);
    expect(await chart.locator('[data-deadline="resolution"]').textContent()).toMatch(/Resolution due \d\d:\d\d/);
    expect(await chart.locator('[data-audience="customers"] .chart-tick').count()).toBe(1);
    expect(await chart.locator('[data-audience="executives"] .chart-tick').count()).toBe(0);
    // Customers waited 14 minutes for a first word they were promised within 5: drawn late.
    expect(await chart.locator('[data-audience="customers"] .chart-late').count()).toBeGreaterThan(0);
    // Labels never print over each other, and all of them stay inside the chart.
    const labels = await chart.locator('.chart-milestone text, [data-deadline] text, text[data-deadline]').evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return { text: el.textContent ?? '', left: box.left, right: box.right, top: box.top, bottom: box.bottom };
      }),
    );
    const frame = (await chart.boundingBox())!;
    expect(labels.length).toBeGreaterThanOrEqual(8);
    for (const [i, a] of labels.entries()) {
      expect(a.left, a.text).toBeGreaterThanOrEqual(frame.x - 1);
      expect(a.right, a.text).toBeLessThanOrEqual(frame.x + frame.width + 1);
      for (const b of labels.slice(i + 1)) {
        const apart = a.right <= b.left + 1 || b.right <= a.left + 1 || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
        expect(apart, `“${a.text}” over “${b.text}”`).toBe(true);
      }
    }
    // The scale fits the incident: from occurred to resolved takes most of the chart's width.
    const at = (milestone: string) => chart.locator(`[data-milestone="${milestone}"] line`).evaluate((el) => el.getBoundingClientRect().left);
    expect((await at('resolved')) - (await at('occurred'))).toBeGreaterThan(frame.width * 0.5);
    const updates = page.getByTestId('updates-table');
    expect(await updates.locator('tr[data-audience="customers"] td').allTextContents()).toEqual(['1', '0 of 2', expect.stringMatching(/^00:\d\d:\d\d$/)]);

    // A milestone on the chart finds its entry too, by keyboard.
    await chart.locator('[data-milestone="resolved"]').focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.review-row.is-highlighted').allTextContents()).toEqual([expect.stringContaining('Status changed to Resolved')]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot('review-metrics-1366x768');
  });

  it('fills the root-cause tools: 5 whys citing entries, and the fishbone', async () => {
    await page.keyboard.press('2');
    const verdict = page.locator('.hypothesis select');
    await eventually(() => verdict.inputValue()).toBe('confirmed');

    await page.locator('#why-new').fill('Why did card payments fail?');
    await page.locator('#because-new').fill('DC1 lost power and traffic stayed on it');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.why-item').count()).toBe(1);
    // It cites the entry picked in the timeline.
    expect(await page.locator('.why-item .cite-chip').textContent()).toContain('DC1 pool drained');
    await page.locator('#why-new').fill('Why did traffic stay on DC1?');
    await page.locator('#because-new').fill('Health checks probe the VIPs, which stayed up');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.why-item').count()).toBe(2);
    // Reordered: the second link moves up.
    await page.locator('.why-item').nth(1).getByRole('button', { name: 'Move up' }).click();
    await eventually(() => page.locator('.why-item input').first().inputValue()).toBe('Why did traffic stay on DC1?');

    await page.getByLabel('Add a factor to Technology & tools').fill('Generator never load-tested');
    await page.keyboard.press('Enter');
    await page.getByLabel('Add a factor to Process').fill('No failover runbook');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.bone[data-category="technology"] .factor-text').allTextContents()).toEqual(['Generator never load-tested']);
    await eventually(() => page.locator('.bone[data-category="process"] .factor-text').allTextContents()).toEqual(['No failover runbook']);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot('review-root-cause-1366x768');
  });

  it('records what went well, what did not, lessons, and follow-ups with owner and due date', async () => {
    await page.keyboard.press('3');
    await page.getByRole('textbox', { name: 'What went well' }).fill('Manual failover took nine minutes');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'What did not go well' }).fill('Customers waited 14 minutes for a first word');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Lessons learned' }).fill('Test the generator under load every quarter');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.lesson-text').allTextContents()).toEqual([
      'Manual failover took nine minutes',
      'Customers waited 14 minutes for a first word',
      'Test the generator under load every quarter',
    ]);

    // A follow-up without a due date is refused, with the reason.
    await page.locator('#followup-title').fill('Load-test the DC1 generator');
    await page.locator('.followup-new').getByLabel('Owner').fill('Omar Haddad');
    await page.getByRole('button', { name: 'Add follow-up' }).click();
    await eventually(() => page.locator('.followups .error-note').textContent()).toContain('due date');
    // A day picked in the form is read by the core (the end of that day in its zone), up to a year ahead.
    const due = addDays(new Date(), 90);
    await page.locator('.followup-new').getByLabel('Due').fill(format(due, 'yyyy-MM-dd'));
    await page.getByRole('button', { name: 'Add follow-up' }).click();
    await eventually(() => page.getByTestId('followups-table').locator('tbody td').allTextContents()).toEqual([
      'Load-test the DC1 generator',
      'Omar Haddad',
      format(due, 'd MMM yyyy'),
      'To do',
    ]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot('review-lessons-1366x768');
  });

  it('presents one story moment at a time on the shared screen', async () => {
    await page.keyboard.press('Shift+P');
    const presenter = page.getByRole('dialog', { name: /Presenter/ });
    await presenter.waitFor();
    expect(await page.getByTestId('presenter-position').textContent()).toBe('1 of 4');
    expect(await presenter.locator('.presenter-moment').textContent()).toBe('Detection');
    await page.keyboard.press('ArrowRight');
    expect(await presenter.locator('.presenter-moment').textContent()).toBe('Diagnosis');
    expect(await presenter.locator('.presenter-comments').textContent()).toContain('nobody tested it for 30 minutes');
    await shot('review-presenter-1366x768');
    await page.keyboard.press('End');
    expect(await page.getByTestId('presenter-position').textContent()).toBe('4 of 4');
    expect(await presenter.locator('.presenter-moment').textContent()).toBe('Key moment');
    await page.keyboard.press('Escape');
    await eventually(() => presenter.count()).toBe(0);
  });

  it('replays the timeline at 10× on the incident clock, with pause', async () => {
    await page.keyboard.press('Shift+L');
    const replay = page.getByRole('dialog', { name: /Replay/ });
    await replay.waitFor();
    const progress = () => page.getByTestId('replay-progress').textContent();
    expect(await progress()).toMatch(/^1 of \d+ entries$/);
    await page.keyboard.press('2');
    expect(await replay.getByRole('button', { name: '10× speed' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press(' ');
    // One minute of the meeting's clock is ten minutes of the incident's: the first ten minutes have played.
    await page.clock.runFor(60_000);
    expect(await page.getByTestId('replay-elapsed').textContent()).toMatch(/^T\+00:(09:5\d|10:00)$/);
    const shown = await replay.locator('.replay-entry').allTextContents();
    expect(shown.some((text) => text.includes('load balancer health checks'))).toBe(true);
    expect(shown.some((text) => text.includes('Fail over to DC2 by hand'))).toBe(false);
    await shot('review-replay-1366x768');

    await page.keyboard.press(' ');
    const paused = await progress();
    await page.clock.runFor(60_000);
    expect(await progress()).toBe(paused);
    await page.keyboard.press('Escape');
    await eventually(() => replay.count()).toBe(0);
  });

  it('Tab follows the page: the bar, the curated timeline, the tabs as one stop, then the open section from top to bottom', async () => {
    await page.keyboard.press('2');
    await page.getByRole('tab', { name: 'Root cause (2)', selected: true }).waitFor();
    await page.locator('.review-bar button').first().focus();
    const REGIONS = ['.review-bar', '.review-timeline', '.review-tabs', '.review-tab-panel'];
    const stops: { region: number; top: number; bottom: number; left: number; order: number; item: number; what: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const stop = await page.evaluate((regions) => {
        const el = document.activeElement as HTMLElement;
        const all = [...document.querySelectorAll('*')];
        const box = el.getBoundingClientRect();
        const item = el.closest('.review-tab-panel li');
        return {
          region: regions.findIndex((r) => el.closest(r)),
          top: Math.round(box.top),
          bottom: Math.round(box.bottom),
          left: Math.round(box.left),
          order: all.indexOf(el),
          // The list item (a hypothesis, a why, a factor) the stop belongs to, -1 outside one.
          item: item ? all.indexOf(item) : -1,
          what: `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`,
        };
      }, REGIONS);
      stops.push(stop);
      await page.keyboard.press('Tab');
    }
    const path = stops.map((s) => `${s.region}:${s.what}`).join(' → ');
    // Nothing outside the review, and the regions in the order the page shows them.
    expect(
      stops.every((s) => s.region >= 0),
      path,
    ).toBe(true);
    const regions = stops.map((s) => s.region);
    expect(regions, path).toEqual([...regions].sort((a, b) => a - b));
    expect(new Set(regions), path).toEqual(new Set([0, 1, 2, 3]));
    // One stop for the three tabs (← → move between them), then the section's fields in document order.
    expect(
      regions.filter((r) => r === 2),
      path,
    ).toHaveLength(1);
    for (let i = 1; i < stops.length; i++) expect(stops[i]!.order, path).toBeGreaterThan(stops[i - 1]!.order);
    // Within a why (its fields, its citations, then ↑ ↓ ×) and any other item, Tab reads the item as the eye
    // does: on along a line, or down to a lower one, never back up to a line already passed.
    const whyButtons = stops.filter((s) => /^button (Move|Remove)/.test(s.what));
    expect(whyButtons.length, `the walk reaches the ↑ ↓ × of the whys: ${path}`).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < stops.length; i++) {
      const [before, after] = [stops[i - 1]!, stops[i]!];
      if (before.item < 0 || after.item !== before.item) continue;
      const overlap = Math.min(before.bottom, after.bottom) - Math.max(before.top, after.top);
      const sameLine = overlap > Math.min(before.bottom - before.top, after.bottom - after.top) / 2;
      const step = `${before.what} (${before.top}–${before.bottom}, x ${before.left}) → ${after.what} (${after.top}–${after.bottom}, x ${after.left})`;
      if (sameLine) expect(after.left, step).toBeGreaterThan(before.left);
      else expect(after.top + after.bottom, step).toBeGreaterThan(before.top + before.bottom);
    }
    // ← → on the tabs choose the next section and keep the focus on the tabs.
    await page.locator('.review-tab.selected').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Lessons & follow-ups (3)', selected: true }).waitFor();
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('review-tab-actions');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('tab', { name: 'Root cause (2)', selected: true }).waitFor();
  });

  it('fits 1920×1080 too, and marking the review done makes the incident reviewed', async () => {
    await page.keyboard.press('1');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot('review-metrics-1920x1080');
    await page.keyboard.press('Shift+P');
    await page.getByRole('dialog', { name: /Presenter/ }).waitFor();
    await shot('review-presenter-1920x1080');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);

    await page.getByRole('button', { name: 'Mark review done' }).click();
    await eventually(() => page.getByTestId('review-done').textContent()).toBe('Review done');
    const { incident } = await apiCall<{ incident: { status: string } }>(page, 'incident.get', { incidentId });
    expect(incident.status).toBe('reviewed');
    await page.setViewportSize({ width: 1366, height: 768 });
    // Back in the live view (through the command palette this time), the record reads as before: only the
    // follow-up task and the two status changes (resolved, reviewed) are new entries; the review's own work is not part of it.
    await page.keyboard.press('ControlOrMeta+K');
    await page.keyboard.type('leave the review');
    await page.keyboard.press('Enter');
    await page.locator('.panes').waitFor();
    const count = page.locator('.timeline-pane .pane-head .muted').first();
    await eventually(async () => Number((await count.textContent())?.replace(/\D/g, ''))).toBe(liveCount + 3);
    expect(await page.locator('.panes').textContent()).not.toContain('Key moment');
    expect(pageProblems).toEqual([]);
  });
});
