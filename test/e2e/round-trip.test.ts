import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareInput } from '../helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, ENTRY, eventually, kill, SCREENSHOTS, startConsole, type Running } from './harness.js';

/**
 * One round trip per command (#11): a change notice carries the new view and list entry of what
 * changed, so the panes update from it and read again only the timeline window; never the whole
 * view (app.info, incidents.list, incident.get). Every API call the page makes is counted at the
 * transport (browser mode: POST /api/call/<channel>).
 */

/** The reads a whole-view refetch makes; after a command only the timeline window may be read again. */
const VIEW_READS = new Set(['app.info', 'incidents.list', 'incident.get', 'timeline.query']);
const NOTE = 'Error rate back under 1% after the rollback';

describe('one round trip per command (Chromium, browser mode)', () => {
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let running: Running;
  const calls: string[] = [];

  /** Wait until the page has made no new call for a while: what a command set off has all been asked. */
  const settled = async () => {
    for (let seen = -1; seen !== calls.length;) {
      seen = calls.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const viewReads = () => calls.filter((channel) => VIEW_READS.has(channel));
  /** Another window on the same console (same session): its calls are not the page's. */
  const elsewhere = async (channel: string, input: unknown) => {
    const response = await context.request.post(new URL(`/api/call/${channel}`, running.url).href, { data: input });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-e2e-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    [running, browser] = await Promise.all([startConsole(dataDir), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('request', (request) => {
      const channel = /\/api\/call\/([\w.]+)$/.exec(new URL(request.url()).pathname)?.[1];
      if (channel) calls.push(channel);
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await kill(running.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('an incident declared elsewhere appears from its change notice and becomes the selection', async () => {
    await page.goto(running.url);
    await page.getByRole('heading', { name: 'No incident yet' }).waitFor();
    await settled();
    calls.length = 0;
    await elsewhere('incident.declare', declareInput);
    await eventually(() => page.locator('.incident-title').textContent()).toBe(declareInput.title);
    await settled();
    // The list came with the notice; only the newly selected incident is read, once.
    expect(calls.filter((c) => c === 'incidents.list' || c === 'app.info')).toEqual([]);
    expect(calls.filter((c) => c === 'incident.get')).toEqual(['incident.get']);
  });

  it('a note typed in the quick-entry bar: the command alone, the row comes with the notice', async () => {
    calls.length = 0;
    await page.locator('#quick-entry').focus();
    await page.keyboard.type(NOTE);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain(NOTE);
    await settled();
    // The row came with the notice: nothing is read again. Nothing else either: a pane that read
    // again on every notice (the comms pane's deliveries did, a whole-incident read) holds the
    // core's queue while the next entry is typed.
    expect(calls).toEqual(['timeline.log']);
  });

  it('a status changed elsewhere reaches the header and the timeline from the notice, with no read', async () => {
    calls.length = 0;
    const [{ id }] = (await elsewhere('incidents.list', {})) as unknown as [{ id: string }];
    await elsewhere('incident.setStatus', { incidentId: id, status: 'investigating' });
    await eventually(() => page.locator('#status-select').inputValue()).toBe('investigating');
    await eventually(() => page.locator('.timeline-row .entry').last().getAttribute('data-kind')).toBe('incident.status');
    await settled();
    expect(viewReads()).toEqual([]);
  });

  it('a star elsewhere on a row on screen changes it from the notice; an entry dated earlier is placed by one read', async () => {
    const [{ id }] = (await elsewhere('incidents.list', {})) as unknown as [{ id: string }];
    const { rows } = (await elsewhere('timeline.query', { incidentId: id, filter: { text: NOTE } })) as unknown as { rows: [{ event: { id: string } }] };
    calls.length = 0;
    await elsewhere('timeline.star', { incidentId: id, targetId: rows[0].event.id, starred: true });
    await eventually(() => page.locator('.timeline-row', { hasText: NOTE }).locator('.entry-star').count()).toBe(1);
    await settled();
    expect(viewReads()).toEqual([]);

    calls.length = 0;
    await elsewhere('timeline.log', { incidentId: id, entryKind: 'finding', text: 'Pool exhausted since 08:55', occurredAt: declareInput.occurredAt + 60_000 });
    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain('Pool exhausted since 08:55');
    await settled();
    expect(viewReads()).toEqual(['timeline.query']);
  });

  it('another incident declared elsewhere joins the list and the switcher clocks from the notice, with no read at all', async () => {
    calls.length = 0;
    await elsewhere('incident.declare', { ...declareInput, title: 'Search is slow' });
    // The switcher shows from two incidents on.
    await page.locator('.switcher-button').waitFor();
    await settled();
    expect(viewReads()).toEqual([]);
    await page.locator('.switcher-button').click();
    await eventually(() => page.locator('#incident-list').innerText()).toContain('Search is slow');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'round-trip-list-from-notice-1366x768.png') });
    await page.keyboard.press('Escape');
  });

  it('the hand-off dialog open: a hypothesis from elsewhere joins its briefing from the notice, and a note reads nothing', async () => {
    const list = (await elsewhere('incidents.list', {})) as unknown as { id: string; title: string }[];
    const { id } = list.find((incident) => incident.title === declareInput.title)!;
    await page.keyboard.press('h');
    const preview = page.getByRole('dialog', { name: 'Hand off command' }).getByTestId('briefing');
    await preview.waitFor();
    await settled();
    calls.length = 0;
    await elsewhere('timeline.log', { incidentId: id, entryKind: 'hypothesis', text: 'The pool is too small for the retry storm' });
    await eventually(() => preview.getByTestId('briefing-hypotheses').innerText()).toContain('The pool is too small for the retry storm');
    await elsewhere('timeline.log', { incidentId: id, entryKind: 'note', text: 'Bridge call moved to room 2' });
    await eventually(() => page.locator('.timeline-row .entry-text').allTextContents()).toContain('Bridge call moved to room 2');
    await settled();
    // The briefing's hypotheses and their verdicts are not read again for an entry typed while it is open.
    expect(calls.filter((c) => c === 'timeline.query' || c === 'review.get')).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'round-trip-handoff-from-notice-1366x768.png') });
    await page.keyboard.press('Escape');
  });
});
