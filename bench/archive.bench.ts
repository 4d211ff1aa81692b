import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { HlcClock } from '../shared/record/hlc.js';
import { WarroomCore } from '../electron/core/core.js';
import { startCore } from '../electron/host/host.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { ms, percentile } from './stats.js';

/**
 * Issue #9: `archive.export` of a 200,000-event incident must produce a file its own import
 * reads, keep memory bounded, and never stall recording (an entry typed during the export
 * waited 3.8 s and memory reached 880 MB before). Prints the export's time and size, the
 * latency of notes typed while it runs, the process's peak RSS, the import's time and the
 * latency of notes typed on the importing console while the import runs.
 */
const EVENTS = Number(process.env['ARCHIVE_BENCH_EVENTS'] ?? 200_000);

function seed(dir: string): string {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const { incidentId } = core.handle('incident.declare', {
    title: 'Archive bench',
    occurredAt: Date.now() - 3 * 86_400_000,
    detectedAt: Date.now() - 3 * 86_400_000 + 300_000,
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'high',
    urgency: 'high',
    commander: 'Bench',
  });
  const clock = new HlcClock('bench-laptop', Date.now);
  const start = Date.now() - EVENTS * 1000;
  for (let from = 0; from < EVENTS; from += 10_000) {
    core.ingest(
      Array.from({ length: Math.min(10_000, EVENTS - from) }, (_, k) => ({
        id: uuidv7(),
        incidentId,
        kind: 'timeline.entry',
        payload: { entryKind: 'note', text: `Bridge note ${from + k}: load balancer pool checked, replica lag 4 s`, occurredAt: start + (from + k) * 1000 },
        actor: 'Scribe',
        deviceId: 'bench-laptop',
        hlc: clock.tick(),
        recordedAt: start + (from + k) * 1000,
      })),
    );
  }
  store.close();
  return incidentId;
}

export async function benchArchiveExport(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-archive-'));
  const other = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-archive-'));
  try {
    const incidentId = seed(dir);
    const host = await startCore({ dataDir: dir, transport: 'browser' });
    try {
      let peakRss = process.memoryUsage().rss;
      const baseRss = peakRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const latencies: number[] = [];
      let exporting = true;
      const started = performance.now();
      const file = host.call('archive.export', { incidentId, gzip: true }).finally(() => (exporting = false));
      // A person typing a note every 100 ms for as long as the export runs.
      while (exporting) {
        const at = performance.now();
        await host.call('timeline.log', { incidentId, entryKind: 'note', text: 'Typed during the export' });
        latencies.push(performance.now() - at);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { base64 } = await file;
      const exportMs = performance.now() - started;
      clearInterval(sampler);
      const bytes = Buffer.byteLength(base64, 'base64');
      console.log(`archive export, ${EVENTS.toLocaleString('en')} events (gzip): ${ms(exportMs)}, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
      console.log(
        `  notes typed during it: ${latencies.length}, median ${ms(percentile(latencies, 50))}, max ${ms(Math.max(...latencies))}; ` +
          `peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (${((peakRss - baseRss) / 1024 / 1024).toFixed(0)} MB above the start)`,
      );
      // The import on another console, through its core worker as the window calls it, while a
      // person types a note every 100 ms in an incident already open there: how long a note waits
      // while an import runs (it reads, checks and writes the file a slice at a time, and the
      // worker records what is typed between two slices).
      const importer = await startCore({ dataDir: other, transport: 'browser' });
      try {
        const { incidentId: open } = await importer.call('incident.declare', {
          title: 'Open while importing',
          occurredAt: Date.now() - 600_000,
          detectedAt: Date.now() - 300_000,
          detectionSource: 'monitoring',
          category: 'software',
          impact: 'high',
          urgency: 'high',
          commander: 'Bench',
        });
        const typed: number[] = [];
        let importing = true;
        const at = performance.now();
        const imported = importer.call('archive.import', { base64 }).finally(() => (importing = false));
        while (importing) {
          const noteAt = performance.now();
          await importer.call('timeline.log', { incidentId: open, entryKind: 'note', text: 'Typed during the import' });
          typed.push(performance.now() - noteAt);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const result = await imported;
        console.log(`  import on another console: ${ms(performance.now() - at)}, ${result.imported.toLocaleString('en')} events`);
        console.log(`  notes typed during the import: ${typed.length}, median ${ms(percentile(typed, 50))}, max ${ms(Math.max(...typed))}`);
      } finally {
        await importer.close();
      }
    } finally {
      await host.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
}
