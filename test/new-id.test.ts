import { describe, expect, test } from 'vitest';
import { newId, PooledRandom } from '../electron/core/ids/new-id.js';

/** RFC 9562 UUIDv7: version nibble 7, variant bits 10. */
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids of events, incidents and tasks', () => {
  test('are UUIDv7, unique and increasing, with random bits that differ from one id to the next', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The last 32 bits are drawn fresh for every id (the pool is refilled well within 5000 ids).
    const tails = new Set(ids.map((id) => id.slice(-8)));
    expect(tails.size).toBeGreaterThan(ids.length - 5);
  });

  test('every random word drawn in bulk is used once, in order, and the pool is drawn again when used up', () => {
    let fills = 0;
    const random = new PooledRandom((pool) => {
      for (let i = 0; i < pool.length; i++) pool[i] = fills * pool.length + i;
      fills++;
    });
    const words = Array.from({ length: 2500 }, () => random.nextUint32());
    expect(words).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(fills).toBe(3);
  });
});
