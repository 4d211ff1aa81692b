import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolutionEventId } from '../../shared/alerts/alerts.js';
import { encodeHlc } from '../../shared/record/hlc.js';
import { declareInput } from '../helpers.js';
import { openCore } from '../library-fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * An attached alert's entry says when the alert resolved from the incident's own record
 * (alert.resolved on its stream, issue #13), not from the alert inbox: this console holds the
 * incident as another laptop recorded it, and never received the alerts stream (a laptop that
 * joined later, an imported archive). Real store, browser mode, Debian's Chromium, EN and FR.
 */

let work: string;
let running: Running;
let browser: Browser;
const FINGERPRINT = 'fp-checkout-5xx';
// A fixed minute of today, well in the past, so the line's time is known in any time zone.
const startsAt = Date.now() - 3 * 3_600_000;
const endsAt = startsAt + 40 * 60_000;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-alert-record-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = path.join(work, 'console');
  const seed = openCore(dataDir);
  const { incidentId } = seed.core.handle('incident.declare', { ...declareInput, title: 'Checkout failing' });
  // What the laptop that attached the alert recorded on the incident's stream, as a pull brings it.
  const from = (id: string, kind: string, payload: Record<string, unknown>, wall: number) => ({
    id,
    incidentId,
    kind,
    payload,
    actor: 'Maya',
    deviceId: 'otherlaptop',
    hlc: encodeHlc({ wall, counter: 0, node: 'otherlaptop' }),
    recordedAt: wall,
  });
  const now = Date.now();
  const attached = {
    fingerprint: FINGERPRINT,
    title: 'Checkout 5xx above 5%',
    severity: 'critical',
    integration: 'Prometheus',
    startsAt,
    link: null,
    occurredAt: startsAt,
  };
  const resolved = { fingerprint: FINGERPRINT, title: 'Checkout 5xx above 5%', endsAt, occurredAt: endsAt };
  expect(
    seed.core.ingest([
      from(uuidv7(), 'alert.attached', attached, now - 1000),
      from(resolutionEventId(FINGERPRINT, incidentId, endsAt), 'alert.resolved', resolved, now - 500),
    ]).quarantined,
  ).toBe(0);
  seed.store.close();
  [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
});

afterAll(async () => {
  await browser?.close();
  if (running) await kill(running.child);
  rmSync(work, { recursive: true, force: true });
});

it('the attached alert’s entry says it resolved, and when, from the incident’s record, in English and French', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(running.url);
  await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain('Alert resolved at its source: Checkout 5xx above 5%');
  // The inbox has never heard of this alert here: what the entry says comes from the record.
  const status = page.locator('[data-alert-status]');
  await eventually(() => status.count()).toBe(1);
  expect(await status.getAttribute('data-alert-status')).toBe('resolved');
  // The browser's own reading of the resolution's minute (shortTime shows HH:mm in the window's zone).
  const hhmm = await page.evaluate((at) => {
    const d = new Date(at);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }, endsAt);
  expect(await status.textContent()).toMatch(/^The alert resolved at /);
  expect(await status.textContent()).toContain(hhmm);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'alert-resolved-from-record-en.png') });

  await page.locator('.language-switch').getByRole('button', { name: 'FR' }).click();
  await eventually(() => status.textContent()).toMatch(/^L’alerte s’est résolue à /);
  expect(await status.textContent()).toContain(hhmm);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'alert-resolved-from-record-fr.png') });
  expect(problems).toEqual([]);
  await context.close();
}, 90_000);
