import fc from 'fast-check';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createKeyring } from '../shared/sync/team-key.js';
import { RoomPeer, RoomServer } from '../electron/sync/room.js';
import { hubCli, startHub, type HubProcess } from '../hub/test/support.js';
import { declareInput, tempDir } from './helpers.js';
import { startFaultProxy, type FaultProxy } from './fixtures/fault-proxy.js';
import { openDevice, syncAll, visibleRecord, type Device } from './sync-support.js';

/**
 * Room sync over a bad network (issue #14): A and B sync directly while the hub is down, C only
 * through the hub once it is back; every request, to the hub and between A and B, crosses the
 * sync tests' fault proxy (dropped, delayed, stalled, duplicated, cut). Whatever the work and the
 * faults, all three end with the same record, nothing duplicated, nothing lost. Loopback only.
 */
const TIMING = { pushDelayMs: 5, pollMs: 60_000, backoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 1_000 };
/** No stall between peers: a room peer waits 20 s for an answer, and a stall is an answer that comes too late. */
const ROOM_RATES = { drop: 0.1, delay: 0.15, stall: 0, duplicate: 0.15, cut: 0.1 };
const HUB_RATES = { drop: 0.08, delay: 0.15, stall: 0.03, duplicate: 0.1, cut: 0.08 };

const devices: Device[] = [];
const hubs: HubProcess[] = [];
const servers: RoomServer[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  while (proxies.length) await proxies.pop()!.close();
  while (servers.length) await servers.pop()!.close();
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

const idsOf = (d: Device) => [...d.store.allEvents()].map((e) => e.id).sort();

/** One exchange with a peer through a faulty network: a failure is what the next exchange makes up for. */
async function exchange(peer: RoomPeer): Promise<boolean> {
  try {
    await peer.syncOnce();
    return true;
  } catch {
    return false;
  }
}

describe('room sync through the fault proxy', () => {
  test('property: A and B in the room while the hub is down, C through the hub later; all three end identical', async () => {
    const dbFile = path.join(tempDir('warroom-room-faults-'), 'hub.sqlite');
    const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
    const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
    const ring = createKeyring('ops', Date.now() - 60_000);
    // One hub for every run (many short-lived laptops on one token: no rate limit here); each run declares its own incident.
    const hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--rate-limit', '1000000']);
    hubs.push(hub);
    const faults = { drop: 0, duplicate: 0, cut: 0 };
    const step = fc.oneof(
      fc.record({ op: fc.constant('note' as const), on: fc.nat(2), text: fc.constantFrom('restart the primary', 'fail over', 'Chloé: ça repart') }),
      fc.record({ op: fc.constant('status' as const), on: fc.nat(2), status: fc.constantFrom('investigating', 'mitigated', 'resolved') }),
      fc.record({ op: fc.constant('room' as const), from: fc.nat(1) }),
    );
    const later = fc.oneof(
      fc.record({ op: fc.constant('note' as const), on: fc.nat(2), text: fc.constantFrom('hub back', 'C: read the room’s decisions') }),
      fc.record({ op: fc.constant('hub' as const), on: fc.nat(2) }),
      fc.record({ op: fc.constant('room' as const), from: fc.nat(1) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 3, maxLength: 12 }),
        fc.array(later, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (inRoom, afterwards, faultSeed) => {
          const hubProxy = await startFaultProxy(hub.url, { seed: faultSeed, rates: HUB_RATES, stallMs: 1_200 });
          proxies.push(hubProxy);
          const ds = [0, 1, 2].map(() => openDevice({ hubUrl: hubProxy.url, token, keyring: ring, timing: TIMING }));
          devices.push(...ds);
          const [a, b] = ds as [Device, Device, Device];
          // A and B serve; each reaches the other through a faulty network of its own.
          const codes = await Promise.all(
            [a, b].map(async (d, i) => {
              const server = new RoomServer({ core: d.core, store: d.store, keyring: () => d.sync.keyring() });
              servers.push(server);
              const code = await server.listen('127.0.0.1', 0);
              const proxy = await startFaultProxy(`http://127.0.0.1:${code.port}`, { seed: faultSeed + i + 1, rates: ROOM_RATES });
              proxies.push(proxy);
              return { ...code, port: Number(new URL(proxy.url).port) };
            }),
          );
          const peers = [new RoomPeer(a.core, a.store, () => ring, codes[1]!), new RoomPeer(b.core, b.store, () => ring, codes[0]!)];
          const { incidentId } = a.core.handle('incident.declare', declareInput);
          await syncAll(ds, 2);

          const act = (s: { op: string; on?: number; text?: string; status?: string }) => {
            const d = ds[s.on!]!;
            // A console acts on the incident once it has it, as a person would.
            const known = d.core.handle('incident.get', { incidentId }).incident;
            if (!known) return;
            if (s.op === 'note') d.core.handle('timeline.log', { incidentId, entryKind: 'note', text: s.text! });
            else if (known.status !== s.status) d.core.handle('incident.setStatus', { incidentId, status: s.status as 'investigating' });
          };

          // The hub goes down (its proxy answers 502, as a reverse proxy does for a hub that is gone): A and B work in the room, C alone.
          hubProxy.target = 'http://127.0.0.1:9';
          for (const s of inRoom) {
            if (s.op === 'room') await exchange(peers[s.from]!);
            else act(s);
          }
          // The hub is back. C reaches the room's work through it only.
          hubProxy.target = hub.url;
          for (const s of afterwards) {
            if (s.op === 'room') await exchange(peers[s.from]!);
            else if (s.op === 'hub') await syncAll([ds[s.on]!], 1);
            else act(s);
          }
          // The network heals: what the faults held back goes through, by retries alone.
          for (const proxy of proxies) {
            proxy.faulty = false;
            for (const fault of ['drop', 'duplicate', 'cut'] as const) faults[fault] += proxy.counts[fault];
          }
          for (const peer of peers) expect(await exchange(peer)).toBe(true);
          await syncAll(ds, 3);

          const first = visibleRecord(a, incidentId);
          for (const d of ds) {
            expect(visibleRecord(d, incidentId)).toEqual(first);
            expect(idsOf(d)).toEqual(idsOf(a));
            expect(new Set(idsOf(d)).size).toBe(idsOf(d).length);
            expect(d.store.quarantineCount()).toBe(0);
            expect(d.store.outboxCount()).toBe(0);
          }
          while (proxies.length) await proxies.pop()!.close();
          while (servers.length) await servers.pop()!.close();
          while (devices.length) devices.pop()!.close();
        },
      ),
      { numRuns: 4, seed },
    );
    // The faults did happen: requests were dropped, duplicated and cut, and all ended identical anyway.
    expect(faults).toEqual({ drop: expect.any(Number), duplicate: expect.any(Number), cut: expect.any(Number) });
    for (const count of Object.values(faults)) expect(count).toBeGreaterThan(0);
  }, 240_000);
});
