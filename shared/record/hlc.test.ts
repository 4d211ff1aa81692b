import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc, HLC_PATTERN, HlcClock, MAX_CLOCK_SKEW_MS, type HlcStamp } from './hlc.js';

const MAX_WALL = 10 ** 15 - 1;
const MAX_COUNTER = 36 ** 6 - 1;
const node = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const stamp: fc.Arbitrary<HlcStamp> = fc.record({
  wall: fc.oneof(fc.integer({ min: 0, max: MAX_WALL }), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_100 })),
  counter: fc.oneof(fc.integer({ min: 0, max: MAX_COUNTER }), fc.integer({ min: 0, max: 3 })),
  node,
});

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const causal = (a: HlcStamp, b: HlcStamp) => sign(a.wall - b.wall) || sign(a.counter - b.counter) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
const lexical = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A wall clock the test drives: each call returns the next scripted reading, then repeats the last. */
function scriptedClock(readings: number[]): () => number {
  let i = 0;
  return () => readings[Math.min(i++, readings.length - 1)]!;
}

describe('HLC encoding', () => {
  it('string order is causal order (wall, then counter, then node)', () => {
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        expect(lexical(encodeHlc(a), encodeHlc(b))).toBe(causal(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('decode(encode(s)) is s, and every encoded stamp matches the pattern', () => {
    fc.assert(
      fc.property(stamp, (s) => {
        const encoded = encodeHlc(s);
        expect(encoded).toMatch(HLC_PATTERN);
        expect(decodeHlc(encoded)).toEqual(s);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    '',
    'garbage',
    '1700000000000:000000:dev',
    '001700000000000:00000:dev',
    '001700000000000:00000A:dev',
    '001700000000000:000000:',
    '001700000000000:000000:has:colon',
    '001700000000000:000000:with space',
    `001700000000000:000000:${'x'.repeat(65)}`,
    '-01700000000000:000000:dev',
    ' 001700000000000:000000:dev',
  ])('rejects the invalid stamp %j', (bad) => {
    expect(() => decodeHlc(bad)).toThrow(/Invalid HLC stamp/);
  });

  it('rejects an invalid stamp handed to receive() or used to restore a clock', () => {
    const clock = new HlcClock('dev-a', () => 1000);
    expect(() => clock.receive('not-a-stamp')).toThrow(/Invalid HLC stamp/);
    expect(() => new HlcClock('dev-a', () => 1000, '12:0:dev-a')).toThrow(/Invalid HLC stamp/);
  });
});

describe('HlcClock', () => {
  it('ticks strictly increase even when the wall clock stands still or goes backwards', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 2, maxLength: 60 }), (readings) => {
        const clock = new HlcClock('dev-a', scriptedClock(readings));
        let previous = clock.current();
        for (let i = 0; i < readings.length; i++) {
          const next = clock.tick();
          expect(next > previous).toBe(true);
          previous = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('follows the wall clock when it moves forward', () => {
    const clock = new HlcClock('dev-a', scriptedClock([1000, 1000, 900, 2000]));
    expect(decodeHlc(clock.tick())).toEqual({ wall: 1000, counter: 0, node: 'dev-a' });
    expect(decodeHlc(clock.tick())).toEqual({ wall: 1000, counter: 1, node: 'dev-a' });
    expect(decodeHlc(clock.tick())).toEqual({ wall: 1000, counter: 2, node: 'dev-a' });
    expect(decodeHlc(clock.tick())).toEqual({ wall: 2000, counter: 0, node: 'dev-a' });
  });

  it('after receiving a stamp from a device ahead, the next tick sorts after it and the skew is reported', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        // Within the bound: a stamp further ahead is quarantined, never received (see below).
        fc.integer({ min: 1, max: MAX_CLOCK_SKEW_MS }),
        fc.integer({ min: 0, max: 1000 }),
        node,
        (local, ahead, counter, remoteNode) => {
          const clock = new HlcClock('dev-a', () => local);
          clock.tick();
          const remote = encodeHlc({ wall: local + ahead, counter, node: remoteNode });
          expect(clock.receive(remote)).toBe(ahead);
          expect(clock.current() > remote).toBe(true);
          const next = clock.tick();
          expect(next > remote).toBe(true);
          expect(decodeHlc(next).node).toBe('dev-a');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports a remote clock behind ours as negative skew and keeps its own order', () => {
    const clock = new HlcClock('dev-a', () => 50_000);
    const before = clock.tick();
    expect(clock.receive(encodeHlc({ wall: 20_000, counter: 7, node: 'dev-b' }))).toBe(-30_000);
    expect(clock.tick() > before).toBe(true);
  });

  it('any mix of ticks and receives stays monotonic and sorts after everything seen', () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ type: fc.constant('receive' as const), wall: fc.integer({ min: 0, max: 100 }), remote: stamp }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        let wall = 0;
        const clock = new HlcClock('dev-a', () => wall);
        let highest = clock.current();
        for (const o of ops) {
          wall = o.wall;
          if (o.type === 'tick') {
            const next = clock.tick();
            expect(next > highest).toBe(true);
            highest = next;
          } else {
            const remote = { ...o.remote, wall: Math.min(o.remote.wall, wall + MAX_CLOCK_SKEW_MS), counter: Math.min(o.remote.counter, 1000) };
            const encoded = encodeHlc(remote);
            expect(clock.receive(encoded)).toBe(remote.wall - wall);
            expect(clock.current() > highest).toBe(true);
            expect(clock.current() > encoded).toBe(true);
            highest = clock.current();
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('resumes after a restart from the last stamp it persisted, even if the wall clock went back', () => {
    const before = new HlcClock('dev-a', () => 5_000);
    const persisted = before.tick();
    const after = new HlcClock('dev-a', () => 1_000, persisted);
    expect(after.tick() > persisted).toBe(true);
  });

  it('carries a full counter into the next millisecond instead of refusing to stamp (recording never stops)', () => {
    const full = encodeHlc({ wall: 1_000, counter: MAX_COUNTER, node: 'dev-a' });
    const clock = new HlcClock('dev-a', () => 1_000, full);
    const next = clock.tick();
    expect(next > full).toBe(true);
    expect(decodeHlc(next)).toEqual({ wall: 1_001, counter: 0, node: 'dev-a' });
    // The same from a received stamp whose counter is full.
    const other = new HlcClock('dev-b', () => 1_000);
    other.receive(full);
    expect(decodeHlc(other.current())).toEqual({ wall: 1_001, counter: 0, node: 'dev-b' });
  });

  it('never restores past wall time plus the bound, whatever the high-water mark of the store says', () => {
    const extreme = '999999999999999:zzzzzz:evil';
    const clock = new HlcClock('dev-a', () => 1_000_000, extreme);
    const stamp = decodeHlc(clock.tick());
    expect(stamp.wall).toBeLessThanOrEqual(1_000_000 + MAX_CLOCK_SKEW_MS);
    const ahead = new HlcClock('dev-a', () => 1_000_000, encodeHlc({ wall: 1_000_000 + 72 * 3_600_000, counter: 0, node: 'x' }));
    expect(decodeHlc(ahead.tick()).wall).toBeLessThanOrEqual(1_000_000 + MAX_CLOCK_SKEW_MS);
  });

  it('is not dragged by a received stamp beyond the bound', () => {
    const clock = new HlcClock('dev-a', () => 1_000_000);
    clock.receive(encodeHlc({ wall: 1_000_000 + 3 * 86_400_000, counter: 0, node: 'liar' }));
    expect(decodeHlc(clock.tick()).wall).toBe(1_000_000);
  });
});
