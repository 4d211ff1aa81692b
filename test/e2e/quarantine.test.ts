import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeHlc } from '../../shared/record/hlc.js';
import { declareInput } from '../helpers.js';
import { openCore } from '../library-fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * The quarantined view in the real console (browser mode, Debian's Chromium): a laptop three days
 * ahead and a newer version's value arrived here; the header says so beside the sync state, and
 * the list, with each reason, is one Tab and Enter away, in English and in French.
 */

let work: string;
let running: Running;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-quarantine-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = path.join(work, 'console');
  const seed = openCore(dataDir);
  const { incidentId } = seed.core.handle('incident.declare', declareInput);
  const ahead = Date.now() + 3 * 86_400_000;
  const from = (kind: string, payload: Record<string, unknown>, wall: number) => ({
    id: uuidv7(),
    incidentId,
    kind,
    payload,
    actor: 'Liam',
    deviceId: 'fastclock',
    hlc: encodeHlc({ wall, counter: 0, node: 'fastclock' }),
    recordedAt: wall,
  });
  expect(
    seed.core.ingest([
      from('incident.status', { status: 'investigating', occurredAt: ahead }, ahead),
      from('incident.status', { status: 'monitoring', occurredAt: Date.now() }, Date.now()),
    ]).quarantined,
  ).toBe(2);
  seed.store.close();
  [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
});

afterAll(async () => {
  await browser?.close();
  if (running) await kill(running.child);
  rmSync(work, { recursive: true, force: true });
});

it('shows how many events are quarantined beside the sync state, and lists them with their reasons by keyboard, in English and French', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(running.url);
  const note = page.getByTestId('sync-quarantine');
  await eventually(() => note.textContent()).toBe('2 events quarantined');
  await note.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Quarantined events' });
  await eventually(() => dialog.getByTestId('quarantine-list').locator('li').count()).toBe(2);
  const items = await dialog.getByTestId('quarantine-list').locator('li').allTextContents();
  expect(items.join('\n')).toMatch(/Clock too far ahead.*incident\.status.*from Liam on laptop fastcl.*Stamped 3\sdays ahead of this laptop’s clock\./);
  expect(items.join('\n')).toMatch(/Unreadable by this version.*This version cannot read what it says\./);
  // The core's own words, with the technical detail, stay at hand for support.
  expect(await dialog.locator('.quarantine-reason').evaluateAll((spans) => spans.map((s) => s.getAttribute('title')).join('\n'))).toMatch(/payload\.status/);
  // The introduction says every kind of reason, sealed events and second declarations included (issue #9).
  expect(await dialog.getByTestId('quarantine-families').locator('li').allTextContents()).toEqual([
    expect.stringMatching(/^Unreadable: /),
    expect.stringMatching(/^Dated ahead: .*stays set aside even once that time comes/),
    expect.stringMatching(/^Sealed: .*no team key/),
    expect.stringMatching(/^Second declaration: /),
  ]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'quarantine-en.png') });
  await page.keyboard.press('Escape');
  await eventually(() => dialog.count()).toBe(0);
  await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)).toBe('sync-quarantine');

  // The same in French, reasons included: no English left in the list.
  await page.locator('.language-switch').getByRole('button', { name: 'FR' }).click();
  await eventually(() => note.textContent()).toBe('2 événements en quarantaine');
  await note.focus();
  await page.keyboard.press('Enter');
  const dialogFr = page.getByRole('dialog', { name: 'Événements en quarantaine' });
  await eventually(() => dialogFr.getByTestId('quarantine-list').locator('li').allTextContents()).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/Horloge trop en avance.*Horodaté 3\sjours en avance sur l’horloge de cet ordinateur\./),
      expect.stringMatching(/Illisible par cette version.*Cette version ne sait pas lire ce qu’il dit\./),
    ]),
  );
  expect((await dialogFr.getByTestId('quarantine-list').locator('li').allTextContents()).join('\n')).not.toMatch(/stamped|ahead|cannot read|payload/);
  expect(await dialogFr.getByTestId('quarantine-families').locator('li').allTextContents()).toEqual([
    expect.stringMatching(/^Illisible : /),
    expect.stringMatching(/^Daté en avance : .*reste à l’écart même une fois cette heure venue/),
    expect.stringMatching(/^Scellé : .*pas de clé d’équipe/),
    expect.stringMatching(/^Seconde déclaration : /),
  ]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'quarantine-fr.png') });
  await page.keyboard.press('Escape');
  expect(problems).toEqual([]);
  await context.close();
});
