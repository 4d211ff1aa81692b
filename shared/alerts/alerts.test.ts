import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../record/hlc.js';
import type { EventEnvelope } from '../record/events.js';
import { IdSchema } from '../record/events.js';
import { foldAlerts, resolutionEventId, resolutions, viewAlerts } from './alerts.js';
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
    {
      fingerprint,
      integration: 'Prometheus',
      sourceKind: 'alertmanager',
      title: `Alert ${fingerprint}`,
      description: '',
      severity,
      status,
      startsAt: 1000,
      endsAt: status === 'resolved' ? wall : null,
      link: null,
      labels: [],
      occurredAt: wall,
    },
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

describe('a resolved alert on the incidents it is linked to', () => {
  it('has one id per alert, incident and resolution, the same on every laptop', () => {
    const a = resolutionEventId('fp', INCIDENT, 3000);
    expect(IdSchema.safeParse(a).success).toBe(true);
    expect(resolutionEventId('fp', INCIDENT, 3000)).toBe(a);
    expect(
      new Set([
        a,
        resolutionEventId('fp', INCIDENT, 3001),
        resolutionEventId('fp2', INCIDENT, 3000),
        resolutionEventId('fp', '0190a000-0000-7000-8000-000000000002', 3000),
      ]).size,
    ).toBe(4);
  });

  it('is owed to each linked incident once the alert resolved, and to none while it fires', () => {
    const firing = [
      received('a', 'firing', 2000),
      event('alert.linked', { fingerprint: 'a', incidentId: INCIDENT, declared: true, occurredAt: 2200 }, 2200, 'laptop-b', 'Bo'),
    ];
    expect(resolutions(foldAlerts(firing))).toEqual([]);
    const resolved = [...firing, received('a', 'resolved', 3000)];
    expect(resolutions(foldAlerts(resolved))).toEqual([
      { id: resolutionEventId('a', INCIDENT, 3000), incidentId: INCIDENT, fingerprint: 'a', title: 'Alert a', endsAt: 3000 },
    ]);
    // Resolved but linked to nothing: no incident to tell.
    expect(resolutions(foldAlerts([received('b', 'resolved', 3000)]))).toEqual([]);
  });
});
