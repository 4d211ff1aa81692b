import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running, callFromPage } from './harness.js';

/**
 * The deputy call-out (issue #12): at a call-out moment with nothing stalled and nothing overdue
 * it stays a quiet chip in the header — no panel pops up to say "nothing stalled", nothing moves;
 * with something to chase it opens as a strip that pushes the panes down and covers no control;
 * once the incident is resolved it goes away and stays away through the review.
 * Time moves with Playwright's clock (page.clock), never by waiting.
 */
describe('the deputy call-out in Chromium (browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let running: Running;
  let incidentId = '';
  const pageProblems: string[] = [];

  const call = (channel: string, input: unknown) => callFromPage(page, channel, input);

  const chip = () => page.getByTestId('callout-chip');
  const panel = () => page.getByTestId('deputy-callout');
  const height = (selector: string) => page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().height));
  const elapsed = async () => {
    const [h, m] = ((await page.getByTestId('stopwatch').textContent()) ?? '').split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const shot = async (name: string) => {
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(SCREENSHOTS, `callout-${name}-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-callout-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(error.message));
    await page.clock.install({ time: Date.now() });
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    // A P3: no update runs on a countdown, so only tasks can be overdue or stalled.
    const now = Date.now();
    const declared = await call('incident.declare', {
      title: 'Printing fails on the third floor',
      occurredAt: now - 60_000,
      detectedAt: now,
      detectionSource: 'user_report',
      category: 'hardware',
      impact: 'medium',
      urgency: 'medium',
      commander: 'Ana',
    });
    incidentId = String(declared['incidentId']);
    await page.locator('.console-header').waitFor();
    expect(await page.locator('.console-header .priority-badge').textContent()).toBe('P3');
    // Someone is on it, and has just started: nothing is stalled yet.
    const task = await call('task.create', { incidentId, title: 'Swap the toner on printer 3B', owner: 'Bo Lind' });
    await call('task.move', { incidentId, taskId: task['taskId'], status: 'doing' });
    await page.locator('.task-card', { hasText: 'Swap the toner' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays a quiet chip through a call-out moment with nothing stalled or overdue: no panel, nothing moves', async () => {
    expect(await chip().textContent()).toMatch(/^Call-out: all clear/);
    expect(await chip().getAttribute('class')).not.toContain('due');
    const before = {
      header: await height('.console-header'),
      tasks: await height('.tasks-pane'),
      colour: await chip().evaluate((el) => getComputedStyle(el).color),
    };

    // Past the first call-out moment (10 minutes after declaration): the page has run through it
    // once the stopwatch shows it.
    await page.clock.fastForward('10:30');
    await eventually(elapsed).toBeGreaterThanOrEqual(10);
    expect(await panel().count()).toBe(0);
    expect(await chip().textContent()).toMatch(/^Call-out: all clear/);
    expect(await chip().getAttribute('class')).not.toContain('due');
    expect(await chip().evaluate((el) => getComputedStyle(el).color)).toBe(before.colour);
    expect(await height('.console-header')).toBe(before.header);
    expect(await height('.tasks-pane')).toBe(before.tasks);
    await shot('quiet');

    // d still opens it on request, where it says so in a line, and d puts it away again.
    await page.locator('body').focus();
    await page.keyboard.press('d');
    await eventually(() => panel().innerText()).toMatch(/Nothing stalled, nothing overdue\./);
    expect(await panel().innerText()).toMatch(/Call-out of \d\d:\d\d/);
    await page.keyboard.press('d');
    await eventually(() => panel().count()).toBe(0);
    expect(await height('.console-header')).toBe(before.header);
  });

  it('opens by itself at the next moment once a task has stalled, above the panes and over no control', async () => {
    // The team calls a task stalled after one minute in the same column; the task has been in progress ten.
    await call('settings.setCallout', { stalledAfterMs: 60_000 });
    await eventually(() => chip().getAttribute('class')).toContain('due');
    expect(await chip().textContent()).toMatch(/^Call-out: 1 to chase/);
    expect(await panel().count()).toBe(0);
    await page.clock.fastForward('10:00');
    await eventually(() => panel().count()).toBe(1);
    expect(await panel().innerText()).toMatch(/Stalled tasks[\s\S]*Bo Lind/);
    // In the flow of the page: no button, field or card of the console lies under it.
    const covered = await page.evaluate(() => {
      const strip = document.querySelector('[data-testid="deputy-callout"]')!.getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, .task-card')]
        .filter((el) => !el.closest('[data-testid="deputy-callout"]') && el.getClientRects().length > 0)
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return box.left < strip.right && box.right > strip.left && box.top < strip.bottom && box.bottom > strip.top;
        })
        .map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName);
    });
    expect(covered).toEqual([]);
    await shot('stalled');
    expect(pageProblems).toEqual([]);
  });

  it('goes away once the incident is resolved, and never opens by itself in its review, though the task is still stalled', async () => {
    expect(await panel().count()).toBe(1);
    await call('incident.setStatus', { incidentId, status: 'resolved' });
    await eventually(() => page.locator('#status-select').inputValue()).toBe('resolved');
    await eventually(() => panel().count()).toBe(0);
    // Still something to chase had the bridge gone on: the chip keeps saying so.
    expect(await chip().textContent()).toMatch(/^Call-out: 1 to chase/);

    await page.locator('body').focus();
    await page.keyboard.press('Shift+R');
    await page.locator('.review-mode').waitFor();
    // Two more call-out moments pass while the review is on screen (the stopwatch shows the page lived through them).
    const before = await elapsed();
    await page.clock.fastForward('10:00');
    await eventually(elapsed).toBeGreaterThanOrEqual(before + 10);
    await page.clock.fastForward('10:00');
    await eventually(elapsed).toBeGreaterThanOrEqual(before + 20);
    expect(await panel().count()).toBe(0);
    expect(await page.locator('.review-mode').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'callout-review-of-resolved-1366x768.png') });
    expect(pageProblems).toEqual([]);
  });
});
