import { encodeHlc } from '../shared/record/hlc.js';
import { viewIncident } from '../shared/record/fold.js';
import { expect, it } from 'vitest';
import { declareInput, tempDir } from './helpers.js';
import { openCore } from './library-fixtures.js';

/**
 * A stamp too far ahead stays quarantined once wall time catches up (issue #9, decided in
 * ARCHITECTURE.md): a laptop one hour ahead said "investigating"; the honest laptop resolved the
 * incident meanwhile. Two hours later, after a restart and the same event pulled again, the
 * event is still set aside and the incident still says resolved: folded under its stamp, the
 * stale status would have won.
 */
it('is never folded later, across a restart and a second delivery, so it never outranks what was recorded meanwhile', () => {
  const dir = tempDir();
  let now = Date.now();
  const clock = () => now;
  let { store, core } = openCore(dir, clock);
  const { incidentId } = core.handle('incident.declare', declareInput);
  const ahead = now + 3_600_000;
  const stale = {
    id: '018f0000-0000-7000-8000-00000000a4ed',
    incidentId,
    kind: 'incident.status',
    payload: { status: 'investigating', occurredAt: ahead },
    actor: 'Liam',
    deviceId: 'fastclock',
    hlc: encodeHlc({ wall: ahead, counter: 0, node: 'fastclock' }),
    recordedAt: ahead,
  };
  expect(core.ingest([stale]).quarantined).toBe(1);
  now += 10 * 60_000;
  core.handle('incident.setStatus', { incidentId, status: 'resolved' });

  now += 2 * 3_600_000;
  store.close();
  ({ store, core } = openCore(dir, clock));
  core.ingest([stale]);
  expect(core.handle('quarantine.list', {}).events.map((e) => [e.eventId, e.code])).toEqual([[stale.id, 'future_clock']]);
  expect(viewIncident(store.incidentState(incidentId))?.status).toBe('resolved');
  store.close();
});
