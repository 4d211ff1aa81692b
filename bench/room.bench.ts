import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SyncEngine } from '../electron/sync/sync.js';
import { RoomPeer, RoomServer } from '../electron/sync/room.js';
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

/**
 * Issue #14: room sync between two consoles against the hub path, sealed both ways, one run. The
 * writer holds `total` events; through the room the reader makes one exchange with the writer's
 * peer endpoint (it pulls them all); through the hub the writer pushes them and the reader pulls them.
 */
export async function benchRoom(total = 10_000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-room-'));
  const db = path.join(dir, 'hub.sqlite');
  const ring = createKeyring('ops', Date.now() - 60_000);
  const hub = await startHub({ args: ['--db', db], env: {} }, ['--rate-limit', '1000000']);
  const figures: { room: number; push: number; catchUp: number }[] = [];
  try {
    for (const pass of [0, 1]) {
      const token = (await hubCli(['token', 'create', `ops${pass}`, '--db', db])).stdout.trim();
      const writer = laptop(path.join(dir, `writer-${pass}`), token, ring);
      const { incidentId } = writer.core.handle('incident.declare', declare);
      for (let i = 1; i < total; i++)
        writer.core.handle('timeline.log', {
          incidentId,
          entryKind: 'note',
          text: `Entry ${i}: BGP session to edge-${i % 40} reset, traffic shifted to the backup path`,
        });

      // The room: the writer serves on loopback, the reader makes one exchange.
      const server = new RoomServer({ core: writer.core, store: writer.store, keyring: () => ring });
      const code = await server.listen('127.0.0.1', 0);
      const roomReader = laptop(path.join(dir, `room-reader-${pass}`), null, ring);
      let t = performance.now();
      const moved = await new RoomPeer(roomReader.core, roomReader.store, () => ring, code).syncOnce();
      const room = performance.now() - t;
      if (moved.pulled !== total || roomReader.store.quarantineCount() !== 0) throw new Error(`the room reader got ${moved.pulled} of ${total} events`);
      await server.close();
      roomReader.sync.stop();
      roomReader.store.close();

      // The hub: the writer pushes, a fresh reader catches up.
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
      figures.push({ room, push, catchUp });
    }
    const best = (key: 'room' | 'push' | 'catchUp') => Math.min(...figures.map((f) => f[key]));
    const [room, push, catchUp] = [best('room'), best('push'), best('catchUp')];
    console.log(`Room sync: ${total.toLocaleString('en')} sealed events between two consoles, room (loopback peer endpoint) vs hub (SQLite), best of 2`);
    console.log(`  room: one exchange, reader pulls all            ${ms(room).padStart(12)}`);
    console.log(`  hub: writer pushes                              ${ms(push).padStart(12)}`);
    console.log(`  hub: fresh reader catches up                    ${ms(catchUp).padStart(12)}`);
    console.log(`  ratio room / hub catch-up ${(room / catchUp).toFixed(2)}×   room / hub push + catch-up ${(room / (push + catchUp)).toFixed(2)}×`);
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
