import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ApiError, type SyncStatus } from '../shared/api.js';
import { NOTE_KINDS, STATUSES, TASK_STATUSES } from '../shared/events.js';
import { LEVELS } from '../shared/priority.js';
import { hubCli, startHub, type HubProcess } from '../hub/test/support.js';
import { seededRandom, startFaultProxy, type FaultProxy } from './fixtures/fault-proxy.js';
import { declareInput, tempDir } from './helpers.js';
import { openDevice, syncAll, visibleRecord, type Device } from './sync-support.js';

/*
 * Three laptops write at the same time through a proxy that drops, delays, stalls, duplicates
 * and cuts requests, while the hub process is killed with SIGKILL in the middle of a push and
 * restarted on the same file. Once the network heals, everyone converges with nothing lost and
 * nothing twice.
 */

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20_251_125;
const WRITE_MS = 8_000;

/** Quick retries so the test sees many rounds; a request timeout the proxy's stalls exceed. */
const TIMING = { pushDelayMs: 20, pollMs: 250, backoffMs: 40, maxBackoffMs: 400, requestTimeoutMs: 1_500 };

const devices: Device[] = [];
const hubs: HubProcess[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  // A hub killed with SIGKILL has no exit code (only a signal) and needs no stopping.
  while (hubs.length) {
    const hub = hubs.pop()!;
    if (hub.child.exitCode === null && hub.child.signalCode === null) await hub.stop();
  }
  while (proxies.length) await proxies.pop()!.close();
});

/** Generous rate limit: three laptops retrying every few tens of milliseconds share one token. */
const serveHub = (dbFile: string) => startHub({ args: ['--db', dbFile], env: {} }, ['--rate-limit', '1000000']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('through drops, delays, duplicates, cut answers and a hub killed mid-push, three laptops converge with every event once', async () => {
  console.log(`sync faults: seed ${SEED} (replay with FC_SEED=${SEED})`);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const dbFile = path.join(tempDir('warroom-hub-'), 'hub.sqlite');
    const created = await hubCli(['token', 'create', 'ops', '--db', dbFile]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    let hub = await serveHub(dbFile);
    hubs.push(hub);
    const proxy = await startFaultProxy(hub.url, { seed: SEED });
    proxies.push(proxy);

    const seen: SyncStatus['state'][] = [];
    for (let i = 0; i < 3; i++) {
      const device = openDevice({ hubUrl: proxy.url, token, timing: TIMING });
      device.core.handle('settings.setActor', { actor: `Laptop ${i + 1}` });
      device.sync.onStatus((status) => seen.push(status.state));
      devices.push(device);
    }
    const [first] = devices as [Device, ...Device[]];
    const { incidentId, eventId } = first.core.handle('incident.declare', declareInput);
    const recorded = new Set([eventId]);

    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    /** One command as a user would type it on a random laptop; a refusal (not here yet, already so) is skipped. */
    const write = (): void => {
      const device = pick(devices);
      const view = device.core.handle('incident.get', { incidentId }).incident;
      if (!view) return;
      const roll = random();
      try {
        let result: { eventId: string };
        if (roll < 0.55) result = device.core.handle('timeline.log', { incidentId, entryKind: pick(NOTE_KINDS), text: `entry ${recorded.size}` });
        else if (roll < 0.7) result = device.core.handle('task.create', { incidentId, title: `task ${recorded.size}`, owner: pick(['Ada', 'Bruno']) });
        else if (roll < 0.82 && view.tasks.length) result = device.core.handle('task.move', { incidentId, taskId: pick(view.tasks).id, status: pick(TASK_STATUSES) });
        else if (roll < 0.92) result = device.core.handle('incident.setStatus', { incidentId, status: pick(STATUSES) });
        else result = device.core.handle('incident.setPriority', { incidentId, impact: pick(LEVELS), urgency: pick(LEVELS) });
        recorded.add(result.eventId);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    };

    // Kill the hub the moment a push is on its way to it, halfway through the writing.
    const crash = (async () => {
      await sleep(WRITE_MS / 2);
      // Writes keep pushes coming; the fallback only keeps a quiet run from hanging here.
      await Promise.race([proxy.nextForward('POST'), sleep(WRITE_MS / 2)]);
      const dead = new Promise((resolve) => hub.child.once('exit', resolve));
      hub.child.kill('SIGKILL');
      await dead;
      await sleep(300);
      hub = await serveHub(dbFile);
      hubs.push(hub);
      proxy.target = hub.url;
    })();

    const until = Date.now() + WRITE_MS;
    while (Date.now() < until) {
      write();
      await sleep(5 + random() * 30);
    }
    await crash;

    proxy.faulty = false;
    const deadline = Date.now() + 20_000;
    const hubIds = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return db.prepare<[], { id: string }>('SELECT id FROM events').all().map((r) => r.id);
      } finally {
        db.close();
      }
    };
    for (;;) {
      await syncAll(devices, 2);
      const quiet = devices.every((d) => d.sync.status().pending === 0 && d.store.eventCount() === hubIds().length);
      if (quiet || Date.now() > deadline) break;
    }

    // The faults really happened, and the hub really went away.
    expect(proxy.counts.drop).toBeGreaterThan(0);
    expect(proxy.counts.delay).toBeGreaterThan(0);
    expect(proxy.counts.stall).toBeGreaterThan(0);
    expect(proxy.counts.duplicate).toBeGreaterThan(0);
    expect(proxy.counts.cut).toBeGreaterThan(0);
    expect(seen).toContain('offline');
    expect(recorded.size).toBeGreaterThan(100);

    // No client crashed: each still reports an honest, healthy state.
    for (const d of devices) expect(d.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0, error: null, offlineSince: null });
    expect(unhandled).toEqual([]);

    // Nothing lost, nothing twice: counted by id on the hub's file and on every laptop.
    const atHub = hubIds();
    expect(new Set(atHub).size).toBe(atHub.length);
    const everything = new Set(atHub);
    for (const id of recorded) expect(everything.has(id), `event ${id} was lost`).toBe(true);
    for (const d of devices) {
      const ids = [...d.store.allEvents()].map((e) => e.id);
      expect(ids.length).toBe(everything.size);
      expect(new Set(ids)).toEqual(everything);
    }

    // One record, everywhere.
    const records = devices.map((d) => visibleRecord(d, incidentId));
    expect(records[0]!.projection).toEqual(records[0]!.view);
    expect(records[1]).toEqual(records[0]);
    expect(records[2]).toEqual(records[0]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}, 60_000);
