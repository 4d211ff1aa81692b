import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../record/hlc.js';
import type { EventEnvelope } from '../record/events.js';
import { foldAlerts, viewAlerts } from './alerts.js';
import { ALERTS_STREAM_ID } from './events.js';

let n = 0;
const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
const INCIDENT = '0190a000-0000-7000-8000-000000000001';

function event(kind: string, payload: Record<string, unknown>, wall: number, node = 'hub', actor = 'Prometheus'): EventEnvelope {
  return { id: id(), incidentId: ALERTS_STREAM_ID, kind, payload, actor, deviceId: node, hlc: encodeHlc({ wall, counter: 0, node }), recordedAt: wall };
}

const received = (fingerprint: string, status: 'firing' | 'resolved', wall: number, severity = 'high') =>
  event(
    'alert.received',
    { fingerprint, integration: 'Prometheus', sourceKind: 'alertmanager', title: `Alert ${fingerprint}`, description: '', severity, status, startsAt: 1000, endsAt: status === 'resolved' ? wall : null, link: null, labels: [], occurredAt: wall },
    wall,
  );

describe('alert inbox fold', () => {
  it('goes new → acknowledged → linked → resolved, whatever the order events arrive in', () => {
    const events = [
      received('a', 'firing', 2000),
      event('alert.acknowledged', { fingerprint: 'a', occurredAt: 2100 }, 2100, 'laptop-a', 'Ann'),
      event('alert.linked', { fingerprint: 'a', incidentId: INCIDENT, declared: true, occurredAt: 2200 }, 2200, 'laptop-b', 'Bo'),
      received('a', 'resolved', 3000),
      received('b', 'firing', 2500, 'critical'),
    ];
    const states = (list: EventEnvelope[]) => viewAlerts(foldAlerts(list)).map((a) => [a.fingerprint, a.state]);
    expect(states(events.slice(0, 1))).toEqual([['a', 'new']]);
    expect(states(events.slice(0, 2))).toEqual([['a', 'acknowledged']]);
    expect(states(events.slice(0, 3))).toEqual([['a', 'linked']]);
    expect(states(events)).toEqual([
      ['b', 'new'],
      ['a', 'resolved'],
    ]);
    // An acknowledgement without its alert (not synced yet) shows nothing.
    expect(viewAlerts(foldAlerts([events[1]!]))).toEqual([]);

    fc.assert(
      fc.property(fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }), (shuffled) => {
        expect(viewAlerts(foldAlerts(shuffled))).toEqual(viewAlerts(foldAlerts(events)));
      }),
    );
  });

  it('ignores other streams', () => {
    const other = { ...received('x', 'firing', 1), incidentId: INCIDENT };
    expect(viewAlerts(foldAlerts([other]))).toEqual([]);
  });
});
