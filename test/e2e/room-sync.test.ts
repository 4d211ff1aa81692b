import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../shared/sync/team-key.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * Room sync from the console (issue #14), in the real app (browser mode, Debian's Chromium): two
 * consoles holding the same team key and no hub at all. By keyboard in the sync settings, A turns
 * room sync on (loopback, any free port) and shows its peer code; B turns it on and pastes A's
 * code; A's incident and then an entry A logs appear on B. Screenshots in dark and light, EN and FR.
 */
const DRILL_TITLE = 'Drill: payment gateway outage after a data-centre power failure';
let work: string;
let consoles: Running[] = [];
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-room-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The team key was handed over beforehand (key file or pairing: test/e2e/team-key.test.ts); kept where browser mode keeps it.
  const ring = createKeyring('ops', Date.now() - 60_000);
  const dirs = ['a', 'b'].map((name) => {
    const dir = path.join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'team-key'), JSON.stringify(ring), { mode: 0o600 });
    return dir;
  });
  let launched: Browser;
  [consoles[0], consoles[1], launched] = await Promise.all([
    startConsole(dirs[0]!),
    startConsole(dirs[1]!, { name: 'Bruno Lefèvre' }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(consoles.map((c) => c && kill(c.child)));
  consoles = [];
  rmSync(work, { recursive: true, force: true });
});

async function open(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  return page;
}

/** `y` opens the sync settings once the console has loaded. */
async function openSettings(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  await eventually(async () => {
    if ((await dialog.count()) === 0) await page.locator('body').press('y');
    return dialog.count();
  }, 30_000).toBe(1);
  await page.getByTestId('room-sync').waitFor();
}

/** Turn room sync on by keyboard: the switch, the interface (loopback, as offered), port 0, Apply. */
async function turnOn(page: Page): Promise<void> {
  await page.getByLabel('Serve this console to the team’s other laptops').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('room-address');
  expect(await page.locator('#room-address').inputValue()).toBe('127.0.0.1');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('room-port');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Apply');
  await page.keyboard.press('Enter');
  await eventually(() => page.getByTestId('room-state').textContent(), 15_000).toMatch(/^Serving on 127\.0\.0\.1:\d+$/);
}

it('pairs two consoles over loopback by keyboard, and an entry crosses without a hub', async () => {
  const [pageA, pageB] = await Promise.all([open(consoles[0]!.url), open(consoles[1]!.url)]);
  // A opens the sample drill (Tab from "Declare an incident" to the sample, Enter); B stays empty.
  await pageA.getByRole('heading', { name: 'No incident yet' }).waitFor();
  await pageA.keyboard.press('Tab');
  await pageA.keyboard.press('Enter');
  await pageA.getByRole('heading', { name: DRILL_TITLE }).waitFor();

  await openSettings(pageA);
  expect(await pageA.getByTestId('room-state').textContent()).toBe('Room sync is off: this console serves nothing.');
  await turnOn(pageA);
  const ownCode = pageA.locator('#room-own-code');
  const peerCode = await ownCode.inputValue();
  expect(peerCode).toMatch(/^wrp1\.[A-Za-z0-9_-]+$/);
  expect(await pageA.locator('#room-own-code-hint').textContent()).toMatch(/address 127\.0\.0\.1, port \d+, key fingerprint [0-9a-f]{5}(-[0-9a-f]{5}){3}/);
  await pageA.getByTestId('room-sync').screenshot({ path: path.join(SCREENSHOTS, 'room-sync-serving-en-dark.png') });

  await openSettings(pageB);
  await turnOn(pageB);
  await pageB.getByLabel('Peer code of another console').focus();
  await pageB.keyboard.type(peerCode);
  await pageB.keyboard.press('Enter');
  await eventually(() => pageB.getByRole('status').filter({ hasText: 'Peer added.' }).count()).toBe(1);
  const peer = pageB.getByTestId('room-peer');
  await eventually(() => peer.textContent(), 20_000).toMatch(/^127\.0\.0\.1:\d+key [0-9a-f-]{23}Synced at \d{2}:\d{2}Remove$/);
  await pageB.getByTestId('room-sync').screenshot({ path: path.join(SCREENSHOTS, 'room-sync-peer-en-dark.png') });

  // The drill incident reached B through the room; then an entry A logs crosses too.
  await pageB.keyboard.press('Escape');
  await pageB.getByRole('heading', { name: DRILL_TITLE }).waitFor({ timeout: 20_000 });
  await pageA.keyboard.press('Escape');
  await pageA.getByRole('dialog').waitFor({ state: 'detached' });
  const entry = 'Room decision: fail over card traffic to DC2 (no hub)';
  await pageA.keyboard.press('n');
  await pageA.keyboard.type(entry);
  await pageA.keyboard.press('Enter');
  await eventually(() => pageB.locator('.timeline-row .entry-text').allTextContents(), 20_000).toContain(entry);
  await pageA.keyboard.press('Escape');

  // Light theme and French, for the eye: the same section, with a peer's failure said in words once A stops serving.
  await openSettings(pageA);
  await pageA.getByLabel('Serve this console to the team’s other laptops').focus();
  await pageA.keyboard.press('Space');
  await pageA.getByRole('button', { name: 'Apply' }).focus();
  await pageA.keyboard.press('Enter');
  await eventually(() => pageA.getByTestId('room-state').textContent()).toBe('Room sync is off: this console serves nothing.');
  await pageB.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
  await openSettings(pageB);
  await pageB.getByRole('button', { name: 'Sync with peers now' }).focus();
  await pageB.keyboard.press('Enter');
  await eventually(() => peer.textContent(), 20_000).toMatch(/Failed — last synced at \d{2}:\d{2}.*could not be reached/);
  await pageB.getByTestId('room-sync').screenshot({ path: path.join(SCREENSHOTS, 'room-sync-peer-failed-en-light.png') });
  await pageB.keyboard.press('Escape');
  await pageB.getByRole('dialog').waitFor({ state: 'detached' });
  await pageB.locator('.language-switch').getByRole('button', { name: 'FR' }).click();
  await openSettings(pageB);
  await eventually(() => pageB.getByTestId('room-state').textContent()).toMatch(/^Servie sur 127\.0\.0\.1:\d+$/);
  await eventually(() => peer.textContent()).toMatch(/Échec — dernière synchronisation à \d{2}:\d{2}.*injoignable/);
  await pageB.getByTestId('room-sync').screenshot({ path: path.join(SCREENSHOTS, 'room-sync-peer-failed-fr-light.png') });
  await pageB.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
  await pageB.getByTestId('room-sync').screenshot({ path: path.join(SCREENSHOTS, 'room-sync-peer-failed-fr-dark.png') });
  expect(problems).toEqual([]);
}, 150_000);
