import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { WarroomCore } from '../electron/core/core.js';
import { startCore } from '../electron/host/host.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { ms, percentile } from './stats.js';

const declare = {
  title: 'Bench incident',
  occurredAt: Date.now(),
  detectedAt: Date.now(),
  detectionSource: 'monitoring' as const,
  category: 'software' as const,
  impact: 'high' as const,
  urgency: 'high' as const,
  commander: 'Bench',
};

/** Durable append through the whole core vs the same row through a bare prepared INSERT, same pragmas, same disk. */
export function benchAppend(samples = 3000): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-'));
  try {
    const store = Store.open(path.join(dir, STORE_FILE_NAME));
    const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
    const { incidentId } = core.handle('incident.declare', declare);

    const bare = new Database(path.join(dir, 'bare.sqlite'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = FULL');
    bare.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, incident_id TEXT NOT NULL, kind TEXT NOT NULL,
      hlc TEXT NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, actor TEXT NOT NULL, device_id TEXT NOT NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload))) STRICT;
      CREATE INDEX events_timeline ON events (incident_id, occurred_at, hlc); CREATE INDEX events_hlc ON events (hlc);`);
    const insert = bare.prepare(
      'INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );

    const coreTimes: number[] = [];
    const bareTimes: number[] = [];
    // Interleaved so both pay the same disk conditions.
    for (let i = 0; i < samples; i++) {
      const text = `Entry ${i}: the quick brown fox checks the load balancer`;
      let t = performance.now();
      core.handle('timeline.log', { incidentId, entryKind: 'note', text });
      coreTimes.push(performance.now() - t);
      const now = Date.now();
      t = performance.now();
      insert.run(uuidv7(), incidentId, 'timeline.entry', `${String(now).padStart(15, '0')}:000000:bench`, now, now, 'Bench', 'bench',
        JSON.stringify({ entryKind: 'note', text, occurredAt: now }));
      bareTimes.push(performance.now() - t);
    }
    const row = (name: string, xs: number[]) => console.log(`  ${name.padEnd(34)} p50 ${ms(percentile(xs, 50))}   p99 ${ms(percentile(xs, 99))}`);
    console.log(`Durable append (${samples} samples, WAL + synchronous=FULL)`);
    row('core (validate+fold+projection+commit)', coreTimes);
    row('bare better-sqlite3 INSERT', bareTimes);
    console.log(
      `  ratio core/bare                    p50 ${(percentile(coreTimes, 50) / percentile(bareTimes, 50)).toFixed(2)}×   p99 ${(percentile(coreTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}×   (goal ≤ 1.5×)`,
    );
    store.close();
    bare.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Open a store of 100,000 events and answer the first "show this incident" query. */
export async function benchOpen(total = 100_000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-'));
  try {
    const store = Store.open(path.join(dir, STORE_FILE_NAME));
    const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
    const { incidentId } = core.handle('incident.declare', declare);
    const build = store.db.transaction(() => {
      for (let i = 1; i < total; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Entry ${i}` });
    });
    build();
    store.close();

    let t = performance.now();
    const reopened = Store.open(path.join(dir, STORE_FILE_NAME));
    const again = new WarroomCore(reopened, { dataDir: dir, transport: 'browser' });
    again.handle('incidents.list', {});
    again.handle('incident.get', { incidentId });
    const page = again.handle('timeline.list', { incidentId, offset: 0, limit: 5000 });
    const inProcess = performance.now() - t;
    reopened.close();

    t = performance.now();
    const handle = await startCore({ dataDir: dir, transport: 'browser' });
    await handle.call('incidents.list', {});
    await handle.call('incident.get', { incidentId });
    await handle.call('timeline.list', { incidentId, offset: 0, limit: 5000 });
    const viaWorker = performance.now() - t;
    await handle.close();

    console.log(`Open a store of ${total.toLocaleString('en')} events and show the incident (list + incident + first ${page.entries.length} timeline entries)`);
    console.log(`  in process                         ${ms(inProcess)}   (goal < 300 ms)`);
    console.log(`  through the core worker (as shipped, incl. worker start) ${ms(viaWorker)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
