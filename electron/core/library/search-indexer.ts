import type { SearchIndex } from '../../store/search-index.js';

/** Quiet time after the last write before indexing starts: a burst of typing or a pull finishes first. */
const IDLE_MS = 300;
/**
 * A slice indexes chunks of CHUNK events until SLICE_MS have passed, then yields, so a call
 * waiting in the worker's queue is answered between slices. Bounded by time, not by a count of
 * events: 5,000 short notes take a few milliseconds, 5,000 long pasted logs took seconds.
 */
const CHUNK = 100;
const SLICE_MS = 15;

/**
 * Keeps the library's search index close behind the log without writing it in the append:
 * after writes go quiet (a burst of entries, a whole pull) it indexes what is new in slices,
 * yielding between them. A search does not wait for it: it indexes whatever is still missing first.
 */
export class SearchIndexer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the core last wrote or answered (performance.now()): indexing starts IDLE_MS after it. */
  private lastActivity = 0;
  private stopped = false;

  constructor(
    private readonly index: SearchIndex,
    private readonly isOpen: () => boolean,
    /** A pull in progress: its pages come first; the words are indexed in bulk once it ends. */
    private readonly isBusy: () => boolean = () => false,
  ) {}

  /**
   * Something was appended: index it once the core has been idle for a moment. The timer is armed
   * once and, when it fires early, armed again for what is left of the quiet time: clearing and
   * setting it on every call (twice per append) was a measurable part of a durable append (issue #11).
   */
  schedule(): void {
    if (this.stopped) return;
    this.lastActivity = performance.now();
    if (!this.timer) this.arm(IDLE_MS);
  }

  /**
   * The console answered a call: indexing that waits, or is under way, waits for quiet again, so
   * the person's next key (a filter typed letter by letter, a note) never queues behind a slice.
   * Nothing is lost by waiting: a search indexes whatever is still missing first.
   */
  postpone(): void {
    if (this.timer) this.lastActivity = performance.now();
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), ms);
    // Indexing never keeps a process alive on its own.
    this.timer.unref?.();
  }

  private fire(): void {
    const quiet = performance.now() - this.lastActivity;
    if (quiet < IDLE_MS) return this.arm(IDLE_MS - quiet);
    this.slice();
  }

  private slice(): void {
    this.timer = null;
    if (this.stopped || !this.isOpen()) return;
    try {
      // Inside the try: asking whether the core is busy reads the store too, and a timer's throw would end the worker.
      if (this.isBusy()) return this.schedule();
      const started = performance.now();
      let left = this.index.catchUp(CHUNK);
      while (left > 0 && performance.now() - started < SLICE_MS) left = this.index.catchUp(CHUNK);
      // The next slice on the next turn, unless a call comes meanwhile (postpone): then after quiet again.
      if (left > 0) this.arm(0);
    } catch (error) {
      // The next write or search tries again; the log itself is untouched by a failed index.
      console.error('Search index:', error);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
