import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, reviewedIncident, HOSTILE } from '../library-fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * A facilitator after the incident, in the real app (browser mode, real core and SQLite,
 * Debian's Chromium): exports the report in all three formats and checks the files, moves the
 * incident to a second console as an archive, searches the library, reads the trends, and
 * runs a drill at 10× — by keyboard wherever the console offers a key.
 */

/** Script errors and CSP refusals, so every page must run clean under the server's strict policy. */
async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.text().startsWith('CSP violation')) problems.push(message.text());
  });
  return page;
}

const SHORT_SCENARIO = {
  format: 'warroom-scenario',
  version: 1,
  id: 'e2e-backlog',
  title: 'Order backlog (e2e)',
  summary: 'Three injects, ten seconds apart in scenario time.',
  incident: {
    title: 'Order queue backlog',
    description: 'Orders pile up in the queue.',
    services: ['orders'],
    reporter: 'Queue monitor',
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'medium',
    urgency: 'high',
    detectedAfterMs: 60_000,
  },
  injects: [
    { atMs: 0, entryKind: 'external', from: 'Queue monitor', text: 'Backlog at 10,000 messages' },
    { atMs: 10_000, entryKind: 'finding', from: 'Platform team', text: 'One consumer pod is crash-looping' },
    { atMs: 20_000, entryKind: 'external', from: 'Customer service', text: 'Customers report late order confirmations' },
  ],
  reference: { respondMs: 300_000, mitigateMs: 1_800_000, resolveMs: null },
};

/** Page objects in a PDF (the page tree's /Pages node does not count). */
const rowTexts = (page: Page) => page.locator('.timeline-row .entry-text:not(.entry-detail)').allTextContents();

const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;

describe('library, exports and drills in Chromium (browser mode)', () => {
  let work: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let first: Running;
  let second: Running | undefined;
  let incidentId: string;
  let followups: string[];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
    work = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-library-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A resolved, reviewed incident recorded before the facilitator opens the console.
    const dataDir = path.join(work, 'first');
    const seed = openCore(dataDir);
    ({ incidentId, followups } = reviewedIncident(seed.core, { title: `Generator failover ${HOSTILE}`, entries: 40 }));
    reviewedIncident(seed.core, { title: 'DNS resolution failing in eu-west', category: 'network', factor: 'No canary stage before production' });
    seed.store.close();
    [first, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', acceptDownloads: true });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    page = await watchedPage(context, problems);
    await page.goto(first.url);
    await page.locator('.console-header').waitFor();
    // Open the reviewed incident (the list may start on the other one).
    await page.evaluate((id) => localStorage.setItem('warroom.incident', id), incidentId);
    await page.reload();
    await page.locator('.incident-title').filter({ hasText: 'Generator failover' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    if (first) await kill(first.child);
    if (second) await kill(second.child);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function exportReport(format: 'Markdown' | 'HTML (one file)' | 'PDF'): Promise<{ name: string; file: string }> {
    await page.keyboard.press('e');
    await page.getByRole('heading', { name: 'Export' }).waitFor();
    await page.getByRole('radio', { name: format }).check();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.keyboard.press('Enter')]);
    const file = path.join(work, download.suggestedFilename());
    await download.saveAs(file);
    await eventually(() => page.getByTestId('export-saved').textContent()).toBe(`Saved as ${download.suggestedFilename()}`);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Export' }).waitFor({ state: 'detached' });
    return { name: download.suggestedFilename(), file };
  }

  it('exports the report as Markdown that lists every follow-up', async () => {
    const { name, file } = await exportReport('Markdown');
    expect(name).toMatch(/^generator-failover-img-src-x-onerror-alert-1-report-en-\d{4}-\d{2}-\d{2}\.md$/);
    const md = readFileSync(file, 'utf8');
    for (const title of followups)
      // shared/text/markdown.ts: angle brackets as entities; parentheses stay (no link without [...]).
      expect(md).toContain(title.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(md).toMatch(/^## Follow-up actions$/m);
    expect(md).not.toContain('<img');
  });

  it('exports one HTML file that opens offline and asks for nothing from anywhere', async () => {
    const { file } = await exportReport('HTML (one file)');
    const html = readFileSync(file, 'utf8');
    const offline = await browser.newContext({ offline: true, javaScriptEnabled: true });
    const requests: string[] = [];
    await offline.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const reader = await offline.newPage();
    const dialogs: string[] = [];
    reader.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await reader.setContent(html, { waitUntil: 'load' });
    await reader.getByRole('heading', { name: 'Follow-up actions' }).waitFor();
    expect(await reader.locator('table.followups tbody tr').count()).toBe(followups.length);
    expect(await reader.locator('svg').count()).toBe(1);
    // The hostile title is shown as text and never runs.
    expect(await reader.locator('h1').textContent()).toBe(`Generator failover ${HOSTILE}`);
    expect(await reader.locator('img').count()).toBe(0);
    await reader.screenshot({ path: path.join(SCREENSHOTS, 'report-html-1366x768.png') });
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    await offline.close();
  });

  it('exports a PDF with pages, printed by the system Chromium', async () => {
    const { name, file } = await exportReport('PDF');
    expect(name).toMatch(/\.pdf$/);
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPages(pdf)).toBeGreaterThanOrEqual(2);
  });

  it('searches the library by keyboard and opens the incident a lesson came from', async () => {
    await page.evaluate((id) => localStorage.setItem('warroom.incident', id), incidentId);
    await page.keyboard.press('b');
    await page.getByRole('heading', { name: 'Incident library' }).waitFor();
    // The search box has the focus.
    await page.keyboard.type('canary');
    await eventually(() => page.locator('.library-status').textContent()).toBe('6 results in 2 incident(s)');
    expect(await page.locator('.library-hit mark').first().textContent()).toMatch(/^canary$/i);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'library-search-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'library-search-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.keyboard.press('ArrowDown');
    const target = await page.evaluate(() => (document.activeElement as HTMLElement).dataset['incidentId']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['incidentId'])).toBe(target);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Incident library' }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => localStorage.getItem('warroom.incident'))).toBe(target);
  });

  it('shows the trends as charts, drills left out', async () => {
    await page.keyboard.press('b');
    await page.getByRole('tab', { name: 'Trends' }).click();
    await eventually(() => page.getByTestId('trends-summary').textContent()).toBe('2 incident(s) over the last 12 months. Drills never count (0 left out).');
    await page.locator('.trend-chart .recharts-bar-rectangle').first().waitFor();
    expect(await page.locator('.trend-factors li').first().textContent()).toContain('No canary stage before production');
    expect(await page.locator('.trend-factors li').first().textContent()).toContain('2 incident(s)');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'library-trends-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'library-trends-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.keyboard.press('Escape');
  });

  it('moves the incident to a second console as an archive: same incident there, twice changes nothing', async () => {
    await page.evaluate((id) => localStorage.setItem('warroom.incident', id), incidentId);
    await page.reload();
    await page.locator('.incident-title').filter({ hasText: 'Generator failover' }).waitFor();
    // The timeline is virtualised: the count, and the newest rows it is pinned to, stand for the whole.
    const countA = await page.getByTestId('timeline-count').textContent();
    const timelineA = await rowTexts(page);
    expect(timelineA.length).toBeGreaterThan(5);
    await page.keyboard.press('e');
    await page.getByRole('heading', { name: 'Export' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the archive' }).click()]);
    const archive = path.join(work, download.suggestedFilename());
    await download.saveAs(archive);
    expect(download.suggestedFilename()).toMatch(/\.warroom\.json$/);
    await page.keyboard.press('Escape');

    second = await startConsole(path.join(work, 'second'));
    const other = await watchedPage(context, problems);
    await other.goto(second.url);
    await other.getByRole('heading', { name: 'No incident yet' }).waitFor();
    const importOnce = async () => {
      if (!(await other.getByRole('heading', { name: 'Import an incident archive' }).isVisible())) {
        await other.getByRole('button', { name: 'Import an incident archive' }).click();
      }
      const [chooser] = await Promise.all([other.waitForEvent('filechooser'), other.getByRole('button', { name: 'Choose a file…' }).click()]);
      await chooser.setFiles(archive);
      await other.getByTestId('import-result').waitFor();
      return other.getByTestId('import-result').locator('p').textContent();
    };
    expect(await importOnce()).toMatch(/^Imported “Generator failover <img src=x onerror=alert\(1\)>”: \d+ new entries, 0 already here\.$/);
    await other.screenshot({ path: path.join(SCREENSHOTS, 'archive-import-1366x768.png') });
    await other.getByRole('button', { name: 'Open the incident' }).click();
    await other.locator('.incident-title').filter({ hasText: 'Generator failover' }).waitFor();
    await eventually(() => other.getByTestId('timeline-count').textContent()).toBe(countA);
    // The newest entries, which both timelines are pinned to (how many more fit depends on each window's header).
    await eventually(async () => (await rowTexts(other)).slice(-8)).toEqual(timelineA.slice(-8));
    await other.keyboard.press('b');
    await other.getByRole('button', { name: 'Import an archive…' }).click();
    expect(await importOnce()).toMatch(/: 0 new entries, \d+ already here\.$/);
    // A refused archive is said by its reason in the UI's words, not the core's English nor zod's.
    const newer = path.join(work, 'newer.warroom.json');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(readFileSync(archive, 'utf8')), version: 2 }));
    const [chooser] = await Promise.all([other.waitForEvent('filechooser'), other.getByRole('button', { name: 'Choose a file…' }).click()]);
    await chooser.setFiles(newer);
    await eventually(() => other.locator('.error-note').first().textContent()).toBe(
      'The archive was not imported: The archive was written by a newer version of Warroom (archive v2; this version reads v1): update Warroom to import it.',
    );
    await other.screenshot({ path: path.join(SCREENSHOTS, 'archive-import-refused-1366x768.png') });
    await other.close();
  });

  it('runs a drill from a scenario file at 10×: injects arrive on the scaled schedule, marked as a drill, compared with the original', async () => {
    const scenarioFile = path.join(work, 'e2e-scenario.json');
    writeFileSync(scenarioFile, JSON.stringify(SHORT_SCENARIO));
    // x on a focused timeline entry redacts it; from anywhere else it opens the drill dialog.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('x');
    await page.getByRole('heading', { name: 'Run a drill' }).waitFor();
    await page.locator('.drill-source').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'drill-dialog-1366x768.png') });
    await page.getByRole('radio', { name: /A scenario file/ }).check();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose the file…' }).click()]);
    await chooser.setFiles(scenarioFile);
    await page.getByText('File: e2e-scenario.json').waitFor();
    await page.getByRole('radio', { name: '10×' }).check();
    await page.keyboard.press('Control+Enter');
    await page.locator('.incident-title').filter({ hasText: 'Drill: Order queue backlog' }).waitFor();
    expect(await page.locator('.console-header .drill-badge').first().textContent()).toBe('Drill');
    // 0 s, 1 s and 2 s at 10×.
    await eventually(() => page.getByTestId('drill-injects').textContent(), 15_000).toBe('Injects 3 / 3');
    const texts = await rowTexts(page);
    for (const inject of SHORT_SCENARIO.injects) expect(texts.some((x) => x.includes(inject.text))).toBe(true);
    await page.locator('#status-select').selectOption('investigating');
    await eventually(() => page.getByTestId('drill-compare-respond').textContent()).toMatch(/^Respond.* vs 5 min \(.* faster\)$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'drill-bar-1366x768.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'drill-bar-1920x1080.png') });
    await page.setViewportSize({ width: 1366, height: 768 });

    // A drill never shows in the library unless asked for.
    await page.keyboard.press('b');
    await page.locator('#library-query').fill('backlog');
    await eventually(() => page.locator('.library-status').textContent()).toBe('Nothing found for “backlog”.');
    await page.getByLabel('Include drills').check();
    await eventually(() => page.locator('.library-group .drill-badge').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });
});
