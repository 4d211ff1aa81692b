import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { ApiError } from '../shared/api/api.js';
import { SETTINGS_STREAM_ID } from '../shared/clocks/policy.js';
import { ARCHIVE_FORMAT } from '../shared/library/archive.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { decodeHlc, encodeHlc, MAX_CLOCK_SKEW_MS } from '../shared/record/hlc.js';
import { UNTRUSTED_LIMITS } from '../shared/record/untrusted.js';
import { PULL_CURSOR_KEY, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, fileFingerprint } from './helpers.js';
import { openDevice, startTestHub, syncAll, type Device } from './sync-support.js';
import type { HubProcess } from '../hub/test/support.js';

/**
 * The cases of issue #9 about input, quarantine, clocks and imports, each reproduced on the old
 * main: a single event or file must not stop recording or syncing, nor rewrite the record.
 */

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

/** Close a laptop and open it again on the same folder (a restart). */
function restart(d: Device, options: Parameters<typeof openDevice>[0] = {}): Device {
  d.close();
  devices.splice(devices.indexOf(d), 1);
  return device({ ...options, dir: d.dir });
}

/** An event as another laptop (or an attacker with a team token) would send it. */
function foreign(
  incidentId: string,
  kind: string,
  payload: Record<string, unknown>,
  hlc = encodeHlc({ wall: Date.now(), counter: 0, node: 'other-laptop' }),
): EventEnvelope {
  return { id: uuidv7(), incidentId, kind, payload, actor: 'Mallory', deviceId: 'other-laptop', hlc, recordedAt: Date.now() };
}

/** Push raw events to the hub as any holder of the team token could. */
async function pushRaw(hub: { url: string; token: string }, events: unknown[]): Promise<number> {
  const response = await fetch(`${hub.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  await response.text();
  return response.status;
}

function archiveOf(incidentId: string, events: unknown[]): string {
  return Buffer.from(JSON.stringify({ format: ARCHIVE_FORMAT, version: 1, exportedAt: Date.now(), incidentId, events })).toString('base64');
}

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A valid command still succeeds and is stamped no later than wall time plus the bound. */
function stillRecords(d: Device, incidentId: string): void {
  const { eventId } = d.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'still recording' });
  const stored = d.store.timeline(incidentId, 0, 100_000).entries.find((e) => e.id === eventId);
  expect(stored).toBeDefined();
  expect(decodeHlc(stored!.hlc).wall).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
}

describe('a prototype name (__proto__, constructor, prototype) as an audience or a person', () => {
  test('typed in the settings or a role: refused with a clear error, and every later call still works', () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    for (const name of ['__proto__', 'constructor', 'Prototype']) {
      expect(refusal(() => a.core.handle('settings.setAudience', { audience: name, everyMs: 60_000 })).body.message).toMatch(/reserved/);
      expect(refusal(() => a.core.handle('incident.setSme', { incidentId, person: name, active: true })).body.code).toBe('invalid_input');
      expect(refusal(() => a.core.handle('incident.assignRole', { incidentId, role: 'scribe', person: name })).body.code).toBe('invalid_input');
    }
    expect(({} as Record<string, unknown>)['active']).toBeUndefined();
    a.core.handle('settings.setAudience', { audience: 'regulator', everyMs: 60 * 60_000 });
    stillRecords(a, incidentId);
  });

  test('pushed to the hub by any team token: the other laptops quarantine it, the prototype stays clean, across a restart', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    let b = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = b.core.handle('incident.declare', declareInput);
    const poison = [
      foreign(SETTINGS_STREAM_ID, 'settings.audience', { audience: '__proto__', active: false, everyMs: 60_000 }),
      foreign(incidentId, 'incident.sme', { person: 'Constructor', speciality: '', active: true, occurredAt: Date.now() }),
    ];
    expect(await pushRaw(hub, poison)).toBe(200);
    await syncAll([b]);
    expect(b.sync.status()).toMatchObject({ state: 'up_to_date', quarantined: 2 });
    expect(({} as Record<string, unknown>)['active']).toBeUndefined();
    const listed = b.core.handle('quarantine.list', {});
    expect(listed.events.map((e) => [e.eventId, e.code])).toEqual(expect.arrayContaining(poison.map((e) => [e.id, 'invalid_payload'])));
    expect(listed.events.find((e) => e.eventId === poison[0]!.id)?.reason).toMatch(/payload\.audience: this name is reserved/);
    b.core.handle('settings.setAudience', { audience: 'regulator', everyMs: 60 * 60_000 });
    b = restart(b, { hubUrl: hub.url, token: hub.token });
    expect(b.core.handle('settings.get', {}).audiences.map((x) => x.name)).not.toContain('__proto__');
    stillRecords(b, incidentId);
  });
});

describe('extreme and future clocks', () => {
  test('an extreme stamp (999999999999999:zzzzzz) from the hub or an archive is quarantined; after a restart recording goes on, stamped now', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    let a = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const fromHub = foreign(
      incidentId,
      'timeline.entry',
      { entryKind: 'note', text: 'from the end of time', occurredAt: Date.now() },
      '999999999999999:zzzzzz:evil',
    );
    expect(await pushRaw(hub, [fromHub])).toBe(200);
    await syncAll([a]);
    const inArchive = foreign(incidentId, 'incident.status', { status: 'closed', occurredAt: Date.now() }, '999999999999999:zzzzzy:evil');
    const [declaration] = a.store.incidentEvents(incidentId);
    a.core.handle('archive.import', { base64: archiveOf(incidentId, [declaration, inArchive]) });
    expect(a.core.handle('quarantine.list', {}).events.map((e) => [e.eventId, e.code])).toEqual(
      expect.arrayContaining([
        [fromHub.id, 'future_clock'],
        [inArchive.id, 'future_clock'],
      ]),
    );
    expect(a.core.handle('incident.get', { incidentId }).incident?.status).toBe('declared');
    a = restart(a, { hubUrl: hub.url, token: hub.token });
    stillRecords(a, incidentId);
    await syncAll([a]);
    expect(a.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0 });
  });

  test('a stamp an hour ahead with a full counter does not block recording; a far-future wall time does not drag our clock', () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const hour = foreign(
      incidentId,
      'timeline.entry',
      { entryKind: 'note', text: 'an hour ahead', occurredAt: Date.now() },
      encodeHlc({ wall: Date.now() + 3_600_000, counter: 36 ** 6 - 1, node: 'x' }),
    );
    const year = foreign(
      incidentId,
      'timeline.entry',
      { entryKind: 'note', text: 'a year ahead', occurredAt: Date.now() },
      encodeHlc({ wall: Date.now() + 365 * 86_400_000, counter: 0, node: 'y' }),
    );
    // Within the bound with a full counter: folded, and the clock carries into the next millisecond.
    const full = foreign(
      incidentId,
      'timeline.entry',
      { entryKind: 'note', text: 'a minute ahead, full counter', occurredAt: Date.now() },
      encodeHlc({ wall: Date.now() + 60_000, counter: 36 ** 6 - 1, node: 'z' }),
    );
    expect(a.core.ingest([hour, year, full]).quarantined).toBe(2);
    for (let i = 0; i < 5; i++) stillRecords(a, incidentId);
    const shown = a.store.timeline(incidentId).entries.map((e) => e.id);
    expect(shown).toContain(full.id);
    expect(shown).not.toContain(hour.id);
  });

  test('a breach dated in the future of the receiving laptop is not believed', () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', { ...declareInput, occurredAt: Date.now() - 60_000, detectedAt: Date.now() - 30_000 });
    // Stamped within the bound (the other laptop had seen our clock), but the breach itself is days away.
    const breach = foreign(incidentId, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: Date.now() + 3 * 86_400_000 });
    a.core.ingest([breach]);
    expect(a.core.handle('incident.get', { incidentId }).incident?.breaches.response).toBeNull();
    expect(a.core.handle('quarantine.list', {}).events[0]).toMatchObject({ eventId: breach.id, code: 'future_breach' });
  });
});

describe('one event cannot stop syncing', () => {
  test('a 300 KiB event of an unknown kind is refused at entry, with the limit the hub applies', () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const big = foreign(incidentId, 'future.blob', { blob: 'x'.repeat(300 * 1024) });
    expect(refusal(() => a.core.ingest([big], { outbox: true })).body.message).toMatch(/at most 262144/);
    const [declaration] = a.store.incidentEvents(incidentId);
    expect(refusal(() => a.core.handle('archive.import', { base64: archiveOf(incidentId, [declaration, big]) })).body.message).toMatch(
      /Event 2 of 2 is invalid: the event is \d+ bytes of JSON; at most 262144/,
    );
    expect(a.store.hasEvent(big.id)).toBe(false);
    expect(UNTRUSTED_LIMITS.maxEventBytes).toBe(256 * 1024);
  });

  test('one already in the outbox (stored by an older version), ahead of a new entry, is quarantined and the rest syncs', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = device({ hubUrl: hub.url, token: hub.token });
    const b = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    // What the old main let in: written straight into the log, so queued (every event after the
    // outbox marker that no range skips waits for the hub), ahead of the entry logged next.
    const big = foreign(incidentId, 'future.blob', { blob: 'x'.repeat(300 * 1024) });
    a.store.db
      .prepare(
        `INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload) VALUES (?, ?, ?, ?, 0, 0, 'Mallory', 'other-laptop', ?)`,
      )
      .run(big.id, incidentId, big.kind, big.hlc, JSON.stringify(big.payload));
    expect(a.store.inOutbox(big.id)).toBe(true);
    a.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'after the big one' });
    await syncAll([a, b]);
    expect(a.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0, quarantined: 1 });
    expect(a.core.handle('quarantine.list', {}).events[0]).toMatchObject({ eventId: big.id, code: 'refused_by_hub' });
    expect(b.core.handle('incident.get', { incidentId }).incident?.title).toBe(declareInput.title);
    expect(b.store.timeline(incidentId).entries.some((e) => (e.payload as { text?: string }).text === 'after the big one')).toBe(true);
  });

  test('a pull page holding an event that cannot even be kept: it is skipped, the rest applied, the cursor moves on', async () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const good = foreign(incidentId, 'timeline.entry', { entryKind: 'note', text: 'good', occurredAt: Date.now() });
    const page = `{"events":[{"id":"x","kind":"timeline.entry"},${JSON.stringify(good)}],"cursor":7,"more":false,"epoch":"0123456789abcdef0123456789abcdef"}`;
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'POST' ? JSON.stringify({ accepted: 1, duplicates: 0, cursor: 1 }) : page);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    a.sync.configure({ hubUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'wrh_test_test-test-test', enabled: true });
    await syncAll([a], 1);
    expect(a.sync.status().state).toBe('up_to_date');
    expect(a.store.hasEvent(good.id)).toBe(true);
    expect(a.store.getMeta(PULL_CURSOR_KEY)).toBe('7');
  });

  test('an unknown kind whose occurredAt is a fraction or negative (found by the property test, seed 527958667) does not stop the pull', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = device({ hubUrl: hub.url, token: hub.token });
    const b = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    await syncAll([a, b]);
    const odd = [0.5, -1, 1e300].map((occurredAt) => foreign(incidentId, 'future.blob', { entryKind: 'note', text: 'odd time', occurredAt }));
    expect(await pushRaw(hub, odd)).toBe(200);
    await syncAll([a, b]);
    for (const d of [a, b]) {
      expect(d.sync.status()).toMatchObject({ state: 'up_to_date', error: null });
      for (const event of odd) expect(d.store.hasEvent(event.id)).toBe(true);
      stillRecords(d, incidentId);
    }
  });

  test('a value from a newer version (an unknown status) from the hub: stored, synced onward, never folded, listed with its reason', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const a = device({ hubUrl: hub.url, token: hub.token });
    const b = device({ hubUrl: hub.url, token: hub.token });
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    await syncAll([a, b]);
    const newer = foreign(incidentId, 'incident.status', { status: 'monitoring', occurredAt: Date.now() });
    // Brought in on a's side (as an archive would), it travels to b through the hub.
    const [declaration] = a.store.incidentEvents(incidentId);
    expect(a.core.handle('archive.import', { base64: archiveOf(incidentId, [declaration, newer]) }).imported).toBe(1);
    await syncAll([a, b]);
    for (const d of [a, b]) {
      expect(d.store.hasEvent(newer.id)).toBe(true);
      expect(d.core.handle('incident.get', { incidentId }).incident?.status).toBe('declared');
      expect(d.core.handle('quarantine.list', {})).toMatchObject({
        total: 1,
        events: [{ eventId: newer.id, code: 'invalid_payload', reason: expect.stringMatching(/payload\.status/) }],
      });
      expect(d.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0, quarantined: 1 });
      stillRecords(d, incidentId);
    }
  });
});

describe('deeply nested JSON', () => {
  test('an archive nested 200,000 levels deep is refused with a clear reason (the API and the hub: test/server.test.ts, hub/test/http.test.ts)', () => {
    const a = device();
    const deep = `{"format":"${ARCHIVE_FORMAT}","version":1,"events":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const error = refusal(() => a.core.handle('archive.import', { base64: Buffer.from(deep).toString('base64') }));
    expect(error.body).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/nested more than 32 levels/) });
  });
});

describe('imports never overwrite', () => {
  test('an archive naming an incident that is here, with another declaration, is refused and changes nothing', () => {
    const a = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const forged = [
      foreign(incidentId, 'incident.declared', { ...declareInput, title: 'Nothing happened', commander: 'Mallory', declaredAt: Date.now(), drill: false }),
      foreign(incidentId, 'incident.status', { status: 'closed', occurredAt: Date.now() }),
    ];
    const file = path.join(a.dir, STORE_FILE_NAME);
    const before = fileFingerprint(file);
    const error = refusal(() => a.core.handle('archive.import', { base64: archiveOf(incidentId, forged) }));
    expect(error.body.code).toBe('conflict');
    expect(error.body.message).toMatch(/already holds incident .* declared differently.*nothing was changed/);
    expect(fileFingerprint(file)).toBe(before);
    expect(a.core.handle('incident.get', { incidentId }).incident).toMatchObject({
      title: declareInput.title,
      status: 'declared',
      roles: { commander: 'Alice' },
    });
    expect(a.store.outboxCount()).toBe(1);
  });

  test('the team-settings stream cannot be imported', () => {
    const a = device();
    const file = path.join(a.dir, STORE_FILE_NAME);
    const settings = [
      foreign(SETTINGS_STREAM_ID, 'incident.declared', { ...declareInput, declaredAt: Date.now(), drill: false }),
      foreign(SETTINGS_STREAM_ID, 'settings.sla', { priority: 'P1', responseMs: 10 * 365 * 86_400_000 }),
    ];
    const before = fileFingerprint(file);
    expect(refusal(() => a.core.handle('archive.import', { base64: archiveOf(SETTINGS_STREAM_ID, settings) })).body.message).toMatch(
      /team settings.*never imported/,
    );
    expect(fileFingerprint(file)).toBe(before);
    expect(a.core.handle('incidents.list', {})).toEqual([]);
    expect(a.core.handle('settings.get', {}).slaPolicy.P1.responseMs).toBe(15 * 60_000);
  });

  test('the same incident from a teammate merges, and importing it twice changes nothing the second time', () => {
    const a = device();
    const b = device();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    b.core.ingest(a.store.incidentEvents(incidentId));
    a.core.handle('timeline.log', { incidentId, entryKind: 'finding', text: 'found on a' });
    const file = a.core.handle('archive.export', { incidentId, gzip: false });
    expect(b.core.handle('archive.import', { base64: file.base64 }).imported).toBe(1);
    const before = fileFingerprint(path.join(b.dir, STORE_FILE_NAME));
    expect(b.core.handle('archive.import', { base64: file.base64 })).toMatchObject({ imported: 0 });
    expect(fileFingerprint(path.join(b.dir, STORE_FILE_NAME))).toBe(before);
  });
});
