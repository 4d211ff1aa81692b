import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drillRecordOf } from './drills.js';
import { parseEvent, type EventEnvelope } from '../record/events.js';
import { encodeHlc } from '../record/hlc.js';

const INCIDENT = '0190a0b0-0000-7000-8000-000000000001';
const at = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`;

function event(n: number, kind: 'drill.started' | 'drill.stopped', wall: number, node: string): EventEnvelope {
  const payload =
    kind === 'drill.started'
      ? { source: 'scenario', sourceId: `s-${n}`, sourceTitle: `Scenario ${n}`, speed: 10, language: 'en', injects: n, reference: null, occurredAt: wall }
      : { delivered: n, cancelled: 1, occurredAt: wall };
  return parseEvent({
    id: at(n),
    incidentId: INCIDENT,
    kind,
    payload,
    actor: node,
    deviceId: node,
    hlc: encodeHlc({ wall, counter: 0, node }),
    recordedAt: wall,
  });
}

describe('drill record', () => {
  it('is the same whatever order and duplication the start and stop events arrive in (earliest stamp wins)', () => {
    const events = fc.array(
      fc.record({
        kind: fc.constantFrom('drill.started' as const, 'drill.stopped' as const),
        wall: fc.integer({ min: 1, max: 1000 }),
        node: fc.constantFrom('a', 'b'),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(
        events.chain((specs) => {
          const made = specs.map((s, i) => event(i + 1, s.kind, s.wall, s.node));
          return fc.tuple(
            fc.constant(made),
            fc.shuffledSubarray(made, { minLength: made.length, maxLength: made.length }),
            fc.array(fc.constantFrom(...made), { maxLength: 4 }),
          );
        }),
        ([made, shuffled, duplicates]) => {
          expect(drillRecordOf([...shuffled, ...duplicates])).toEqual(drillRecordOf(made));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is null for an incident that is not a drill', () => {
    expect(drillRecordOf([event(1, 'drill.stopped', 5, 'a')])).toBeNull();
  });
});
