import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { declareInput } from '../helpers.js';
import { openCore } from '../library-fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * A render error in one pane (the real console, Debian's Chromium): that pane alone says so and
 * offers "Reload this pane", the other panes keep working, and the reload, reached by keyboard,
 * brings the pane back. The error is a fault of the page's platform, not of our code: the test
 * makes the browser's String.prototype.localeCompare throw for one owner's name (the task board
 * sorts its owners with it while rendering), then lets it work again before the reload. No
 * component of ours is replaced or mocked, and nothing test-only ships in the build.
 */

const FAULTY_OWNER = 'Render Fault';

let work: string;
let running: Running;
let browser: Browser;
let incidentId: string;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-pane-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = path.join(work, 'console');
  const seed = openCore(dataDir);
  ({ incidentId } = seed.core.handle('incident.declare', declareInput));
  seed.core.handle('task.create', { incidentId, title: 'Roll back checkout', owner: 'Bo' });
  seed.core.handle('task.create', { incidentId, title: 'Page the payments team', owner: FAULTY_OWNER });
  seed.store.close();
  [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
});

afterAll(async () => {
  await browser?.close();
  if (running) await kill(running.child);
  rmSync(work, { recursive: true, force: true });
});

it('a render error stays in its pane: the others work, and "Reload this pane", reached by keyboard, brings it back', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.addInitScript((owner) => {
    const original = String.prototype.localeCompare;
    const w = window as unknown as { __platformFault: boolean };
    w.__platformFault = true;
    String.prototype.localeCompare = function (this: string, that: string, ...rest: []) {
      if (w.__platformFault && (String(this) === owner || that === owner)) throw new Error('platform fault');
      return original.call(this, that, ...rest);
    } as typeof original;
  }, FAULTY_OWNER);
  await page.goto(running.url);

  const failed = page.getByTestId('pane-failed-tasks');
  await eventually(() => failed.count()).toBe(1);
  expect(await failed.getByRole('alert').textContent()).toMatch(/^The tasks pane failed: platform fault\. The rest of the console still works\./i);
  // The other panes are there and work: an entry typed in the timeline is recorded and shown.
  expect(await page.getByTestId('pane-failed-timeline').count()).toBe(0);
  expect(await page.getByTestId('pane-failed-comms').count()).toBe(0);
  await page.keyboard.press('n');
  await page.keyboard.type('Written while the task pane is down');
  await page.keyboard.press('Enter');
  await eventually(() => page.getByText('Written while the task pane is down').count()).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pane-failed-tasks.png') });

  // The fault passes; the reload button is reachable with Tab alone, and Enter brings the pane back.
  await page.evaluate(() => ((window as unknown as { __platformFault: boolean }).__platformFault = false));
  const reload = failed.getByRole('button', { name: 'Reload this pane' });
  let reached = false;
  for (let presses = 0; presses < 200 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await reload.evaluate((button) => button === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await eventually(() => failed.count()).toBe(0);
  await eventually(() => page.locator('.task-card', { hasText: 'Page the payments team' }).count()).toBe(1);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pane-reloaded-tasks.png') });
  await context.close();
});
