import { describe, expect, test } from 'vitest';
import { parseEvent } from './events.js';
import { foldIncident, viewIncident } from './fold.js';
import { encodeHlc } from './hlc.js';

const incidentId = '018f0000-0000-7000-8000-000000000100';
const base = { incidentId, actor: 'Newer laptop', deviceId: 'newer', recordedAt: 1_000 };

describe('events written by a newer version', () => {
  test('a known kind with fields this version does not know is accepted, folded, and keeps those fields', () => {
    const declared = parseEvent({
      ...base,
      id: '018f0000-0000-7000-8000-000000000101',
      kind: 'incident.declared',
      hlc: encodeHlc({ wall: 1_000, counter: 0, node: 'newer' }),
      payload: {
        title: 'Checkout down',
        description: '',
        occurredAt: 900,
        detectedAt: 950,
        declaredAt: 1_000,
        services: [],
        reporter: '',
        detectionSource: 'monitoring',
        category: 'software',
        impact: 'high',
        urgency: 'low',
        commander: 'Alice',
        drill: false,
        customerTier: 'gold',
      },
    });
    expect(declared.payload['customerTier']).toBe('gold');
    expect(viewIncident(foldIncident(incidentId, [declared]))).toMatchObject({ title: 'Checkout down', priority: 'P3' });
  });

  test('a known field with a wrong type is still refused', () => {
    expect(() =>
      parseEvent({
        ...base,
        id: '018f0000-0000-7000-8000-000000000102',
        kind: 'incident.status',
        hlc: encodeHlc({ wall: 1_001, counter: 0, node: 'newer' }),
        payload: { status: 42, occurredAt: 1_001 },
      }),
    ).toThrow(/status/);
  });
});
