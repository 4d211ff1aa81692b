import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SyncEngine } from '../electron/sync/sync.js';
import { hubCli, startHub } from '../hub/test/support.js';
import { createKeyring, type TeamKeyring } from '../shared/sync/team-key.js';
import { ms } from './stats.js';

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** The engine's own timers stay out of the way: each bench starts its round on purpose. */
const MANUAL = { pushDelayMs: 2 ** 30, pollMs: 2 ** 30 };

const declare = {
  title: 'Bench incident',
  occurredAt: Date.UTC(2026, 0, 5, 8, 0),
  detectedAt: Date.UTC(2026, 0, 5, 8, 2),
  detectionSource: 'monitoring' as const,
  category: 'network' as const,
  impact: 'high' as const,
  urgency: 'high' as const,
  commander: 'Bench',
};

function laptop(dir: string, token: string, keyring: TeamKeyring | null) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const sync = new SyncEngine(core, store, { token, timing: MANUAL, keyring });
  core.attachSync(sync);
  return { store, core, sync };
}

async function round(device: ReturnType<typeof laptop>): Promise<number> {
  const t = performance.now();
  device.sync.syncNow();
  await device.sync.idle();
  const took = performance.now() - t;
  const status = device.sync.status();
  if (status.state !== 'up_to_date' || status.pending !== 0) throw new Error(`sync did not complete: ${status.state} ${status.error ?? ''}`);
  return took;
}

/**
 * Issue #14: what sealing costs. One run, the same incident, the same hub process: a team in clear
 * and a team that seals. Append = the keystroke-to-log writes and the sealing of every one of
 * them into the outbox (right after it is stored, many per transaction: Store.queueSeals); push =
 * a day offline to the hub (sealed events leave as they were sealed); catch-up = a fresh laptop
 * pulling it all.
 */
export async function benchSealed(total = 20_000, passes = 3): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-sealed-'));
  const db = path.join(dir, 'hub.sqlite');
  // A team of its own for each pass: a fresh laptop pulls a team's whole record, so a pass on the
  // teams of the passes before would pull their events too (20k, then 40k, then 60k) and the best
  // of the passes would always be the first.
  const tokens: Record<string, string> = {};
  const rings: TeamKeyring[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const team of [`clear-${pass}`, `sealed-${pass}`]) tokens[team] = (await hubCli(['token', 'create', team, '--db', db])).stdout.trim();
    rings.push(createKeyring(`sealed-${pass}`, Date.now() - 60_000));
  }
  const hub = await startHub({ args: ['--db', db], env: {} }, ['--rate-limit', '1000000']);
  type Figures = { append: number; push: number; catchUp: number; appendCpu: number; catchUpCpu: number };
  const figures: Record<string, Figures> = {};
  try {
    // Alternated, keeping the best of each: the machine is shared and warms up as it goes.
    for (let pass = 0; pass < passes; pass++) {
      for (const team of ['clear', 'sealed'] as const) {
        const keyring = team === 'sealed' ? rings[pass]! : null;
        const token = tokens[`${team}-${pass}`]!;
        const writer = laptop(path.join(dir, `${team}-writer-${pass}`), token, keyring);
        const { incidentId } = writer.core.handle('incident.declare', declare);
        let cpu = process.cpuUsage();
        let t = performance.now();
        for (let i = 1; i < total; i++)
          writer.core.handle('timeline.log', {
            incidentId,
            entryKind: 'note',
            text: `Entry ${i}: BGP session to edge-${i % 40} reset, traffic shifted to the backup path`,
          });
        // Sealed right after they are stored (the writes that fill a batch seal it): the last ones on the next turn, counted here.
        await new Promise((resolve) => setImmediate(resolve));
        const append = performance.now() - t;
        const appendCpu = cpuMs(process.cpuUsage(cpu));
        writer.sync.configure({ hubUrl: hub.url, enabled: true });
        const push = await round(writer);
        writer.sync.stop();
        writer.store.close();

        const reader = laptop(path.join(dir, `${team}-reader-${pass}`), token, keyring);
        reader.sync.configure({ hubUrl: hub.url, enabled: true });
        cpu = process.cpuUsage();
        t = performance.now();
        await round(reader);
        const catchUp = performance.now() - t;
        // This process's CPU (the hub is another): steadier than wall time when other work shares the cores.
        const catchUpCpu = cpuMs(process.cpuUsage(cpu));
        if (reader.store.timeline(incidentId, 0, 1).total < total - 1) throw new Error(`the ${team} reader did not get the incident`);
        if (reader.store.eventCount() !== total) throw new Error(`the ${team} reader pulled ${reader.store.eventCount()} events, not the pass's ${total}`);
        if (reader.store.quarantineCount() !== 0) throw new Error(`the ${team} reader quarantined events`);
        reader.sync.stop();
        reader.store.close();
        const best = figures[team];
        const now: Figures = { append, push, catchUp, appendCpu, catchUpCpu };
        figures[team] = best ? (Object.fromEntries(Object.entries(now).map(([k, v]) => [k, Math.min(v, best[k as keyof Figures])])) as Figures) : now;
      }
    }
    const clear = figures['clear']!;
    const sealed = figures['sealed']!;
    const row = (label: string, a: number, b: number) =>
      console.log(`  ${label.padEnd(38)} clear ${ms(a).padStart(14)}   sealed ${ms(b).padStart(14)}   ratio ${(b / a).toFixed(2)}×`);
    console.log(
      `Sealed team record: ${total.toLocaleString('en')} events, a team in clear vs a team sealing (XChaCha20-Poly1305), same hub process (SQLite), best of ${passes}`,
    );
    row('append (keystroke to log, per event)', clear.append / total, sealed.append / total);
    row('push a day offline (outbox to hub)', clear.push, sealed.push);
    row('append + push', clear.append + clear.push, sealed.append + sealed.push);
    row('catch-up (fresh laptop pulls it all)', clear.catchUp, sealed.catchUp);
    row('append, CPU of this process (per event)', clear.appendCpu / total, sealed.appendCpu / total);
    row('catch-up, CPU of the laptop (not hub)', clear.catchUpCpu, sealed.catchUpCpu);
    console.log('  goal: append and catch-up sealed ≤ 1.1× clear');
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
