import { afterEach, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { encodeHlc } from '../shared/record/hlc.js';
import { declareInput } from './helpers.js';
import { openDevice, startTestHub, syncAll, type Device } from './sync-support.js';
import type { HubProcess } from '../hub/test/support.js';

const devices: Device[] = [];
const hubs: HubProcess[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

test('a pull page carrying a second declaration of an incident already here does not rewrite it: kept, synced onward, quarantined with its reason', async () => {
  const hub = await startTestHub();
  hubs.push(hub);
  const a = openDevice({ hubUrl: hub.url, token: hub.token });
  const b = openDevice({ hubUrl: hub.url, token: hub.token });
  devices.push(a, b);
  const { incidentId } = a.core.handle('incident.declare', declareInput);
  await syncAll([a, b]);
  const before = b.core.handle('incident.get', { incidentId }).incident;
  expect(before?.title).toBe(declareInput.title);

  // Any holder of the team token can push one, stamped later so that it would win on its stamp.
  const later = Date.now() + 60_000;
  const original = a.store.incidentEvents(incidentId).find((e) => e.kind === 'incident.declared')!;
  const forged = {
    id: uuidv7(),
    incidentId,
    kind: 'incident.declared',
    payload: { ...original.payload, title: 'Nothing to see here', commander: 'Mallory', declaredAt: later },
    actor: 'Mallory',
    deviceId: 'other-laptop',
    hlc: encodeHlc({ wall: later, counter: 0, node: 'other-laptop' }),
    recordedAt: later,
  };
  const pushed = await fetch(`${hub.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [forged] }),
  });
  expect(pushed.status).toBe(200);
  await syncAll([a, b]);

  for (const d of [a, b]) {
    expect(d.store.hasEvent(forged.id)).toBe(true);
    const incident = d.core.handle('incident.get', { incidentId }).incident;
    expect(incident).toMatchObject({ title: declareInput.title, roles: { commander: declareInput.commander }, status: 'declared' });
    expect(d.core.handle('incidents.list', {}).map((i) => i.title)).toEqual([declareInput.title]);
    expect(d.core.handle('quarantine.list', {})).toMatchObject({ total: 1, events: [{ eventId: forged.id, code: 'second_declaration' }] });
    // Recording goes on.
    d.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'still recording' });
  }
  // After a restart the projection is rebuilt the same way.
  const dir = b.dir;
  b.close();
  devices.splice(devices.indexOf(b), 1);
  const reopened = openDevice({ dir, hubUrl: hub.url, token: hub.token });
  devices.push(reopened);
  expect(reopened.core.handle('incident.get', { incidentId }).incident?.title).toBe(declareInput.title);
});
