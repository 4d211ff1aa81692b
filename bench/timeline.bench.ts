import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { EventEnvelope, NoteKind } from '../shared/record/events.js';
import { encodeHlc } from '../shared/record/hlc.js';
import { ms, percentile } from './stats.js';

/**
 * The timeline with 100,000 entries, in Chromium against browser mode, as a commander meets
 * it: first render once the data has arrived, a text filter, the time from Enter to a new
 * entry on screen, and the page's JS heap. Goals (issue #3): < 200 ms, < 50 ms, < 50 ms, < 300 MB.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist', 'electron', 'browser.mjs');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const KINDS: NoteKind[] = ['note', 'note', 'note', 'action', 'finding', 'decision', 'hypothesis', 'external'];
const PEOPLE = ['Ana', 'Bruno', 'Chloé', 'Dmitri', 'Eve'];
const WORDS = ['checkout', 'latency', 'database', 'failover', 'customers', 'rollback', 'queue', 'cache', 'DNS', 'certificate'];
/** One entry in 400 mentions it: the filter's answer is a few hundred rows out of 100,000. */
const RARE = 'ledger';
/** Page reloads sampled for the first render. */
const RELOADS = 9;

/** Entries appended straight to the store, in batches, as a long incident (or a sync catch-up) would leave them. */
function seed(dir: string, total: number): string {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const start = Date.now() - total * 1000;
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => start - 60_000 });
  core.handle('settings.setActor', { actor: 'Ana' });
  const { incidentId } = core.handle('incident.declare', {
    title: 'Bench: payments outage',
    occurredAt: start - 120_000,
    detectedAt: start - 60_000,
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'low',
    urgency: 'low',
    commander: 'Ana',
  });
  for (let from = 0; from < total; from += 5000) {
    const batch: EventEnvelope[] = [];
    for (let i = from; i < Math.min(total, from + 5000); i++) {
      const at = start + i * 1000;
      const words = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`;
      batch.push({
        id: uuidv7(),
        incidentId,
        kind: 'timeline.entry',
        payload: { entryKind: KINDS[i % KINDS.length]!, text: `Entry ${i}: ${words}${i % 400 === 7 ? ` ${RARE}` : ''} checked by the bridge`, occurredAt: at },
        actor: PEOPLE[i % PEOPLE.length]!,
        deviceId: core.deviceId,
        hlc: encodeHlc({ wall: at, counter: 0, node: core.deviceId }),
        recordedAt: at,
      });
    }
    store.append(batch);
  }
  store.close();
  return incidentId;
}

function startConsole(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [ENTRY, '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) resolve({ child, url: match[0] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}:\n${output}`)));
  });
}

/**
 * The time from pressing `key` to the frame that first shows `condition` (a JS expression)
 * painted. The condition is checked at each animation frame, before that frame's style, layout
 * and paint: when it holds there, this frame is the one that draws it, and a task posted from
 * its animation-frame callback runs once the frame is painted. (Waiting for the next
 * animation frame instead, as this bench did, added the whole of the following frame, ~16 ms,
 * to every figure: by then the entry had been on screen for a frame.)
 * The listener is installed, and confirmed, before the key is sent: input can overtake a
 * script evaluation in the page. Sent as source text, since the page's CSP forbids building
 * functions from strings.
 */
async function keyToFrame(page: Page, press: () => Promise<void>, condition: string): Promise<number> {
  await page.evaluate(`window.__seen = new Promise((resolve, reject) => {
    let pressed = null;
    window.addEventListener('keydown', (event) => { pressed = event.timeStamp; }, { capture: true, once: true });
    const timeout = setTimeout(() => reject(new Error('not seen within 10 s: ' + ${JSON.stringify(condition)})), 10000);
    const check = () => {
      if (pressed !== null && (${condition})) {
        const painted = new MessageChannel();
        painted.port1.onmessage = () => { clearTimeout(timeout); resolve(performance.now() - pressed); };
        painted.port2.postMessage(null);
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }); true`);
  await press();
  return page.evaluate('window.__seen');
}

/** The filter (last key of a word to the frame showing only matching rows) and Enter to a new entry on screen. */
async function measureTyping(page: Page, label: string): Promise<{ filterTimes: number[]; entryTimes: number[] }> {
  // Filter by words: the last key of each word, to the frame showing only matching rows.
  await page.keyboard.press('/');
  const filterTimes: number[] = [];
  for (const word of [RARE, 'failover', 'chloe', 'certificate', 'entry 9999', RARE, 'dns', 'rollback', RARE, 'queue']) {
    await page.locator('#timeline-filter').fill('');
    await page.waitForFunction(() => !/ of /.test(document.querySelector('[data-testid="timeline-count"]')?.textContent ?? ''));
    // One keystroke measured: the word so far has been answered, as it would be between a person's keys.
    await page.keyboard.type(word.slice(0, -1), { delay: 120 });
    await page.waitForFunction(() => document.querySelector('.timeline-scroll')?.getAttribute('aria-busy') === 'false');
    const needle = word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    const time = await keyToFrame(
      page,
      () => page.keyboard.type(word.slice(-1)),
      // aria-busy clears when the rows answer the filter as typed, not an earlier prefix of it.
      `(() => { const rows = [...document.querySelectorAll('.timeline-row')];
        return document.querySelector('.timeline-scroll').getAttribute('aria-busy') === 'false' && rows.length > 0
          && rows.every((r) => r.textContent.toLowerCase().normalize('NFD').replace(/\\p{M}/gu, '').includes(${JSON.stringify(needle)})); })()`,
    );
    filterTimes.push(time);
  }
  await page.locator('#timeline-filter').fill('');
  await page.keyboard.press('Escape');

  // Enter to the new entry on screen, following the newest entries.
  await page.keyboard.press('n');
  const entryTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const text = `Bench entry ${label} ${i} ${Math.random().toString(36).slice(2, 8)}`;
    await page.keyboard.type(text);
    entryTimes.push(
      await keyToFrame(
        page,
        () => page.keyboard.press('Enter'),
        `[...document.querySelectorAll('.timeline-row .entry-text')].some((e) => e.textContent === ${JSON.stringify(text)})`,
      ),
    );
    await page.waitForFunction(() => (document.querySelector('#quick-entry') as HTMLInputElement).value === '');
  }

  // Out of the entry bar, so the next round's '/' opens the filter rather than typing a slash.
  await page.evaluate('document.activeElement?.blur()');
  return { filterTimes, entryTimes };
}

export async function benchTimeline(total = 100_000): Promise<void> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: npm run bench builds it first.`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-timeline-'));
  let running: { child: ChildProcess; url: string } | null = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    let t = performance.now();
    seed(dir, total);
    const seeded = performance.now() - t;
    t = performance.now();
    running = await startConsole(dir);
    const started = performance.now() - t;

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(() => {
      // When the first timeline row is in the DOM, and when the frame drawing it is painted (as keyToFrame).
      const marks: { row?: number; frame?: number } = {};
      (window as unknown as { __timeline: typeof marks }).__timeline = marks;
      const observer = new MutationObserver(() => {
        if (marks.row === undefined && document.querySelector('.timeline-row .entry-text')) {
          marks.row = performance.now();
          requestAnimationFrame(() => {
            const painted = new MessageChannel();
            painted.port1.onmessage = () => (marks.frame = performance.now());
            painted.port2.postMessage(null);
          });
          observer.disconnect();
        }
      });
      document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
    });
    const firstRows = async () => {
      await page.waitForFunction(() => (window as unknown as { __timeline: { frame?: number } }).__timeline.frame !== undefined, null, { timeout: 30_000 });
      return page.evaluate(() => {
        const query = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/call/timeline.query')) as PerformanceResourceTiming;
        const marks = (window as unknown as { __timeline: { frame: number } }).__timeline;
        return { time: marks.frame - query.responseEnd, bytes: query.encodedBodySize };
      });
    };
    t = performance.now();
    await page.goto(running.url);
    const cold = await firstRows();
    const toScreen = performance.now() - t;
    const idle = await measureTyping(page, 'idle');
    // Two processes spinning on the two cores, as a build or a video call would on the commander's laptop.
    const spinners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    let loaded: Awaited<ReturnType<typeof measureTyping>>;
    try {
      loaded = await measureTyping(page, 'loaded');
    } finally {
      for (const spinner of spinners) spinner.kill('SIGKILL');
    }

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const rows = await page.locator('.timeline-row').count();

    // One sample says little (the first open also compiles the bundle, and the machine's load
    // varies): the page is opened again, with the store and the browser as they are now. After
    // the typing, so the keys meet the core as before (its search index still catching up on
    // the 100,000 entries just written), not a core that had seconds of reloads to settle.
    const reloads: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      reloads.push((await firstRows()).time);
    }

    console.log(`Timeline in Chromium with ${total.toLocaleString('en')} entries (browser mode, 1366×768)`);
    console.log(`  seeding the store ${ms(seeded)}, browser mode up ${ms(started)}, page open to first rows on screen ${ms(toScreen)}`);
    console.log(
      `  first render after the data arrived, over ${RELOADS} page reloads  median ${ms(percentile(reloads, 50))}   (min ${ms(Math.min(...reloads))}, max ${ms(Math.max(...reloads))}; goal < 200 ms)`,
    );
    console.log(`  first render after the data arrived, first open of the page  ${ms(cold.time)}   (first window ${(cold.bytes / 1024).toFixed(0)} KiB)`);
    for (const [label, run, goal] of [
      ['idle', idle, 50],
      ['two busy processes', loaded, 100],
    ] as const) {
      console.log(
        `  ${label}: filter by text, last key to frame  p50 ${ms(percentile(run.filterTimes, 50))}   p95 ${ms(percentile(run.filterTimes, 95))}   (goal < 50 ms idle)`,
      );
      console.log(
        `  ${label}: new entry, Enter to frame          p50 ${ms(percentile(run.entryTimes, 50))}   p95 ${ms(percentile(run.entryTimes, 95))}   (goal < ${goal} ms)`,
      );
    }
    console.log(`  JS heap after load and use         ${(usedSize / 1024 / 1024).toFixed(1)} MB   (goal < 300 MB; ${rows} rows in the DOM)`);
  } finally {
    await browser.close();
    if (running) running.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
