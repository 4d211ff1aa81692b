/**
 * Hybrid logical clock. A stamp is encoded as `wall:counter:node` with fixed-width
 * wall (ms) and counter fields so that plain string comparison is causal order,
 * ties broken by node id. Events carry the stamp; every device keeps one clock.
 */
export interface HlcStamp {
  wall: number;
  counter: number;
  node: string;
}

const WALL_WIDTH = 15;
const COUNTER_WIDTH = 6;
const MAX_COUNTER = 36 ** COUNTER_WIDTH - 1;
export const HLC_PATTERN = /^\d{15}:[0-9a-z]{6}:[A-Za-z0-9_-]{1,64}$/;

/** A remote stamp further ahead of our wall clock than this is reported as clock skew. */
export const MAX_FORWARD_SKEW_MS = 60_000;
/**
 * The bound on clocks (see UNTRUSTED_LIMITS in shared/record/untrusted.ts): a received stamp
 * further ahead of our wall clock than this is quarantined, and our own clock never runs past
 * wall time plus this, even when the store's high-water mark says otherwise.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function encodeHlc(s: HlcStamp): string {
  return `${String(s.wall).padStart(WALL_WIDTH, '0')}:${s.counter.toString(36).padStart(COUNTER_WIDTH, '0')}:${s.node}`;
}

/** The wall-clock part of a stamp, without decoding the rest (checked on every pulled event). */
export function wallOf(encoded: string): number {
  if (!HLC_PATTERN.test(encoded)) throw new Error(`Invalid HLC stamp: ${encoded}`);
  return Number(encoded.slice(0, WALL_WIDTH));
}

/** wallOf for a stamp already checked against HLC_PATTERN (an admitted envelope's), without testing it again. */
export function wallOfChecked(encoded: string): number {
  return Number(encoded.slice(0, WALL_WIDTH));
}

export function decodeHlc(encoded: string): HlcStamp {
  if (!HLC_PATTERN.test(encoded)) throw new Error(`Invalid HLC stamp: ${encoded}`);
  const [wall, counter, node] = encoded.split(':') as [string, string, string];
  return { wall: Number(wall), counter: parseInt(counter, 36), node };
}

export class HlcClock {
  private last: HlcStamp;

  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
    restored?: string,
    private readonly maxAheadMs: number = MAX_CLOCK_SKEW_MS,
  ) {
    this.last = { wall: 0, counter: 0, node };
    if (restored) {
      // The high-water mark of the store may come from a laptop whose clock ran far ahead (or from
      // a stamp written before clocks were bounded): never restore past wall time plus the bound.
      const stamp = decodeHlc(restored);
      const ceiling = this.now() + maxAheadMs;
      this.last = stamp.wall > ceiling ? { wall: ceiling, counter: 0, node } : { ...stamp, node };
    }
  }

  /** Stamp for a local event. Never throws: a full counter moves the clock on by a millisecond instead. */
  tick(): string {
    const physical = this.now();
    if (physical > this.last.wall) this.last = { wall: physical, counter: 0, node: this.node };
    else this.last = this.next(this.last.wall, this.last.counter);
    return encodeHlc(this.last);
  }

  /**
   * Advance past a stamp received from another device so that anything we write next
   * sorts after what we have seen. Returns how far the remote clock is ahead of ours (ms),
   * so the caller can warn about a laptop whose clock is badly off.
   */
  receive(remoteEncoded: string): number {
    const remote = decodeHlc(remoteEncoded);
    const physical = this.now();
    // A stamp beyond the bound is quarantined by the caller; should one get here, it does not move us.
    if (remote.wall > physical + this.maxAheadMs) return remote.wall - physical;
    const wall = Math.max(physical, this.last.wall, remote.wall);
    if (wall === this.last.wall && wall === remote.wall) this.last = this.next(wall, Math.max(this.last.counter, remote.counter));
    else if (wall === this.last.wall) this.last = this.next(wall, this.last.counter);
    else if (wall === remote.wall) this.last = this.next(wall, remote.counter);
    else this.last = { wall, counter: 0, node: this.node };
    return remote.wall - physical;
  }

  current(): string {
    return encodeHlc(this.last);
  }

  /** The stamp after (wall, counter): a full counter carries into the next millisecond rather than stop recording. */
  private next(wall: number, counter: number): HlcStamp {
    return counter >= MAX_COUNTER ? { wall: wall + 1, counter: 0, node: this.node } : { wall, counter: counter + 1, node: this.node };
  }
}
