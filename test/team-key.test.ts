import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { startCore } from '../electron/host/host.js';
import type { CoreHandle } from '../electron/host/handle.js';
import { privateFileSecretStore } from '../electron/host/secrets.js';
import { STORE_FILE_NAME } from '../electron/store/store.js';
import type { HubProcess } from '../hub/test/support.js';
import { declareInput, tempDir } from './helpers.js';
import { startTestHub } from './sync-support.js';

/**
 * Issue #14: the team key is made on one laptop and given to the others by a key file or by a
 * pairing code plus a passphrase through the hub; it is kept like the hub token (a private file
 * in browser mode), never in SQLite, and the core seals with it from the moment it is made.
 */
const cores: CoreHandle[] = [];
const hubs: HubProcess[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

async function laptop(dir = tempDir()) {
  const secrets = privateFileSecretStore(dir);
  const core = await startCore({
    dataDir: dir,
    transport: 'browser',
    secrets,
    syncTiming: { pushDelayMs: 5, pollMs: 60_000, backoffMs: 20, maxBackoffMs: 200 },
  });
  cores.push(core);
  return { dir, core, secrets };
}

function storeBytes(dir: string): Buffer {
  const file = path.join(dir, STORE_FILE_NAME);
  return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the team key on a laptop', () => {
  test('created, kept in a private file and never in SQLite, exported and imported, and sealing from the first push', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = await laptop();
    expect(await a.core.call('teamKey.status', {})).toMatchObject({ state: 'none', keyId: null, storedIn: 'private_file' });

    const made = await a.core.call('teamKey.create', { team: 'ops' });
    expect(made).toMatchObject({ state: 'sealed', team: 'ops', keys: 1 });
    expect(made.fingerprint).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
    await expect(a.core.call('teamKey.create', { team: 'ops' })).rejects.toMatchObject({ body: { reason: 'team_key_exists' } });

    const keyFile = path.join(a.dir, 'team-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = (JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: { key: string }[] }).keys[0]!.key;

    // The first push after the key exists is sealed, every event of it.
    await a.core.call('sync.configure', { hubUrl: hub.url, token: hub.token, enabled: true });
    const { incidentId } = await a.core.call('incident.declare', declareInput);
    await a.core.call('timeline.log', { incidentId, entryKind: 'note', text: 'only the team reads this' });
    await until(async () => ((await a.core.call('sync.status', {})).pending === 0 ? true : undefined), 'the push');
    const hubDb = new Database(hub.dbFile, { readonly: true });
    const bodies = hubDb
      .prepare<[], { body: string }>('SELECT body FROM events')
      .all()
      .map((r) => JSON.parse(r.body) as { seal?: string; keyId?: string });
    hubDb.close();
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies.every((b) => b.seal === 'key' && b.keyId === made.keyId)).toBe(true);
    expect(storeBytes(a.dir).includes(Buffer.from(key))).toBe(false);

    // A key file brings the same key to another laptop, which then reads the record.
    const exported = await a.core.call('teamKey.exportFile', {});
    expect(exported.fileName).toBe(`warroom-team-key-ops-${made.keyId}.json`);
    const b = await laptop();
    await expect(b.core.call('teamKey.importFile', { text: '{"format":"warroom-team-key"}' })).rejects.toMatchObject({
      body: { reason: 'team_key_file_invalid' },
    });
    expect((await b.core.call('teamKey.status', {})).state).toBe('none');
    expect(await b.core.call('teamKey.importFile', { text: exported.text })).toMatchObject({
      state: 'sealed',
      keyId: made.keyId,
      fingerprint: made.fingerprint,
    });
    await b.core.call('sync.configure', { hubUrl: hub.url, token: hub.token, enabled: true });
    const entries = await until(async () => {
      const found = await b.core.call('timeline.list', { incidentId }).catch(() => null);
      return found?.entries.some((e) => e.payload['text'] === 'only the team reads this') ? found.entries : undefined;
    }, 'the record on the second laptop');
    expect(entries.length).toBeGreaterThanOrEqual(1);

    // Rotation: a new current key, the old one kept; a restarted console seals with what it kept.
    const rotated = await a.core.call('teamKey.rotate', {});
    expect(rotated).toMatchObject({ state: 'sealed', keys: 2 });
    expect(rotated.keyId).not.toBe(made.keyId);
    await a.core.close();
    cores.splice(cores.indexOf(a.core), 1);
    const again = await laptop(a.dir);
    expect(await again.core.call('teamKey.status', {})).toMatchObject({ keyId: rotated.keyId, keys: 2 });
  }, 90_000);

  test('pairing: a short code and a passphrase carry the key through the hub, which cannot open it; once only', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = await laptop();
    const b = await laptop();
    await expect(a.core.call('teamKey.pairOffer', { passphrase: 'blue tractor sunrise' })).rejects.toMatchObject({ body: { reason: 'team_key_none' } });
    const made = await a.core.call('teamKey.create', { team: 'ops' });
    await expect(a.core.call('teamKey.pairOffer', { passphrase: 'blue tractor sunrise' })).rejects.toMatchObject({ body: { reason: 'pairing_needs_hub' } });
    for (const l of [a, b]) await l.core.call('sync.configure', { hubUrl: hub.url, token: hub.token, enabled: true });

    const offer = await a.core.call('teamKey.pairOffer', { passphrase: 'blue tractor sunrise' });
    expect(offer.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const key = (JSON.parse(readFileSync(path.join(a.dir, 'team-key'), 'utf8')) as { keys: { key: string }[] }).keys[0]!.key;
    const hubFile = readFileSync(hub.dbFile);
    expect(hubFile.includes(Buffer.from(key))).toBe(false);

    await expect(b.core.call('teamKey.pairJoin', { code: offer.code, passphrase: 'blue tractor sunset' })).rejects.toMatchObject({
      body: { reason: 'pairing_wrong_passphrase' },
    });
    await expect(b.core.call('teamKey.pairJoin', { code: 'ZZZZ-ZZZZ-ZZZZ', passphrase: 'blue tractor sunrise' })).rejects.toMatchObject({
      body: { reason: 'pairing_not_found' },
    });
    const joined = await b.core.call('teamKey.pairJoin', { code: offer.code.toLowerCase(), passphrase: 'blue tractor sunrise' });
    expect(joined).toMatchObject({ state: 'sealed', keyId: made.keyId, fingerprint: made.fingerprint });
    await expect(b.core.call('teamKey.pairJoin', { code: offer.code, passphrase: 'blue tractor sunrise' })).rejects.toMatchObject({
      body: { reason: 'pairing_not_found' },
    });
  }, 90_000);
});
