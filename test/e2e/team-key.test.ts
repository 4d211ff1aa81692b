import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * The team key in the sync settings (issue #14), in the real console (browser mode, Debian's
 * Chromium), by keyboard: none → create → export the key file → rotate → import a key file, with
 * the state (key id, fingerprint, keys held) said in English and in French.
 */
let work: string;
let dataDir: string;
let running: Running;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-team-key-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = path.join(work, 'console');
  [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
});

afterAll(async () => {
  await browser?.close();
  if (running) await kill(running.child);
  rmSync(work, { recursive: true, force: true });
});

it('creates, exports, rotates and imports the team key by keyboard, saying its state in English and French', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(running.url);
  const dialog = page.getByRole('dialog');
  // `y` opens the sync settings once the console has loaded (a key pressed before that reaches nothing).
  const openSettings = () =>
    eventually(async () => {
      if ((await dialog.count()) === 0) await page.locator('body').press('y');
      return dialog.count();
    }, 30_000).toBe(1);
  await openSettings();
  const state = page.getByTestId('team-key-state');
  await eventually(() => state.textContent()).toMatch(/No team key: events go to the hub in clear/);

  await page.getByLabel('Team name').focus();
  await page.keyboard.type('ops');
  await page.keyboard.press('Tab');
  await eventually(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('Create a team key');
  await page.keyboard.press('Enter');
  await eventually(() => state.textContent()).toMatch(/Sealed for team “ops” — key [0-9a-f]{16}.*Fingerprint [0-9a-f]{5}(-[0-9a-f]{5}){3}.*1 key held/);
  // The built core (its worker bundle, sodium-native outside it) seals with libsodium, and says so:
  // an install where the addon does not load would say it falls back to JavaScript.
  expect(await state.textContent()).toContain('Sealed and opened here by libsodium.');
  // Kept like the hub token: a private file next to the store.
  expect(statSync(path.join(dataDir, 'team-key')).mode & 0o777).toBe(0o600);
  await dialog.screenshot({ path: path.join(SCREENSHOTS, 'team-key-en.png') });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export key file' }).focus();
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^warroom-team-key-ops-[0-9a-f]{16}\.json$/);
  const exported = path.join(work, file.suggestedFilename());
  await file.saveAs(exported);
  expect(JSON.parse(readFileSync(exported, 'utf8'))).toMatchObject({ format: 'warroom-team-key', team: 'ops' });

  await page.getByRole('button', { name: 'Rotate the key' }).focus();
  await page.keyboard.press('Enter');
  await eventually(() => state.textContent()).toMatch(/2 keys held/);
  // Importing the older key file merges: the newer key stays current, nothing is lost.
  await page.getByTestId('team-key-file').setInputFiles(exported);
  await eventually(() => page.getByText('Team key saved.').count()).toBe(1);
  expect(await state.textContent()).toMatch(/2 keys held/);

  await page.keyboard.press('Escape');
  await eventually(() => dialog.count()).toBe(0);
  await page.locator('.language-switch').getByRole('button', { name: 'FR' }).click();
  await openSettings();
  await eventually(() => state.textContent()).toMatch(
    /Scellé pour l’équipe « ops » — clé [0-9a-f]{16}.*Empreinte.*2 clés détenues.*Scellé et ouvert ici par libsodium\./,
  );
  await page.getByLabel('Phrase secrète (8 caractères ou plus)').focus();
  await page.keyboard.type('soleil levant');
  await page.keyboard.press('Enter');
  await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/L’appairage passe par le hub/);
  await dialog.screenshot({ path: path.join(SCREENSHOTS, 'team-key-fr.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'team-key-fr-1920.png') });
  expect(problems).toEqual([]);
  await context.close();
}, 90_000);
