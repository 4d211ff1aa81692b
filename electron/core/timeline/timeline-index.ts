import type { TimelineFilter } from '../../../shared/timeline/channels.js';
import { foldText } from '../../../shared/text/fold.js';

/** What a filter looks at in one row; the row itself is read from SQLite only when shown. */
export interface IndexItem {
  seq: number;
  at: number;
  hlc: string;
  badge: string;
  actor: string;
  starred: boolean;
  search: string;
}

const before = (a: Pick<IndexItem, 'at' | 'hlc'>, b: Pick<IndexItem, 'at' | 'hlc'>) => a.at < b.at || (a.at === b.at && a.hlc < b.hlc);

/**
 * One incident's timeline rows in display order, held in memory by the core: a filter over
 * 100,000 entries is a pass over short strings (a few milliseconds) instead of a scan that
 * reads every row from disk, and any window is a slice. Kept in step with timeline_rows by
 * TimelineRows inside the append transaction, and dropped if that transaction rolls back.
 */
export class IncidentIndex {
  private readonly items: IndexItem[];
  private readonly bySeq = new Map<number, IndexItem>();
  private readonly actors = new Map<string, number>();
  private version = 0;
  /** The last filter's answer: asked again, or narrowed as the person types on. */
  private match: { text: string; others: string; version: number; seqs: number[] } | null = null;

  /** `items` must already be in display order (occurred at, then HLC). */
  constructor(items: IndexItem[]) {
    this.items = items;
    for (const item of items) {
      this.bySeq.set(item.seq, item);
      this.countActor(item.actor, 1);
    }
  }

  get size(): number {
    return this.items.length;
  }

  private countActor(actor: string, delta: number): void {
    const n = (this.actors.get(actor) ?? 0) + delta;
    if (n > 0) this.actors.set(actor, n);
    else this.actors.delete(actor);
  }

  /** Where an item with this time and stamp goes: after every item that sorts before it. */
  private insertionPoint(key: Pick<IndexItem, 'at' | 'hlc'>): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.items[mid]!, key)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Position of a row in the unfiltered timeline; -1 when it is not a row of it. */
  position(seq: number): number {
    const item = this.bySeq.get(seq);
    if (!item) return -1;
    const i = this.insertionPoint(item);
    return this.items[i] === item ? i : this.items.indexOf(item);
  }

  add(item: IndexItem): void {
    // Entries mostly arrive newest last: the common case is a push.
    const last = this.items[this.items.length - 1];
    if (!last || before(last, item)) this.items.push(item);
    else this.items.splice(this.insertionPoint(item), 0, item);
    this.bySeq.set(item.seq, item);
    this.countActor(item.actor, 1);
    this.version++;
  }

  /** A correction, a star or a redaction changed a row: its place follows its new time. */
  update(seq: number, change: Pick<IndexItem, 'at' | 'starred' | 'search'>): void {
    const item = this.bySeq.get(seq);
    if (!item) return;
    if (item.at !== change.at) {
      this.items.splice(this.position(seq), 1);
      item.at = change.at;
      this.items.splice(this.insertionPoint(item), 0, item);
    }
    item.starred = change.starred;
    item.search = change.search;
    this.version++;
  }

  slice(offset: number, limit: number): number[] {
    return this.items.slice(offset, offset + limit).map((item) => item.seq);
  }

  authors(): string[] {
    return [...this.actors.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** Row numbers matching the filter, in display order; null when nothing filters. Kept until the rows change. */
  matching(filter: TimelineFilter): number[] | null {
    const text = foldText(filter.text.trim());
    if (!text && filter.kinds.length === 0 && filter.actors.length === 0 && !filter.starred) return null;
    const others = JSON.stringify([[...filter.kinds].sort(), [...filter.actors].sort(), filter.starred]);
    const last = this.match && this.match.version === this.version && this.match.others === others ? this.match : null;
    if (last?.text === text) return last.seqs;
    // Typing on narrows the answer: a row holding the longer text holds the text before it, so
    // only the last answer's rows are looked at (a few hundred, not every row, per keystroke).
    const candidates = last && text.includes(last.text) ? last.seqs.map((seq) => this.bySeq.get(seq)!) : this.items;
    const kinds = filter.kinds.length ? new Set<string>(filter.kinds) : null;
    const actors = filter.actors.length ? new Set(filter.actors) : null;
    const seqs: number[] = [];
    for (const item of candidates) {
      if (filter.starred && !item.starred) continue;
      if (kinds && !kinds.has(item.badge)) continue;
      if (actors && !actors.has(item.actor)) continue;
      if (text && !item.search.includes(text)) continue;
      seqs.push(item.seq);
    }
    this.match = { text, others, version: this.version, seqs };
    return seqs;
  }
}
