import type Database from 'better-sqlite3';

export const PUSHED_UP_TO_KEY = 'sync.pushedUpTo';

/** A waiting event as it will leave for the hub: its sealed envelope's JSON, and the key that sealed it ('' = relayed as it came). */
export interface SealedForOutbox {
  wire: string;
  keyId: string;
}

/**
 * Events the hub has not acknowledged (migration 9): every event after the `pushedUpTo` seq,
 * except the ranges in outbox_skipped (events that came from the hub, or were appended
 * without being queued). A local append writes nothing here; an unqueued append writes one
 * range per transaction, or nothing at all when the outbox is empty (the marker moves past it).
 */
export class Outbox {
  private readonly stmts;
  /**
   * The last count, taken at `marker` with every event up to seq `upTo` looked at. The log is
   * append-only, so the next count at the same marker only looks at what came after: counting the
   * whole outbox is a scan of every waiting event, and the sync status asks on every change notice
   * (a laptop offline for a long incident holds tens of thousands: ~10 ms per keystroke).
   * Forgotten by whatever changes what waits among the events already counted.
   */
  private counted: { marker: number; upTo: number; n: number } | null = null;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      marker: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMarker: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      lastSkipped: db.prepare<[], { from_seq: number; to_seq: number }>('SELECT from_seq, to_seq FROM outbox_skipped ORDER BY from_seq DESC LIMIT 1'),
      firstSkipped: db.prepare<[], { from_seq: number; to_seq: number }>('SELECT from_seq, to_seq FROM outbox_skipped ORDER BY from_seq LIMIT 1'),
      extendSkipped: db.prepare('UPDATE outbox_skipped SET to_seq = ? WHERE from_seq = ?'),
      addSkipped: db.prepare('INSERT INTO outbox_skipped (from_seq, to_seq) VALUES (?, ?)'),
      dropSkipped: db.prepare('DELETE FROM outbox_skipped WHERE from_seq = ?'),
      pruneSkipped: db.prepare('DELETE FROM outbox_skipped WHERE to_seq <= ?'),
      clearSkipped: db.prepare('DELETE FROM outbox_skipped'),
      // The skipped range that could hold a seq is the last one starting at or before it.
      waitingSeqs: db.prepare<[number, number], { seq: number }>(
        `SELECT e.seq FROM events e WHERE e.seq > ?
           AND NOT EXISTS (SELECT 1 FROM (SELECT to_seq FROM outbox_skipped WHERE from_seq <= e.seq ORDER BY from_seq DESC LIMIT 1) WHERE to_seq >= e.seq)
         ORDER BY e.seq LIMIT ?`,
      ),
      skippedAt: db.prepare<[number, number], { from_seq: number }>(
        'SELECT from_seq FROM (SELECT from_seq, to_seq FROM outbox_skipped WHERE from_seq <= ? ORDER BY from_seq DESC LIMIT 1) WHERE to_seq >= ?',
      ),
      maxSeqOf: db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM events WHERE id IN (SELECT value FROM json_each(?))'),
      countAfter: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM events WHERE seq > ?'),
      skippedAfter: db.prepare<[number, number], { n: number | null }>(
        'SELECT sum(to_seq - max(from_seq, ? + 1) + 1) AS n FROM outbox_skipped WHERE to_seq > ?',
      ),
      lastSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
      putSealed: db.prepare(
        'INSERT INTO outbox_sealed (seq, key_id, wire) VALUES (?, ?, ?) ON CONFLICT (seq) DO UPDATE SET key_id = excluded.key_id, wire = excluded.wire',
      ),
      dropSealed: db.prepare('DELETE FROM outbox_sealed WHERE seq = ?'),
      dropSealedUpTo: db.prepare('DELETE FROM outbox_sealed WHERE seq <= ?'),
      dropAllSealed: db.prepare('DELETE FROM outbox_sealed'),
    };
  }

  private marker(): number {
    return Number(this.stmts.marker.get(PUSHED_UP_TO_KEY)?.value ?? '0');
  }

  /**
   * Inside the append transaction: the events with seqs `from..to` were stored without being
   * queued. When nothing is waiting before them the marker simply moves past them.
   */
  skip(from: number, to: number): void {
    const marker = this.marker();
    const last = this.stmts.lastSkipped.get();
    if (last && last.to_seq === from - 1) this.stmts.extendSkipped.run(to, last.from_seq);
    else if (marker === from - 1 && !last) this.stmts.setMarker.run(PUSHED_UP_TO_KEY, String(to));
    else this.stmts.addSkipped.run(from, to);
    this.absorb();
  }

  /** Move the marker over skipped ranges that start right after it: nothing waits in between. */
  private absorb(): void {
    let marker = this.marker();
    for (let first = this.stmts.firstSkipped.get(); first && first.from_seq <= marker + 1; first = this.stmts.firstSkipped.get()) {
      marker = Math.max(marker, first.to_seq);
      this.stmts.dropSkipped.run(first.from_seq);
    }
    this.stmts.setMarker.run(PUSHED_UP_TO_KEY, String(marker));
    // What the hub has needs no sealed copy waiting any more.
    this.stmts.dropSealedUpTo.run(marker);
  }

  /**
   * One waiting event leaves the outbox without being acknowledged (the hub refuses it: it is
   * quarantined here instead). Anything already acknowledged or skipped is left as it is.
   */
  drop(seq: number): void {
    if (seq <= this.marker() || this.stmts.skippedAt.get(seq, seq)) return;
    this.counted = null;
    this.stmts.dropSealed.run(seq);
    this.stmts.addSkipped.run(seq, seq);
    this.absorb();
  }

  /** Whether the event at `seq` still waits for the hub. */
  isWaiting(seq: number): boolean {
    return seq > this.marker() && !this.stmts.skippedAt.get(seq, seq);
  }

  /** Seqs of the oldest waiting events (after `afterSeq`, when given), in the order they were stored. */
  waiting(limit: number, afterSeq = 0): number[] {
    return this.stmts.waitingSeqs.all(Math.max(this.marker(), afterSeq), limit).map((r) => r.seq);
  }

  /** Inside the transaction that stored the event (or sealed it again): what leaves for the hub, sealed (migration 13). */
  putSealed(seq: number, sealed: SealedForOutbox): void {
    this.stmts.putSealed.run(seq, sealed.keyId, sealed.wire);
  }

  /** The laptop holds no team key any more: what waits leaves as it is in the log, as before it had one. */
  dropAllSealed(): void {
    this.stmts.dropAllSealed.run();
  }

  /** The hub has these (the oldest waiting, as `waiting` gave them): the marker moves past the last. */
  acknowledge(eventIds: readonly string[]): void {
    if (eventIds.length === 0) return;
    this.counted = null;
    this.db.transaction(() => {
      const seq = this.stmts.maxSeqOf.get(JSON.stringify(eventIds))?.seq ?? null;
      if (seq === null || seq <= this.marker()) return;
      this.stmts.setMarker.run(PUSHED_UP_TO_KEY, String(seq));
      this.stmts.pruneSkipped.run(seq);
      this.absorb();
    })();
  }

  count(): number {
    const marker = this.marker();
    const upTo = this.stmts.lastSeq.get()?.seq ?? 0;
    const since = this.counted && this.counted.marker === marker && this.counted.upTo <= upTo ? this.counted : null;
    const from = since ? since.upTo : marker;
    // Skipped ranges added since the last count hold only seqs after it (skip() is given the seqs just appended).
    const n = (since?.n ?? 0) + (this.stmts.countAfter.get(from)?.n ?? 0) - (this.stmts.skippedAfter.get(from, from)?.n ?? 0);
    // Inside a transaction the seqs counted may yet be rolled back and given to other events.
    this.counted = this.db.inTransaction ? null : { marker, upTo, n };
    return n;
  }

  /** The hub's history changed: everything in the log is owed to it again. */
  requeueAll(): void {
    this.counted = null;
    this.stmts.clearSkipped.run();
    this.stmts.setMarker.run(PUSHED_UP_TO_KEY, '0');
  }
}
