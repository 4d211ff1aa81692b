import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/** Random words drawn from the system's CSPRNG this many at a time (4 KiB). */
const POOL_WORDS = 1024;

/**
 * The same cryptographically strong random words uuidv7's own generator uses, drawn in bulk:
 * its default draws 8 words per `crypto.getRandomValues` call, about three ids' worth, and that
 * call cost 5–10 µs of a durable append (issue #11). Here one call serves ~340 ids. Every word is
 * used once, in order, so ids keep exactly the randomness they had.
 */
export class PooledRandom {
  private readonly pool = new Uint32Array(POOL_WORDS);
  private cursor = POOL_WORDS;

  constructor(private readonly fill: (pool: Uint32Array) => void = (pool) => void randomFillSync(pool)) {}

  nextUint32(): number {
    if (this.cursor === POOL_WORDS) {
      this.fill(this.pool);
      this.cursor = 0;
    }
    return this.pool[this.cursor++]!;
  }
}

const generator = new V7Generator(new PooledRandom());

/**
 * A new UUIDv7 for an event, incident, task…: the library's algorithm (48-bit milliseconds, a
 * counter started at random each millisecond, 32 random bits), ids increasing within this process.
 */
export function newId(): string {
  return generator.generate().toString();
}
