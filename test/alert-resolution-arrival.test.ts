import { expect, test } from 'vitest';
import type { EventEnvelope, EventKind } from '../shared/record/events.js';
import { ALERTS_STREAM_ID } from '../shared/alerts/events.js';
import { HlcClock } from '../shared/record/hlc.js';
import { openCore } from './library-fixtures.js';
import { KIND_SAMPLES } from './kind-samples.js';
import { tempDir } from './helpers.js';

/**
 * A resolved alert linked to an incident this laptop has not received yet: its resolution is
 * recorded in the incident once the incident arrives. Every change notice asks whether it names
 * a linked incident (electron/core/alerts/handlers.ts keeps the set of linked incidents with its
 * fold rather than walking every alert per notice), so notices of other incidents come between.
 */
test('a resolved alert’s linked incident, arriving after the alerts and other incidents’ notes, gets the resolution', () => {
  const { core, store } = openCore(tempDir());
  const linked = '0190a0b0-0000-7000-8000-0000000000b1';
  const other = '0190a0b0-0000-7000-8000-0000000000b2';
  const at = Date.UTC(2026, 10, 25, 9, 0);
  const clock = new HlcClock('other-laptop', () => at);
  let n = 0;
  const event = <K extends EventKind>(incidentId: string, kind: K, payload: (typeof KIND_SAMPLES)[K]): EventEnvelope => ({
    id: `0190a0b0-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    incidentId,
    kind,
    payload: payload as Record<string, unknown>,
    actor: 'Maya',
    deviceId: 'other-laptop',
    hlc: clock.tick(),
    recordedAt: at + n,
  });
  const received = KIND_SAMPLES['alert.received'];
  core.ingest([
    event(ALERTS_STREAM_ID, 'alert.received', { ...received, status: 'resolved', endsAt: at + 600_000 }),
    event(ALERTS_STREAM_ID, 'alert.linked', { fingerprint: received.fingerprint, incidentId: linked, declared: false, occurredAt: at + 1 }),
  ]);
  const resolvedIn = (incidentId: string) => store.incidentEvents(incidentId).filter((e) => e.kind === 'alert.resolved');
  core.ingest([event(other, 'incident.declared', KIND_SAMPLES['incident.declared'])]);
  core.ingest([event(other, 'timeline.entry', KIND_SAMPLES['timeline.entry'])]);
  expect(resolvedIn(other)).toEqual([]);
  expect(resolvedIn(linked)).toEqual([]);

  core.ingest([event(linked, 'incident.declared', KIND_SAMPLES['incident.declared'])]);
  expect(resolvedIn(linked).map((e) => e.payload)).toEqual([
    expect.objectContaining({ fingerprint: received.fingerprint, endsAt: at + 600_000, title: received.title }),
  ]);
  // Once: a later note of the incident records nothing more.
  core.ingest([event(linked, 'timeline.entry', { ...KIND_SAMPLES['timeline.entry'], text: 'later' })]);
  expect(resolvedIn(linked)).toHaveLength(1);
});
