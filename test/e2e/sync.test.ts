import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../shared/record/hlc.js';
import { startHub, type HubProcess } from '../../hub/test/support.js';
import { startTestHub } from '../sync-support.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually as eventuallyWithin, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/** The hub's restarts and two consoles make this file's waits longer than the others'. */
const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => eventuallyWithin(read, timeout);

/**
 * Two laptops and a team hub, as a team meets them: one hub process on its SQLite file, two
 * consoles in browser mode (each its own data folder), driven in Chromium by keyboard. The hub
 * goes away, both keep writing, it comes back on the same file and port, and each console ends
 * up showing the other's entries in the right order, with the header telling the truth throughout.
 */

const DRILL_TITLE = 'Drill: payment gateway outage after a data-centre power failure';

const indicator = (page: Page) => page.getByTestId('sync-indicator');
const indicatorText = (page: Page) => indicator(page).locator('.sync-text').textContent();
const indicatorState = (page: Page) => indicator(page).getAttribute('data-state');

/** The texts of the rendered timeline rows, newest last (the timeline follows the newest entries). */
const timelineTexts = (page: Page) => page.locator('.timeline-row .entry-text').allTextContents();

/** Every sync state the header shows, in order, caught by a MutationObserver so brief ones are not missed. */
async function recordHeaderStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { state: string; text: string }[] = [];
    (window as unknown as { syncStates: typeof seen }).syncStates = seen;
    const read = () => {
      const el = document.querySelector<HTMLElement>('[data-testid="sync-indicator"]');
      if (!el) return;
      const state = el.dataset['state'] ?? '';
      const text = el.querySelector('.sync-text')?.textContent ?? '';
      const last = seen[seen.length - 1];
      if (!last || last.state !== state || last.text !== text) seen.push({ state, text });
    };
    read();
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

const headerStates = (page: Page) => page.evaluate(() => (window as unknown as { syncStates: { state: string; text: string }[] }).syncStates);

/** Open the settings with `y` and fill them by keyboard; the dialog closes once the core has accepted them. */
async function configureByKeyboard(page: Page, hubUrl: string, token: string): Promise<void> {
  await page.keyboard.press('y');
  await page.getByRole('dialog', { name: 'Team sync' }).waitFor();
  // The hub URL field has the focus when the dialog opens.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(hubUrl);
  await page.keyboard.press('Tab');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Team sync' }).waitFor({ state: 'detached' });
}

/** The short device id the settings dialog shows for this laptop. */
async function laptopId(page: Page): Promise<string> {
  await page.keyboard.press('y');
  const line = await page.getByText(/^This laptop: /).textContent();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Team sync' }).waitFor({ state: 'detached' });
  return line!.replace('This laptop: ', '');
}

async function logEntry(page: Page, text: string): Promise<void> {
  await page.keyboard.press('n');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await eventually(() => timelineTexts(page)).toContain(text);
  await page.keyboard.press('Escape');
}

async function shootHeader(page: Page, name: string): Promise<void> {
  await page.locator('.console-header').screenshot({ path: path.join(SCREENSHOTS, `sync-header-${name}-1366x768.png`) });
}

describe('two consoles and a hub: offline, both write, back online (browser mode, Chromium)', () => {
  const dirs: string[] = [];
  let hub: HubProcess & { token: string; dbFile: string };
  let hubPort: string;
  let consoleA: Running;
  let consoleB: Running;
  let browser: Browser;
  let pageA: Page;
  let pageB: Page;
  let idA = '';
  let idB = '';
  const pageProblems: string[] = [];
  const written = {
    a1: 'A1 — rerouted card traffic to DC2',
    b1: 'B1 — DC2 error rate back under 1%',
    a2: 'A2 — generator on, DC1 power back',
    b2: 'B2 — ledger reconciled, no double charge',
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (let i = 0; i < 3; i++) dirs.push(mkdtempSync(path.join(tmpdir(), 'warroom-e2e-sync-')));
    // The hub's file lives in a folder of this suite's own: it must outlive the hub process, which restarts on it.
    [hub, consoleA, consoleB, browser] = await Promise.all([
      startTestHub(path.join(dirs[2]!, 'hub.sqlite')),
      startConsole(dirs[0]!),
      startConsole(dirs[1]!),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    hubPort = new URL(hub.url).port;
    const open = async (url: string) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageProblems.push(error.message));
      await page.goto(url);
      return page;
    };
    [pageA, pageB] = await Promise.all([open(consoleA.url), open(consoleB.url)]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([consoleA && kill(consoleA.child), consoleB && kill(consoleB.child), hub?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('says "Sync off" until set up, and refuses bad settings with the reason beside the field', async () => {
    await pageA.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await eventually(() => indicatorText(pageA)).toBe('Sync off');
    await pageA.screenshot({ path: path.join(SCREENSHOTS, 'sync-welcome-off-1366x768.png') });

    await pageA.keyboard.press('y');
    const dialog = pageA.getByRole('dialog', { name: 'Team sync' });
    await dialog.waitFor();
    expect(await pageA.getByTestId('sync-token-hint').textContent()).toMatch(
      /^No token saved yet\. It is kept in a private file readable only by you, in .*warroom-e2e-sync-/,
    );
    await pageA.keyboard.type('ftp://hub.example.org');
    await pageA.keyboard.press('Tab');
    await pageA.keyboard.type('short');
    await pageA.keyboard.press('Enter');
    await eventually(() => pageA.locator('#sync-hubUrl-error').textContent()).toBe('Not saved: must be an http(s) URL, or empty');
    expect(await pageA.locator('#sync-token-error').textContent()).toMatch(/^Not saved: /);
    expect(await pageA.locator('#sync-hub-url').getAttribute('aria-invalid')).toBe('true');
    // The first field in error gets the focus back, so the user can fix it at once.
    expect(await pageA.evaluate(() => document.activeElement?.id)).toBe('sync-hub-url');
    await dialog.screenshot({ path: path.join(SCREENSHOTS, 'sync-settings-invalid-1366x768.png') });
    await pageA.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => indicatorText(pageA)).toBe('Sync off');
  });

  it('joins both consoles to the hub from the settings dialog, by keyboard; the second receives the first one’s incident', async () => {
    // Console A opens the sample drill: Tab from "Declare an incident" to the sample, Enter.
    await pageA.keyboard.press('Tab');
    await pageA.keyboard.press('Enter');
    await pageA.getByRole('heading', { name: DRILL_TITLE }).waitFor();
    await configureByKeyboard(pageA, hub.url, hub.token);
    await eventually(() => indicatorText(pageA)).toMatch(/^Up to date as of \d{2}:\d{2}$/);

    // The token is saved, never shown again; leaving the field empty keeps it.
    await pageA.keyboard.press('y');
    await pageA.getByRole('dialog', { name: 'Team sync' }).waitFor();
    expect(await pageA.getByTestId('sync-token-hint').textContent()).toMatch(/^A token is saved; it is never shown again\./);
    expect(await pageA.locator('#sync-token').inputValue()).toBe('');
    expect(await pageA.locator('#sync-token').getAttribute('type')).toBe('password');
    expect(await pageA.locator('#sync-hub-url').inputValue()).toBe(hub.url);
    await pageA.getByRole('dialog', { name: 'Team sync' }).screenshot({ path: path.join(SCREENSHOTS, 'sync-settings-saved-1366x768.png') });
    await pageA.keyboard.press('Enter');
    await pageA.getByRole('dialog', { name: 'Team sync' }).waitFor({ state: 'detached' });
    await eventually(() => indicatorText(pageA)).toMatch(/^Up to date as of \d{2}:\d{2}$/);

    // Console B starts empty and is set up from its welcome screen.
    await pageB.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await configureByKeyboard(pageB, hub.url, hub.token);
    await pageB.getByRole('heading', { name: DRILL_TITLE }).waitFor({ timeout: 15_000 });
    await eventually(() => indicatorText(pageB)).toMatch(/^Up to date as of \d{2}:\d{2}$/);

    [idA, idB] = await Promise.all([laptopId(pageA), laptopId(pageB)]);
    expect(idA).toMatch(/^[\w-]{6}$/);
    expect(idB).not.toBe(idA);
    // On B, the drill's entries came from laptop A, and say so; on A they are its own and carry no marker.
    await eventually(async () => (await pageB.locator('.timeline-row .sync-origin').allTextContents())[0]).toBe(`via laptop ${idA}`);
    expect(await pageA.locator('.timeline-row .sync-origin').count()).toBe(0);
    await shootHeader(pageA, 'up-to-date');
  });

  it('while the hub is down, both keep writing and the header says offline since when, with how many entries waiting', async () => {
    await Promise.all([recordHeaderStates(pageA), recordHeaderStates(pageB)]);
    await hub.stop();

    await logEntry(pageA, written.a1);
    await logEntry(pageB, written.b1);
    await logEntry(pageA, written.a2);
    await logEntry(pageB, written.b2);

    for (const page of [pageA, pageB]) {
      await eventually(() => indicatorText(page)).toMatch(/^Offline since \d{2}:\d{2} — 2 entries waiting( — trying again…)?$/);
      expect(await indicatorState(page)).toBe('offline');
      // The reason is one hover (or one dialog) away.
      expect(await indicator(page).getAttribute('title')).toContain('The hub is unreachable.');
    }
    await shootHeader(pageA, 'offline');
    await pageA.screenshot({ path: path.join(SCREENSHOTS, 'sync-offline-1366x768.png') });

    // Each console shows only what it holds: its own two entries, not the other's.
    expect(await timelineTexts(pageA)).not.toContain(written.b1);
    expect(await timelineTexts(pageB)).not.toContain(written.a1);
  });

  it('when the hub is back, each console shows the other’s entries in the right order, and the header went offline → syncing → up to date', async () => {
    const back = await startHub({ args: ['--db', hub.dbFile], env: {} }, ['--port', hubPort]);
    hub = { ...hub, ...back };
    expect(new URL(back.url).port).toBe(hubPort);

    // The OS says the network is back: the console syncs at once instead of waiting out its backoff.
    await pageB.evaluate(() => window.dispatchEvent(new Event('online')));
    await eventually(() => indicatorText(pageB)).toMatch(/^Up to date as of \d{2}:\d{2}$/);
    await pageA.evaluate(() => window.dispatchEvent(new Event('online')));
    await eventually(() => indicatorText(pageA)).toMatch(/^Up to date as of \d{2}:\d{2}$/);
    // A may have pulled before B pushed; "Sync now" in the settings fetches the rest without waiting for the next poll.
    await pageA.keyboard.press('y');
    await pageA.getByRole('button', { name: 'Sync now' }).focus();
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('Escape');

    const order = [written.a1, written.b1, written.a2, written.b2];
    for (const page of [pageA, pageB]) {
      await eventually(async () => (await timelineTexts(page)).filter((text) => order.includes(text))).toEqual(order);
      await eventually(() => indicatorText(page)).toMatch(/^Up to date as of \d{2}:\d{2}$/);
    }

    // Who wrote it, and from which laptop: the other laptop's entries carry its short id.
    const marker = (page: Page, text: string) => page.locator('.timeline-row .entry', { hasText: text }).locator('.sync-origin');
    expect(await marker(pageA, written.b1).textContent()).toBe(`via laptop ${idB}`);
    expect(await marker(pageA, written.a1).count()).toBe(0);
    expect(await marker(pageB, written.a2).textContent()).toBe(`via laptop ${idA}`);
    expect(await marker(pageB, written.b2).count()).toBe(0);

    for (const page of [pageA, pageB]) {
      const states = await headerStates(page);
      console.log(`header states: ${states.map((s) => s.text).join(' | ')}`);
      const offline = states.findIndex((s) => s.state === 'offline');
      expect(offline).toBeGreaterThan(0);
      expect(states[0]!.state).toBe('up_to_date');
      const after = states.slice(offline);
      // Pushing the two waiting entries is a catch-up with progress to show.
      const syncing = after.findIndex((s) => s.state === 'syncing' && /^Syncing… \(pulled \d+, pushed 2\)$/.test(s.text));
      expect(syncing).toBeGreaterThan(0);
      expect(after.slice(syncing).some((s) => s.state === 'up_to_date')).toBe(true);
      expect(states[states.length - 1]!.state).toBe('up_to_date');
    }
    await shootHeader(pageB, 'back-up-to-date');
    await pageA.screenshot({ path: path.join(SCREENSHOTS, 'sync-merged-1366x768.png') });
    await pageA.setViewportSize({ width: 1920, height: 1080 });
    await pageA.screenshot({ path: path.join(SCREENSHOTS, 'sync-merged-1920x1080.png') });
    await pageA.setViewportSize({ width: 1366, height: 768 });
  });

  it('warns when another laptop’s clock runs ahead', async () => {
    const incidentId = await pageA.evaluate(() => localStorage.getItem('warroom.incident'));
    const ahead = Date.now() + 5 * 60_000;
    const device = 'SkewedLaptop';
    const event = {
      id: uuidv7(),
      incidentId,
      kind: 'timeline.entry',
      payload: { entryKind: 'note', text: 'Written on a laptop whose clock is 5 minutes fast', occurredAt: Date.now() },
      actor: 'Dana',
      deviceId: device,
      hlc: encodeHlc({ wall: ahead, counter: 0, node: device }),
      recordedAt: Date.now(),
    };
    const pushed = await fetch(`${hub.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event] }),
    });
    expect(pushed.status).toBe(200);
    await pageA.evaluate(() => window.dispatchEvent(new Event('online')));
    await eventually(() => pageA.getByTestId('sync-clock-skew').textContent()).toMatch(/^The clock of laptop Skewed is [45] min ahead$/);
    await eventually(() => pageA.locator('.timeline-row .entry', { hasText: 'clock is 5 minutes fast' }).locator('.sync-origin').textContent()).toBe(
      'via laptop Skewed',
    );
    await shootHeader(pageA, 'clock-skew');

    await pageA.getByRole('button', { name: 'FR', exact: true }).click();
    await eventually(() => indicatorText(pageA)).toMatch(/^À jour \(\d{2}:\d{2}\)$/);
    expect(await pageA.getByTestId('sync-clock-skew').textContent()).toMatch(/^L’horloge de l’ordinateur Skewed avance de [45] min$/);
    expect(await pageA.locator('.timeline-row .entry', { hasText: written.b2 }).locator('.sync-origin').textContent()).toBe(`via l’ordinateur ${idB}`);
    await shootHeader(pageA, 'clock-skew-fr');
    await pageA.getByRole('button', { name: 'EN', exact: true }).click();
    expect(pageProblems).toEqual([]);
  });
});
