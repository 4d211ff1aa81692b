import { copyFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startCore } from '../electron/host/host.js';
import { privateFileSecretStore } from '../electron/host/secrets.js';
import { SyncEngine } from '../electron/sync/sync.js';
import type { HubProcess } from '../hub/test/support.js';
import { declareInput, tempDir } from './helpers.js';
import { FAST, openDevice, startTestHub, syncAll, type Device } from './sync-support.js';

const devices: Device[] = [];
const hubs: HubProcess[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
  while (servers.length) await new Promise((r) => servers.pop()!.close(r));
});

function device(options: Parameters<typeof openDevice>[0] = {}): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

/** A server that records every Authorization header it is sent, standing in for a host the token must not reach. */
async function listeningSpy(): Promise<{ url: string; authorizations: string[] }> {
  const authorizations: string[] = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    res.writeHead(503).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations };
}

const notes = (d: Device, incidentId: string) =>
  d.store
    .timeline(incidentId, 0, 10_000)
    .entries.map((e) => e.payload['text'])
    .filter((text): text is string => typeof text === 'string' && text.startsWith('note'));

describe('a hub restored from a backup without `epoch rotate`', () => {
  test('a laptop whose cursor is past the reused sequence numbers notices, pushes back what the hub lost and pulls what it missed', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = device({ hubUrl: hub.url, token: hub.token });
    const b = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    await syncAll([a, b]);
    // The nightly backup, hub stopped. Same epoch as the live hub, as a plain file copy would be.
    await hub.stop();
    hubs.length = 0;
    const backup = `${hub.dbFile}.backup`;
    copyFileSync(hub.dbFile, backup);
    let live = await startTestHub(hub.dbFile);
    hubs.push(live);
    a.sync.configure({ hubUrl: live.url, token: live.token, enabled: true });
    b.sync.configure({ hubUrl: live.url, token: live.token, enabled: true });
    for (let i = 0; i < 20; i++) a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `note from a ${i}` });
    await syncAll([a, b]);
    expect(notes(b, incidentId)).toHaveLength(20);

    // The disk is lost; the operator copies the backup back and forgets `epoch rotate`.
    await live.stop();
    hubs.length = 0;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${backup}${suffix}`)) copyFileSync(`${backup}${suffix}`, `${hub.dbFile}${suffix}`);
    live = await startTestHub(hub.dbFile);
    hubs.push(live);
    // A third laptop pushes 50 entries: the hub hands them the sequence numbers b has already passed.
    const c = device({ hubUrl: live.url, token: live.token });
    await syncAll([c]);
    for (let i = 0; i < 50; i++) c.core.handle('timeline.log', { incidentId, entryKind: 'note', text: `note from c ${i}` });
    await syncAll([c]);

    b.sync.configure({ hubUrl: live.url, token: live.token, enabled: true });
    await syncAll([b]);
    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0 });
    expect(notes(b, incidentId).filter((t) => t.startsWith('note from c'))).toHaveLength(50);
    // b pushed back a's 20 entries the restored hub had lost, so a newcomer gets all of them.
    const d = device({ hubUrl: live.url, token: live.token });
    await syncAll([d]);
    expect(notes(d, incidentId)).toHaveLength(70);
  });
});

describe('the hub token stays with the hub it was given for', () => {
  test('changing the hub origin without a new token forgets the saved token, and the new host never receives it', async () => {
    const dir = tempDir();
    const secrets = privateFileSecretStore(dir);
    const core = await startCore({ dataDir: dir, transport: 'browser', secrets });
    try {
      const first = await listeningSpy();
      const configured = await core.call('sync.configure', { hubUrl: first.url, token: 'wrh_team_token_1234', enabled: true });
      expect(configured.hasToken).toBe(true);
      expect(secrets.load()).toBe('wrh_team_token_1234');

      const other = await listeningSpy();
      const moved = await core.call('sync.configure', { hubUrl: other.url, enabled: true });
      expect(moved.hasToken).toBe(false);
      expect(secrets.load()).toBeNull();
      await core.call('sync.now', {});
      await new Promise((r) => setTimeout(r, 200));
      expect(other.authorizations).toEqual([]);

      // Same origin, another path: still the same hub, the token stays.
      await core.call('sync.configure', { hubUrl: first.url, token: 'wrh_team_token_5678', enabled: false });
      const samePlace = await core.call('sync.configure', { hubUrl: `${first.url}/`, enabled: false });
      expect(samePlace.hasToken).toBe(true);
      expect(secrets.load()).toBe('wrh_team_token_5678');
    } finally {
      await core.close();
    }
  });

  test('plain http is refused for a hub off this machine, changing nothing; https and loopback are accepted', async () => {
    const dir = tempDir();
    const secrets = privateFileSecretStore(dir);
    const core = await startCore({ dataDir: dir, transport: 'browser', secrets });
    try {
      const refused = core.call('sync.configure', { hubUrl: 'http://hub.example.org', token: 'wrh_team_token_1234', enabled: true });
      await expect(refused).rejects.toMatchObject({ body: { code: 'invalid_input', issues: [{ path: 'hubUrl' }] } });
      await expect(refused).rejects.toThrow(/https/);
      expect(secrets.load()).toBeNull();
      expect(await core.call('sync.status', {})).toMatchObject({ hubUrl: '', hasToken: false });

      const secure = await core.call('sync.configure', { hubUrl: 'https://hub.example.org', token: 'wrh_team_token_1234', enabled: false });
      expect(secure).toMatchObject({ hubUrl: 'https://hub.example.org', plainHttp: false, hasToken: true });
      const local = await core.call('sync.configure', { hubUrl: 'http://localhost:4800', token: 'wrh_team_token_1234', enabled: false });
      expect(local).toMatchObject({ plainHttp: false, hasToken: true });
    } finally {
      await core.close();
    }
  });

  test('a lab that opts out gets plain http, flagged in the status the header shows', () => {
    const lab = device();
    const sync = new SyncEngine(lab.core, lab.store, { token: null, timing: FAST, allowPlainHttp: true });
    try {
      const status = sync.configure({ hubUrl: 'http://10.0.0.5:4800', token: 'wrh_team_token_1234', enabled: false });
      expect(status).toMatchObject({ plainHttp: true, hasToken: true });
    } finally {
      sync.stop();
    }
    // The same saved URL without the opt-out: an error that says why, and nothing is sent.
    lab.store.setMeta('sync.enabled', 'true');
    const strict = new SyncEngine(lab.core, lab.store, { token: 'wrh_team_token_1234', timing: FAST });
    strict.start();
    expect(strict.status()).toMatchObject({ state: 'error', error: expect.stringMatching(/https/) });
    strict.stop();
  });
});
