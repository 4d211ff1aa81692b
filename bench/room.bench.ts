import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SyncEngine } from '../electron/sync/sync.js';
import { pullWorker } from '../electron/sync/pull-worker-client.js';
import { RoomPeer, type PeerCode } from '../electron/sync/room.js';
import { hubCli, startHub } from '../hub/test/support.js';
import { createKeyring, type TeamKeyring } from '../shared/sync/team-key.js';
import { ms } from './stats.js';

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

function laptop(dir: string, token: string | null, keyring: TeamKeyring) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const sync = new SyncEngine(core, store, { token, timing: MANUAL, keyring });
  core.attachSync(sync);
  return { store, core, sync };
}

async function hubRound(device: ReturnType<typeof laptop>): Promise<number> {
  const t = performance.now();
  device.sync.syncNow();
  await device.sync.idle();
  const took = performance.now() - t;
  const status = device.sync.status();
  if (status.state !== 'up_to_date' || status.pending !== 0) throw new Error(`sync did not complete: ${status.state} ${status.error ?? ''}`);
  return took;
}

/** The writer's console serving its store to room peers, in a process of its own (bench/room-peer.ts). */
async function servePeer(dir: string, ring: TeamKeyring): Promise<{ code: PeerCode; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'room-peer.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(`${JSON.stringify({ dir, ring })}\n`);
  let out = '';
  const code = await new Promise<PeerCode>((resolve, reject) => {
    child.once('exit', (status) => reject(new Error(`the serving console exited (${status}) before it served`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out) as PeerCode);
    });
  });
  return {
    code,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/**
 * CPU time of this process's main thread (the core's), in ms, from Linux's per-thread accounting
 * (/proc, in clock ticks of 10 ms); null elsewhere. The pull worker's time is not in it.
 */
function coreThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The longest this thread went without a turn of its event loop, from now until stop(): what a keystroke would have waited. */
function longestHold(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/**
 * Issue #14: room sync between two consoles against the hub path, sealed both ways, one run. The
 * writer holds `total` events; through the room the reader makes one exchange with the writer's
 * peer endpoint, served from a process of its own as another laptop's would be (it pulls them
 * all); through the hub the writer pushes them and the reader pulls them.
 */
export async function benchRoom(total = 10_000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-room-'));
  const db = path.join(dir, 'hub.sqlite');
  const ring = createKeyring('ops', Date.now() - 60_000);
  const hub = await startHub({ args: ['--db', db], env: {} }, ['--rate-limit', '1000000']);
  const figures: { room: number; push: number; catchUp: number; longest: number; core: number }[] = [];
  try {
    for (const pass of [0, 1]) {
      const token = (await hubCli(['token', 'create', `ops${pass}`, '--db', db])).stdout.trim();
      const writerDir = path.join(dir, `writer-${pass}`);
      let writer = laptop(writerDir, token, ring);
      const { incidentId } = writer.core.handle('incident.declare', declare);
      for (let i = 1; i < total; i++)
        writer.core.handle('timeline.log', {
          incidentId,
          entryKind: 'note',
          text: `Entry ${i}: BGP session to edge-${i % 40} reset, traffic shifted to the backup path`,
        });

      // Sealed into the outbox right after they are stored: the last ones on the next turn.
      await new Promise((resolve) => setImmediate(resolve));
      writer.sync.stop();
      writer.store.close();

      // The room: the writer's console serves on loopback from a process of its own, the reader makes one exchange.
      const peer = await servePeer(writerDir, ring);
      const roomReader = laptop(path.join(dir, `room-reader-${pass}`), null, ring);
      // Started before the exchange, as a console's is by the time a peer is added (bench/sync.bench.ts prints its start).
      if (!(await pullWorker().started)) throw new Error('the pull worker did not start');
      const held = longestHold();
      const coreCpu = coreThreadCpuMs();
      let t = performance.now();
      const moved = await new RoomPeer(roomReader.core, roomReader.store, () => ring, peer.code).syncOnce();
      const room = performance.now() - t;
      const longest = held.stop();
      const coreCpuAfter = coreThreadCpuMs();
      const core = coreCpu === null || coreCpuAfter === null ? Number.NaN : coreCpuAfter - coreCpu;
      if (moved.pulled !== total || roomReader.store.quarantineCount() !== 0) throw new Error(`the room reader got ${moved.pulled} of ${total} events`);
      await peer.stop();
      roomReader.sync.stop();
      roomReader.store.close();

      // The hub: the writer pushes, a fresh reader catches up.
      writer = laptop(writerDir, token, ring);
      writer.sync.configure({ hubUrl: hub.url, enabled: true });
      const push = await hubRound(writer);
      writer.sync.stop();
      writer.store.close();
      const hubReader = laptop(path.join(dir, `hub-reader-${pass}`), token, ring);
      hubReader.sync.configure({ hubUrl: hub.url, enabled: true });
      t = performance.now();
      await hubRound(hubReader);
      const catchUp = performance.now() - t;
      if (hubReader.store.eventCount() !== total || hubReader.store.quarantineCount() !== 0) throw new Error('the hub reader did not get every event');
      hubReader.sync.stop();
      hubReader.store.close();
      figures.push({ room, push, catchUp, longest, core });
    }
    const best = (key: 'room' | 'push' | 'catchUp' | 'longest' | 'core') => Math.min(...figures.map((f) => f[key]));
    const [room, push, catchUp] = [best('room'), best('push'), best('catchUp')];
    console.log(`Room sync: ${total.toLocaleString('en')} sealed events between two consoles, room (loopback peer endpoint) vs hub (SQLite), best of 2`);
    console.log(`  room: one exchange, reader pulls all            ${ms(room).padStart(12)}`);
    console.log(`  room: longest the reader's core thread was held ${ms(best('longest')).padStart(12)}   (a keystroke waits this long at most)`);
    const core = best('core');
    console.log(
      `  room: CPU of the reader's core thread            ${(Number.isNaN(core) ? 'n/a' : ms(core)).padStart(12)}   (Linux only, 10 ms ticks; the pull worker's not in it)`,
    );
    console.log(`  hub: writer pushes                              ${ms(push).padStart(12)}`);
    console.log(`  hub: fresh reader catches up                    ${ms(catchUp).padStart(12)}`);
    console.log(`  ratio room / hub catch-up ${(room / catchUp).toFixed(2)}×   room / hub push + catch-up ${(room / (push + catchUp)).toFixed(2)}×`);
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
