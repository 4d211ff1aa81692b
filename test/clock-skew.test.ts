import { afterEach, expect, test } from 'vitest';
import { decodeHlc, MAX_CLOCK_SKEW_MS } from '../shared/record/hlc.js';
import type { HubProcess } from '../hub/test/support.js';
import { declareInput } from './helpers.js';
import { openDevice, startTestHub, syncAll, type Device } from './sync-support.js';

/**
 * Issue #9: one laptop whose clock runs three days ahead, two honest ones and a real hub. On the
 * old main its breach synced to everyone 21 s after the declaration, its older "investigating"
 * beat the honest "mitigated" and "resolved", and every honest laptop then stamped 72 h ahead,
 * even after a restart.
 */

const devices: Device[] = [];
const hubs: HubProcess[] = [];
afterEach(async () => {
  while (devices.length) devices.pop()!.close();
  while (hubs.length) await hubs.pop()!.stop();
});

const THREE_DAYS = 3 * 86_400_000;

function device(options: Parameters<typeof openDevice>[0]): Device {
  const d = openDevice(options);
  devices.push(d);
  return d;
}

test('three consoles and a hub, one clock three days ahead: its breach is not believed, its older status does not win, honest clocks stay honest after a restart', async () => {
  const hub = await startTestHub();
  hubs.push(hub);
  let a = device({ hubUrl: hub.url, token: hub.token });
  let b = device({ hubUrl: hub.url, token: hub.token });
  const liar = device({ hubUrl: hub.url, token: hub.token, now: () => Date.now() + THREE_DAYS });

  // A P1 declared on an honest laptop, just now.
  const now = Date.now();
  const { incidentId } = a.core.handle('incident.declare', { ...declareInput, occurredAt: now - 60_000, detectedAt: now - 30_000 });
  await syncAll([a, b, liar]);
  expect(a.core.handle('incident.get', { incidentId }).incident?.priority).toBe('P1');

  // By its clock the response target ran out days ago: it records the breach and moves the status on.
  expect(liar.core.noticeBreaches()).toBeGreaterThan(0);
  liar.core.handle('incident.setStatus', { incidentId, status: 'investigating' });
  await syncAll([liar, a, b]);

  for (const honest of [a, b]) {
    const view = honest.core.handle('incident.get', { incidentId }).incident!;
    expect(view.breaches).toEqual({ response: null, resolution: null });
    expect(view.status).toBe('declared');
    expect(honest.core.noticeBreaches()).toBe(0);
    const quarantined = honest.core.handle('quarantine.list', {}).events;
    expect(quarantined.length).toBeGreaterThanOrEqual(2);
    expect(quarantined.every((e) => e.deviceId === liar.core.deviceId && e.code === 'future_clock')).toBe(true);
    // Shown in the sync status: which laptop, how far ahead.
    const status = honest.sync.status();
    expect(status.clockSkew).toMatchObject({ deviceId: liar.core.deviceId });
    expect(status.clockSkew!.aheadMs).toBeGreaterThan(THREE_DAYS - 60_000);
    expect(status.quarantined).toBe(quarantined.length);
  }

  // The honest laptops go on: their later statuses are not beaten by the liar's older "investigating".
  a.core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
  await syncAll([a, b]);
  b.core.handle('incident.setStatus', { incidentId, status: 'resolved' });
  await syncAll([b, a, liar]);
  for (const honest of [a, b]) {
    const view = honest.core.handle('incident.get', { incidentId }).incident!;
    expect(view.status).toBe('resolved');
    expect(view.statusChanges.map((c) => c.value)).toEqual(['declared', 'mitigated', 'resolved']);
  }

  // Honest laptops never stamp ahead, not now and not after a restart.
  const restarted: Device[] = [];
  for (const honest of [a, b]) {
    honest.close();
    devices.splice(devices.indexOf(honest), 1);
    restarted.push(device({ dir: honest.dir, hubUrl: hub.url, token: hub.token }));
  }
  [a, b] = restarted as [Device, Device];
  await syncAll([a, b]);
  for (const honest of [a, b]) {
    const { eventId } = honest.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'after the restart' });
    const stamp = honest.store.timeline(incidentId, 0, 1000).entries.find((e) => e.id === eventId)!.hlc;
    expect(decodeHlc(stamp).wall).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
    expect(decodeHlc(stamp).wall).toBeLessThan(Date.now() + THREE_DAYS / 2);
    expect(honest.core.handle('incident.get', { incidentId }).incident?.status).toBe('resolved');
  }
});
