import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { createKeyring, type TeamKeyring } from '../shared/sync/team-key.js';
import { roomAuthorization } from '../electron/sync/room-auth.js';
import { decodePeerCode } from '../electron/sync/room.js';
import { startCore } from '../electron/host/host.js';
import { privateFileSecretStore } from '../electron/host/secrets.js';
import type { CoreHandle } from '../electron/host/handle.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * Room sync as the console runs it (issue #14): turned on through the API the settings use, the
 * peer endpoint is served by the host's core (browser mode and Electron start it alike), passes
 * the probes browser mode passes, pairs two consoles with nothing but a peer code, keeps its peers
 * across a restart, and stops serving when turned off. Loopback ports only.
 */
const cores: CoreHandle[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.close();
});

async function console_(ring: TeamKeyring | null, dataDir = tempDir('warroom-room-console-')): Promise<{ core: CoreHandle; dataDir: string }> {
  mkdirSync(dataDir, { recursive: true });
  if (ring) writeFileSync(path.join(dataDir, 'team-key'), JSON.stringify(ring), { mode: 0o600 });
  const core = await startCore({ dataDir, transport: 'browser', secrets: privateFileSecretStore(dataDir), roomTiming: { pollMs: 200, pushDelayMs: 20 } });
  cores.push(core);
  return { core, dataDir };
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const serving = (core: CoreHandle) =>
  until(
    () => core.call('room.status', {}),
    (s) => s.state === 'serving' && s.peerCode !== null,
    'room sync to serve',
  );

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error.body.reason ?? error.body.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('room sync from the console', () => {
  test('off by default, loopback offered first; turned on it serves a peer endpoint that passes the browser-mode probes; turned off it stops', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const { core } = await console_(ring);
    const initial = await core.call('room.status', {});
    expect(initial).toMatchObject({ enabled: false, state: 'off', address: '127.0.0.1', peerCode: null, hasTeamKey: true, peers: [] });
    expect(initial.interfaces[0]).toMatchObject({ address: '127.0.0.1', internal: true });

    expect(await refusal(core.call('room.configure', { enabled: true, address: '203.0.113.9', port: 0 }))).toBe('room_address_unknown');
    await core.call('room.configure', { enabled: true, address: '127.0.0.1', port: 0 });
    const on = await serving(core);
    const code = decodePeerCode(on.peerCode!)!;
    expect(code).toEqual({ host: '127.0.0.1', port: on.boundPort, fingerprint: on.fingerprint });

    const pathAndQuery = '/v1/events?after=0&limit=10';
    const url = `http://127.0.0.1:${code.port}${pathAndQuery}`;
    const signed = (r: TeamKeyring, method = 'GET', p = pathAndQuery, body = '') => roomAuthorization(r, method, p, body, Date.now());
    // No request without the team key: none, another team's key, a signature for another request.
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer nothing' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: signed(createKeyring('ops', Date.now())) } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: signed(ring, 'GET', '/v1/events?after=0&limit=999') } })).status).toBe(401);
    // No foreign origin, even with the key (a page in a browser always says where it comes from).
    expect((await fetch(url, { headers: { authorization: signed(ring), origin: 'http://127.0.0.1:9' } })).status).toBe(403);
    // Body limits: a declared or streamed body over 4 MiB is refused before it is read whole.
    const big = JSON.stringify({ events: [], pad: 'x'.repeat(5 * 1024 * 1024) });
    const tooBig = await fetch(`http://127.0.0.1:${code.port}/v1/events`, {
      method: 'POST',
      headers: { authorization: signed(ring, 'POST', '/v1/events', big), 'content-type': 'application/json' },
      body: big,
    }).catch(() => null);
    expect(tooBig === null || tooBig.status === 413).toBe(true);
    // What the key allows answers; what is not room sync does not exist.
    const ok = await fetch(url, { headers: { authorization: signed(ring) } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ events: [], more: false });
    expect((await fetch(`http://127.0.0.1:${code.port}/v1/health`, { headers: { authorization: signed(ring, 'GET', '/v1/health') } })).status).toBe(404);
    const refusedPush = await fetch(`http://127.0.0.1:${code.port}/v1/events`, {
      method: 'POST',
      headers: { authorization: signed(ring, 'POST', '/v1/events', '{"events":[{"id":1}]}'), 'content-type': 'application/json' },
      body: '{"events":[{"id":1}]}',
    });
    expect(refusedPush.status).toBe(400);
    expect(await core.call('incidents.list', {})).toEqual([]);

    const off = await core.call('room.configure', { enabled: false, address: '127.0.0.1', port: 0 });
    expect(off).toMatchObject({ enabled: false, state: 'off', peerCode: null });
    await until(
      () =>
        fetch(url).then(
          () => 'open',
          () => 'closed',
        ),
      (s) => s === 'closed',
      'the peer endpoint to close',
    );
  });

  test('two consoles pair by peer code over loopback, without a hub; peers and their state survive a restart', async () => {
    const ring = createKeyring('ops', Date.now() - 60_000);
    const a = await console_(ring);
    const b = await console_(ring);
    await a.core.call('room.configure', { enabled: true, address: '127.0.0.1', port: 0 });
    const { peerCode } = await serving(a.core);
    // B need not serve to sync: it pushes to and pulls from A. It must be on.
    expect(await refusal(b.core.call('room.now', {}))).toBe('room_off');
    await b.core.call('room.configure', { enabled: true, address: '127.0.0.1', port: 0 });
    expect(await refusal(b.core.call('room.addPeer', { code: 'wrp1.nonsense' }))).toBe('room_peer_code_invalid');
    const foreign = (await serving(b.core)).peerCode!.replace(/^wrp1\./, '');
    const otherKey = `wrp1.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(foreign, 'base64url').toString()), f: '00000-00000-00000-00000' })).toString('base64url')}`;
    expect(await refusal(b.core.call('room.addPeer', { code: otherKey }))).toBe('room_peer_other_key');
    expect(await refusal(b.core.call('room.addPeer', { code: (await b.core.call('room.status', {})).peerCode! }))).toBe('room_peer_self');

    const { incidentId } = await a.core.call('incident.declare', declareInput);
    await a.core.call('timeline.log', { incidentId, entryKind: 'decision', text: 'Fail over to DC2, decided in the room' });
    const added = await b.core.call('room.addPeer', { code: peerCode! });
    expect(added.peers).toMatchObject([{ host: '127.0.0.1', state: expect.any(String) }]);
    await until(
      () => b.core.call('incidents.list', {}),
      (list) => list.length === 1,
      'the incident to reach B',
    );
    const synced = await until(
      () => b.core.call('room.status', {}),
      (s) => s.peers[0]!.state === 'ok' && s.peers[0]!.lastSyncedAt !== null,
      'B to say when it last synced',
    );
    expect(synced.peers[0]!.problem).toBeNull();
    // B's own entry reaches A through B's push (A never added B).
    await b.core.call('timeline.log', { incidentId, entryKind: 'note', text: 'Supplier called (from B)' });
    const onA = () => a.core.call('timeline.query', { incidentId }).then((page) => JSON.stringify(page));
    await until(onA, (text) => text.includes('Supplier called (from B)'), 'B’s entry to reach A');

    // A goes away: B says so for that peer, with its reason, and keeps when it last synced.
    await a.core.close();
    cores.splice(cores.indexOf(a.core), 1);
    await b.core.call('room.now', {});
    const failing = await until(
      () => b.core.call('room.status', {}),
      (s) => s.peers[0]!.state === 'error',
      'B to notice A is gone',
    );
    expect(failing.peers[0]).toMatchObject({ problem: 'room_peer_unreachable', detail: expect.stringMatching(/could not be reached/) });
    expect(failing.peers[0]!.lastSyncedAt).toBeGreaterThanOrEqual(synced.peers[0]!.lastSyncedAt!);

    // B restarts: still on, still serving, the peer still listed.
    await b.core.close();
    cores.splice(cores.indexOf(b.core), 1);
    const again = await console_(null, b.dataDir);
    const restored = await serving(again.core);
    expect(restored.peers).toMatchObject([{ id: synced.peers[0]!.id, lastSyncedAt: failing.peers[0]!.lastSyncedAt }]);
    const removed = await again.core.call('room.removePeer', { peerId: synced.peers[0]!.id });
    expect(removed.peers).toEqual([]);
  }, 60_000);

  test('room sync needs the team key: refused without one, and serves once the key arrives', async () => {
    const { core } = await console_(null);
    expect((await core.call('room.status', {})).hasTeamKey).toBe(false);
    expect(await refusal(core.call('room.configure', { enabled: true, address: '127.0.0.1', port: 0 }))).toBe('room_needs_team_key');
    await core.call('teamKey.create', { team: 'ops' });
    await core.call('room.configure', { enabled: true, address: '127.0.0.1', port: 0 });
    const on = await serving(core);
    const key = await core.call('teamKey.status', {});
    expect(on.fingerprint).toBe(key.fingerprint);
    // Rotation: the peer code names the new key.
    const rotated = await core.call('teamKey.rotate', {});
    await until(
      () => core.call('room.status', {}),
      (s) => s.fingerprint === rotated.fingerprint && decodePeerCode(s.peerCode ?? '')?.fingerprint === rotated.fingerprint,
      'the peer code to name the rotated key',
    );
  });
});
