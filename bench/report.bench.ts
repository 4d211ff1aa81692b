import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { HlcClock } from '../shared/record/hlc.js';
import { WarroomCore } from '../electron/core/core.js';
import { chromiumPdfPrinter, findChromium, printReport, type PrintStep } from '../electron/core/library/export.js';
import { reportHtml, reportModel } from '../shared/review/report.js';
import { viewIncident } from '../shared/record/fold.js';
import { DEFAULT_SLA_POLICY } from '../shared/clocks/sla.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { ms, percentile } from './stats.js';

/**
 * Goals (issue #5): exporting an incident of 10,000 entries takes under 2 s in each format;
 * a library search across 200 incidents answers in under 100 ms.
 */

const MIN = 60_000;
const WORDS = [
  'load balancer',
  'generator',
  'failover',
  'DNS resolver',
  'card authorisation',
  'ledger',
  'replica lag',
  'certificate',
  'queue backlog',
  'canary',
];

function open(dir: string) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  return { store, core: new WarroomCore(store, { dataDir: dir, transport: 'browser' }) };
}

/** An incident of `entries` timeline entries, resolved and reviewed, written in one transaction as a sync catch-up would. */
function incident(core: WarroomCore, entries: number, title: string, seed: number): string {
  const { incidentId } = core.handle('incident.declare', {
    title,
    occurredAt: Date.now() - 3 * 24 * 60 * MIN,
    detectedAt: Date.now() - 3 * 24 * 60 * MIN + 5 * MIN,
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'high',
    urgency: 'high',
    commander: 'Bench',
  });
  const clock = new HlcClock(`bench-${seed}`, Date.now);
  const start = Date.now() - entries * 1000;
  core.ingest(
    Array.from({ length: entries }, (_, i) => ({
      id: uuidv7(),
      incidentId,
      kind: 'timeline.entry',
      payload: {
        entryKind: i % 9 === 0 ? 'finding' : 'note',
        text: `Entry ${i}: checked the ${WORDS[(i + seed) % WORDS.length]} on node ${i % 40}`,
        occurredAt: start + i * 1000,
      },
      actor: `Scribe ${i % 5}`,
      deviceId: `bench-${seed}`,
      hlc: clock.tick(),
      recordedAt: start + i * 1000,
    })),
  );
  core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
  core.handle('incident.setStatus', { incidentId, status: 'resolved' });
  core.handle('review.saveNote', { incidentId, section: 'lesson', text: `Rehearse the ${WORDS[seed % WORDS.length]} failover every quarter`, cites: [] });
  core.handle('review.saveFactor', { incidentId, category: 'process', text: `No runbook for the ${WORDS[(seed + 3) % WORDS.length]}`, cites: [] });
  core.handle('task.create', {
    incidentId,
    title: `Automate the ${WORDS[seed % WORDS.length]} check`,
    owner: 'Bench',
    kind: 'followup',
    dueAt: Date.now() + 7 * 24 * 60 * MIN,
  });
  return incidentId;
}

export async function benchReportExport(entries = 10_000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-report-'));
  const steps = new Map<PrintStep, number>();
  const printer = chromiumPdfPrinter(undefined, (step, took) => steps.set(step, took));
  try {
    const { core, store } = open(dir);
    const incidentId = incident(core, entries, 'Bench: 10,000-entry incident', 1);
    console.log(`Report export, incident of ${entries.toLocaleString('en')} entries (goal < 2 s each)`);
    const time = (name: string, run: () => { base64: string }) => {
      const t = performance.now();
      const file = run();
      const took = performance.now() - t;
      console.log(`  ${name.padEnd(34)} ${ms(took)}   ${(Buffer.from(file.base64, 'base64').length / 1024 / 1024).toFixed(1)} MiB`);
    };
    time('Markdown', () => core.handle('export.report', { incidentId, format: 'markdown', language: 'en' }));
    time('HTML (self-contained)', () => core.handle('export.report', { incidentId, format: 'html', language: 'fr' }));
    time('archive (JSON)', () => core.handle('archive.export', { incidentId, gzip: false }));
    time('archive (gzip)', () => core.handle('archive.export', { incidentId, gzip: true }));
    if (!findChromium()) {
      console.log('  PDF                                skipped: no Chromium on this machine');
    } else {
      // The first print launches Chromium; the console keeps it warm, so both are shown.
      for (const label of ['PDF (cold: Chromium starts)', 'PDF (warm)']) {
        const t = performance.now();
        // The console's own path: the core builds the print layout, the host prints it.
        const file = await printReport(
          { incidentId, format: 'pdf', language: 'en' },
          async (input) => core.handle('export.report', input),
          printer,
          () => undefined,
        );
        const pdf = Buffer.from(file.base64, 'base64');
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
        console.log(`  ${label.padEnd(34)} ${ms(performance.now() - t)}   ${pages} pages`);
      }
      {
        steps.clear();
        let t = performance.now();
        const lap = () => {
          const now = performance.now();
          const took = now - t;
          t = now;
          return took;
        };
        const events = store.incidentEvents(incidentId);
        const view = viewIncident(store.incidentState(incidentId))!;
        const read = lap();
        const model = reportModel({ view, events, policy: DEFAULT_SLA_POLICY, now: Date.now(), language: 'en', timeZone: 'UTC' });
        const modelMs = lap();
        const html = reportHtml(model, 'print');
        const htmlMs = lap();
        const built = core.handle('export.report', { incidentId, format: 'html', language: 'en', layout: 'print' });
        const coreMs = lap();
        const text = Buffer.from(built.base64, 'base64').toString('utf8');
        const decodeMs = lap();
        const pdf = await printer.print(text);
        const printMs = lap();
        const encoded = pdf.toString('base64');
        const encodeMs = lap();
        // Where the warm time goes: the core's build split by running its parts here, the print's steps told by the printer.
        console.log(
          `  PDF (warm) step by step: print HTML ${(html.length / 1024 / 1024).toFixed(1)} MiB, PDF ${(pdf.length / 1024 / 1024).toFixed(1)} MiB (${(encoded.length / 1024 / 1024).toFixed(1)} in base64)`,
        );
        const line = (name: string, took: number) => console.log(`    ${name.padEnd(32)} ${ms(took)}`);
        line('read events + fold', read);
        line('report model', modelMs);
        line('print HTML', htmlMs);
        line('core build (the three + base64)', coreMs);
        line('base64 → text', decodeMs);
        for (const [step, took] of steps) line(`print: ${step}`, took);
        line('print in all', printMs);
        line('PDF → base64 (the file out)', encodeMs);
      }
    }
    store.close();
  } finally {
    await printer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchLibrarySearch(incidents = 200, entriesEach = 100, samples = 200): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-library-'));
  try {
    const { core, store } = open(dir);
    for (let i = 0; i < incidents; i++) incident(core, entriesEach, `Bench incident ${i}: ${WORDS[i % WORDS.length]} outage`, i);
    const queries = ['generator', 'failover quarter', 'canary', 'ledger node', 'cert', 'dns resolver', 'queue backlog automate', 'zzz nothing'];
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      core.handle('library.search', { query: queries[i % queries.length]! });
      times.push(performance.now() - t);
    }
    console.log(`Library search, ${incidents} incidents × ${entriesEach} entries (${store.eventCount().toLocaleString('en')} events; goal < 100 ms)`);
    console.log(`  ${'search (50 best hits, snippets)'.padEnd(34)} p50 ${ms(percentile(times, 50))}   p99 ${ms(percentile(times, 99))}`);
    const t = performance.now();
    core.handle('trends.get', { months: 12 });
    console.log(`  ${'trends (12 months)'.padEnd(34)} ${ms(performance.now() - t)}`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
