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

export function encodeHlc(s: HlcStamp): string {
  return `${String(s.wall).padStart(WALL_WIDTH, '0')}:${s.counter.toString(36).padStart(COUNTER_WIDTH, '0')}:${s.node}`;
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
  ) {
    this.last = restored ? { ...decodeHlc(restored), node } : { wall: 0, counter: 0, node };
  }

  /** Stamp for a local event. */
  tick(): string {
    const physical = this.now();
    if (physical > this.last.wall) this.last = { wall: physical, counter: 0, node: this.node };
    else this.last = { wall: this.last.wall, counter: this.bump(this.last.counter), node: this.node };
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
    const wall = Math.max(physical, this.last.wall, remote.wall);
    let counter: number;
    if (wall === this.last.wall && wall === remote.wall) counter = this.bump(Math.max(this.last.counter, remote.counter));
    else if (wall === this.last.wall) counter = this.bump(this.last.counter);
    else if (wall === remote.wall) counter = this.bump(remote.counter);
    else counter = 0;
    this.last = { wall, counter, node: this.node };
    return remote.wall - physical;
  }

  current(): string {
    return encodeHlc(this.last);
  }

  private bump(counter: number): number {
    if (counter >= MAX_COUNTER) throw new Error('HLC counter overflow: too many events in one millisecond');
    return counter + 1;
  }
}
