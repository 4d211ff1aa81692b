import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HUB_LIMITS } from '../shared/sync/hub-protocol.js';
import { createKeyring, fingerprintOf, fromBase64Url } from '../shared/sync/team-key.js';
import { decodePeerCode, encodePeerCode, RoomPeer, RoomServer } from '../electron/sync/room.js';
import { roomAuthorization } from '../electron/sync/room-auth.js';
import { pullWorker, pullWorkerStats } from '../electron/sync/pull-worker-client.js';
import path from 'node:path';
import { hubCli, startHub, type HubProcess } from '../hub/test/support.js';
import { declareInput, tempDir } from './helpers.js';
import { openDevice, startTestHub, syncAll, visibleRecord, type Device } from './sync-support.js';

/**
 * Room sync (issue #14): with the hub down, consoles in the same room sync directly, sealed and
 * authenticated with the team key; later everyone converges through the hub, nothing duplicated
 * and nothing lost. Loopback only.
 */
const devices: Device[] = [];
const hubs: HubProcess[] = [];
const servers: RoomServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

function device(options: Parameters<typeof openDevice>[0] = {}): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

async function serve(d: Device) {
  const server = new RoomServer({ core: d.core, store: d.store, keyring: () => d.sync.keyring() });
  servers.push(server);
  const code = await server.listen('127.0.0.1', 0);
  return { server, code, peerCode: encodePeerCode(code) };
}

const idsOf = (d: Device) => [...d.store.allEvents()].map((e) => e.id).sort();

describe('room sync', () => {
  test('A and B sync directly while the hub is down, C through the hub later: all three end identical', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const [a, b, c] = [0, 1, 2].map(() => device({ hubUrl: hub.url, token: hub.token, keyring: ring })) as [Device, Device, Device];
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    await syncAll([a, b, c]);

    await hub.stop();
    hubs.length = 0;
    // The room: A serves, B adds A by its peer code.
    const { peerCode } = await serve(a);
    const code = decodePeerCode(peerCode);
    expect(code).toMatchObject({ host: '127.0.0.1', fingerprint: expect.stringMatching(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/) });
    const peer = new RoomPeer(b.core, b.store, () => b.sync.keyring(), code!);
    a.core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Fail over to DC2 (A, in the room)' });
    b.core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    const { taskId } = b.core.handle('task.create', { incidentId, title: 'Call the supplier', owner: 'Bruno' });
    a.core.handle('incident.setPriority', { incidentId, impact: 'medium', urgency: 'high' });
    expect(await peer.syncOnce()).toMatchObject({ pushed: expect.any(Number), pulled: expect.any(Number) });
    expect(visibleRecord(a, incidentId)).toEqual(visibleRecord(b, incidentId));
    expect(visibleRecord(b, incidentId).view).toMatchObject({ status: 'investigating', priority: 'P2' });
    // Again: nothing new moves, nothing is duplicated.
    await peer.syncOnce();
    expect(idsOf(a)).toEqual(idsOf(b));

    // The hub is back; A leaves the room before it syncs: B carries A's work to the hub, C gets it there.
    const back = await startTestHub(hub.dbFile);
    hubs.push(back);
    for (const d of [b, c]) d.sync.configure({ hubUrl: back.url, token: back.token, enabled: true });
    await syncAll([b, c]);
    expect(visibleRecord(c, incidentId)).toEqual(visibleRecord(b, incidentId));
    a.sync.configure({ hubUrl: back.url, token: back.token, enabled: true });
    await syncAll([a, b, c]);
    const onA = visibleRecord(a, incidentId);
    expect(visibleRecord(b, incidentId)).toEqual(onA);
    expect(visibleRecord(c, incidentId)).toEqual(onA);
    expect(onA.view!.tasks.map((t) => t.id)).toEqual([taskId]);
    expect(idsOf(c)).toEqual(idsOf(a));
    expect(new Set(idsOf(a)).size).toBe(idsOf(a).length);
    for (const d of [a, b, c]) expect(d.store.quarantineCount()).toBe(0);
  });

  test('a peer is served the bytes sealed at append for what still waits for the hub, and the rest sealed as it leaves, both ways', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'typed in the room: the payroll server is wiped' });
    a.core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    type Sealed = { id: string; wire: string };
    const waiting = (d: Device) =>
      d.store.db.prepare<[], Sealed>('SELECT e.id, s.wire FROM events e JOIN outbox_sealed s ON s.seq = e.seq ORDER BY e.seq').all();
    // Sealed into the outbox right after they are stored (Store.queueSeals).
    await vi.waitFor(() => expect(waiting(a)).toHaveLength(a.store.eventCount()));
    const sealedOnA = waiting(a);
    // The hub has the declaration: its outbox row is gone, so it is sealed as it leaves for the peer.
    a.store.acknowledge([sealedOnA[0]!.id]);
    const { code } = await serve(a);
    const pathAndQuery = '/v1/events?after=0&limit=100';
    const answer = await fetch(`http://127.0.0.1:${code.port}${pathAndQuery}`, {
      headers: { authorization: roomAuthorization(ring, 'GET', pathAndQuery, '', Date.now()) },
    });
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).not.toContain('payroll');
    const served = (JSON.parse(text) as { events: { id: string; seal: string; keyId: string }[] }).events;
    expect(served.map((e) => e.id)).toEqual(sealedOnA.map((r) => r.id));
    expect(served[0]).toMatchObject({ seal: 'key', keyId: ring.current });
    expect(JSON.stringify(served[0])).not.toBe(sealedOnA[0]!.wire);
    // What still waits for the hub leaves as the outbox keeps it, byte for byte (the same nonce).
    for (const [i, row] of sealedOnA.entries()) if (i > 0) expect(JSON.stringify(served[i])).toBe(row.wire);

    // B reads it all; B, pushing to A in turn, sends what its own outbox sealed as it stored those events.
    const b = device({ keyring: ring });
    const bodies: string[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && typeof init.body === 'string') bodies.push(init.body);
      return fetch(input, init);
    };
    const peer = new RoomPeer(b.core, b.store, () => b.sync.keyring(), code, { fetch: recording });
    await peer.syncOnce();
    expect(visibleRecord(b, incidentId)).toEqual(visibleRecord(a, incidentId));
    expect(b.store.quarantineCount()).toBe(0);
    await peer.syncOnce();
    const pushed = bodies.flatMap((body) => (JSON.parse(body) as { events: unknown[] }).events.map((e) => JSON.stringify(e)));
    expect(pushed).toEqual(waiting(b).map((r) => r.wire));
    expect(pushed).toHaveLength(b.store.eventCount());
    expect(a.store.quarantineCount()).toBe(0);
  });

  test("a peer's pages are read and opened by the pull worker: the same record and the same quarantine as pages read on the core's thread", async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ keyring: ring });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    for (let i = 0; i < 30; i++) a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `room entry ${i}` });
    type Sealed = { seq: number; id: string; wire: string };
    const waitingOn = (d: Device) =>
      d.store.db.prepare<[], Sealed>('SELECT e.seq, e.id, s.wire FROM events e JOIN outbox_sealed s ON s.seq = e.seq ORDER BY e.seq').all();
    const waiting = () => waitingOn(a);
    await vi.waitFor(() => expect(waiting()).toHaveLength(a.store.eventCount()));
    // One event's ciphertext changed where A keeps it (as a hub or a disk could): it no longer opens anywhere.
    const target = [...a.store.allEvents()].find((e) => e.payload['text'] === 'room entry 11')!;
    const changed = waiting().find((row) => row.id === target.id)!;
    const sealed = JSON.parse(changed.wire) as { box: string };
    const box = sealed.box.slice(0, 10) + (sealed.box[10] === 'A' ? 'B' : 'A') + sealed.box.slice(11);
    a.store.db.prepare('UPDATE outbox_sealed SET wire = ? WHERE seq = ?').run(JSON.stringify({ ...sealed, box }), changed.seq);
    const { code } = await serve(a);

    // B through the pull worker, 7 events a page: every page read and opened there, none on the core's thread.
    expect(await pullWorker().started).toBe(true);
    const before = { ...pullWorkerStats };
    const b = device({ keyring: ring });
    const moved = await new RoomPeer(b.core, b.store, () => ring, code, { pageSize: 7 }).syncOnce();
    expect(pullWorkerStats.pages - before.pages).toBeGreaterThanOrEqual(5);
    expect(pullWorkerStats.here - before.here).toBe(0);
    // C with a fetch of its own: every page read on the core's thread, as before the worker.
    const byTheWorker = pullWorkerStats.pages;
    const c = device({ keyring: ring });
    await new RoomPeer(c.core, c.store, () => ring, code, { pageSize: 7, fetch }).syncOnce();
    expect(pullWorkerStats.pages).toBe(byTheWorker);

    expect(moved.pulled).toBe(a.store.eventCount());
    expect(idsOf(b)).toEqual(idsOf(a));
    expect(visibleRecord(b, incidentId)).toEqual(visibleRecord(c, incidentId));
    const texts = (d: Device) =>
      d.store
        .timeline(incidentId, 0, 1000)
        .entries.map((e) => e.payload['text'])
        .filter((t) => typeof t === 'string' && t.startsWith('room entry '));
    expect(texts(b)).toEqual(Array.from({ length: 30 }, (_, i) => `room entry ${i}`).filter((t) => t !== 'room entry 11'));
    // The changed event: kept, quarantined with why, never folded, on both.
    const quarantined = (d: Device) => d.core.handle('quarantine.list', {}).events.map(({ quarantinedAt: _at, ...rest }) => rest);
    expect(quarantined(b)).toEqual([expect.objectContaining({ eventId: changed.id, code: 'not_authentic' })]);
    expect(quarantined(b)).toEqual(quarantined(c));
    // What B and C pulled waits for the hub in their outboxes exactly as A sealed it: relayed, not sealed again.
    const wires = (d: Device) => new Map(waitingOn(d).map((row) => [row.id, row.wire]));
    await vi.waitFor(() => expect(waitingOn(b)).toHaveLength(a.store.eventCount()));
    expect(wires(b)).toEqual(wires(a));
    await vi.waitFor(() => expect(waitingOn(c)).toHaveLength(a.store.eventCount()));
    expect(wires(c)).toEqual(wires(a));
  });

  test('a peer that takes the connection and never answers is asked once, and is said not to answer in time', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const b = device({ keyring: ring });
    const asked: string[] = [];
    const hanging = http.createServer((request) => void asked.push(`${request.method} ${request.url?.split('?')[0]}`));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      expect(await pullWorker().started).toBe(true);
      const code = { host: '127.0.0.1', port: (hanging.address() as AddressInfo).port, fingerprint: fingerprintOf(fromBase64Url(ring.keys[0]!.key)) };
      // Nothing to push (a fresh console): the pull is the first request, and the worker's.
      await expect(new RoomPeer(b.core, b.store, () => ring, code, { timeoutMs: 400 }).syncOnce()).rejects.toThrow(/did not answer in time/);
      expect(asked).toEqual(['GET /v1/events']);
      expect(b.store.eventCount()).toBe(0);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test('the peer endpoint refuses requests without the team key, from a foreign origin, and over the body limit', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = device({ keyring: ring });
    const { code } = await serve(a);
    const url = `http://127.0.0.1:${code.port}/v1/events?after=0&limit=10`;
    const signed = (r = ring, method = 'GET', path = '/v1/events?after=0&limit=10', body = '') => roomAuthorization(r, method, path, body, Date.now());

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: signed(createKeyring('ops', Date.now())) } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: signed(ring, 'GET', '/v1/events?after=5&limit=10') } })).status).toBe(401);
    const stale = roomAuthorization(ring, 'GET', '/v1/events?after=0&limit=10', '', Date.now() - 10 * 60_000);
    expect((await fetch(url, { headers: { authorization: stale } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: signed(), origin: 'https://evil.example' } })).status).toBe(403);
    const ok = await fetch(url, { headers: { authorization: signed() } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ events: [], cursor: 0, more: false });

    const big = JSON.stringify({ events: [], pad: 'x'.repeat(5 * 1024 * 1024) });
    const tooBig = await fetch(`http://127.0.0.1:${code.port}/v1/events`, {
      method: 'POST',
      headers: { authorization: signed(ring, 'POST', '/v1/events', big), 'content-type': 'application/json' },
      body: big,
    }).catch(() => null);
    expect(tooBig === null || tooBig.status === 413).toBe(true);
    // A peer holding another key is refused before anything is sent.
    const wrong = device({ keyring: createKeyring('ops', Date.now()) });
    await expect(new RoomPeer(wrong.core, wrong.store, () => wrong.sync.keyring(), code).syncOnce()).rejects.toThrow(/another team key/);
    expect(a.store.eventCount()).toBe(0);
  });

  test('a peer whose answer goes on past the bound: refused, read no further than the bound, nothing applied', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const b = device({ keyring: ring });
    b.core.handle('incident.declare', declareInput);
    const before = b.store.eventCount();
    // Not a Warroom: 64 MiB of one answer, written as fast as the reader takes it, to whatever it is asked.
    let written = 0;
    const endless = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = () => {
        while (written < 64 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', more);
        }
        response.end();
      };
      more();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const code = { host: '127.0.0.1', port: (endless.address() as AddressInfo).port, fingerprint: fingerprintOf(fromBase64Url(ring.keys[0]!.key)) };
      await expect(new RoomPeer(b.core, b.store, () => ring, code).syncOnce()).rejects.toThrow(/too large to read/);
      // The bound (8 MiB and its envelope), plus what the sockets hold: not the 64 MiB on offer.
      expect(written).toBeLessThan(HUB_LIMITS.maxPageBytes * 2);
      expect(b.store.eventCount()).toBe(before);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  test('property: random work on three consoles, random room and hub exchanges, all end identical', async () => {
    // Many short-lived laptops on one token: the per-token rate limit is not what is tested here.
    const dbFile = path.join(tempDir('warroom-room-hub-'), 'hub.sqlite');
    const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
    const hub = { ...(await startHub({ args: ['--db', dbFile], env: {} }, ['--rate-limit', '1000000'])), token };
    hubs.push(hub);
    const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
    const ring = createKeyring('ops', Date.now() - 60_000);
    const step = fc.oneof(
      fc.record({ op: fc.constant('note' as const), on: fc.nat(2), text: fc.constantFrom('restart the primary', 'fail over', 'Chloé: ça repart') }),
      fc.record({ op: fc.constant('status' as const), on: fc.nat(2), status: fc.constantFrom('investigating', 'mitigated', 'resolved') }),
      fc.record({ op: fc.constant('room' as const), from: fc.nat(2), to: fc.nat(2) }),
      fc.record({ op: fc.constant('hub' as const), on: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
        const ds = [0, 1, 2].map(() => device({ hubUrl: hub.url, token: hub.token, keyring: ring }));
        const served = await Promise.all(ds.map((d) => serve(d)));
        const { incidentId } = ds[0]!.core.handle('incident.declare', declareInput);
        for (const s of steps) {
          // A console acts on the incident once it has it (from the room or the hub), as a person would.
          const known = s.op === 'note' || s.op === 'status' ? ds[s.on]!.core.handle('incident.get', { incidentId }).incident : null;
          if (s.op === 'note') {
            if (known) ds[s.on]!.core.handle('timeline.log', { incidentId, entryKind: 'note', text: s.text });
          } else if (s.op === 'status') {
            // Setting the status it already has is refused, as a user would be told.
            if (known && known.status !== s.status) ds[s.on]!.core.handle('incident.setStatus', { incidentId, status: s.status });
          } else if (s.op === 'room' && s.from !== s.to) await new RoomPeer(ds[s.from]!.core, ds[s.from]!.store, () => ring, served[s.to]!.code).syncOnce();
          else if (s.op === 'hub') await syncAll([ds[s.on]!], 1);
        }
        await syncAll(ds, 2);
        const first = visibleRecord(ds[0]!, incidentId);
        for (const d of ds) {
          expect(visibleRecord(d, incidentId)).toEqual(first);
          expect(idsOf(d)).toEqual(idsOf(ds[0]!));
        }
        while (servers.length) await servers.pop()!.close();
        for (const d of ds) {
          d.close();
          devices.splice(devices.indexOf(d), 1);
        }
      }),
      { numRuns: 8, seed },
    );
  }, 180_000);
});
