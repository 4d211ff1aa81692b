import type Database from 'better-sqlite3';

export const INDEXED_UP_TO_KEY = 'library.indexedUpTo';

/**
 * The library's full-text index (migration 5), filled after the append rather than inside it
 * (migration 8): `indexedUpTo` is the highest event seq whose words are in library_fts.
 * Indexing goes through the library_text view, which leaves out what a redaction or a removal
 * withholds; `withhold` takes out what was indexed before it was withheld (migration 12).
 */
export class SearchIndex {
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      marker: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMarker: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      lastSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
      // The view's seq is the events rowid, so the range is a walk of the log's primary key.
      // Quarantined events (migration 7) are never folded, so never found either.
      index: db.prepare<[number, number]>(
        `INSERT INTO library_fts (rowid, text, incident_id, kind)
         SELECT t.seq, t.text, t.incident_id, t.kind FROM library_text t
         WHERE t.seq > ? AND t.seq <= ? AND t.text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = t.seq)`,
      ),
      unindexOne: db.prepare<[number]>('DELETE FROM library_fts WHERE rowid = ?'),
      indexOne: db.prepare<[number]>(
        `INSERT INTO library_fts (rowid, text, incident_id, kind)
         SELECT t.seq, t.text, t.incident_id, t.kind FROM library_text t
         WHERE t.seq = ? AND t.text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = t.seq)`,
      ),
      // What a redaction or a removal withholds, by the seq of the event that withholds it.
      withholdRedacted: db.prepare<[number, number]>(
        `DELETE FROM library_fts WHERE rowid IN (
           SELECT e.seq FROM events r JOIN events e ON e.id = json_extract(r.payload, '$.targetId')
             WHERE r.seq = ? AND r.kind = 'timeline.redacted'
           UNION ALL
           SELECT e.seq FROM events r JOIN events e ON e.incident_id = r.incident_id AND e.kind = 'timeline.corrected'
             AND json_extract(e.payload, '$.targetId') = json_extract(r.payload, '$.targetId')
             WHERE r.seq = ? AND r.kind = 'timeline.redacted')`,
      ),
      withholdRemoved: db.prepare<[number]>(
        `DELETE FROM library_fts WHERE rowid IN (
           SELECT e.seq FROM events r JOIN events e ON e.incident_id = r.incident_id AND e.kind LIKE 'review.%'
             AND coalesce(json_extract(e.payload, '$.noteId'), json_extract(e.payload, '$.factorId'),
               json_extract(e.payload, '$.whyId'), json_extract(e.payload, '$.commentId')) = json_extract(r.payload, '$.itemId')
             WHERE r.seq = ? AND r.kind = 'review.removed')`,
      ),
    };
  }

  /**
   * What a redaction or a removal withholds leaves the index in the transaction that appends it
   * (migration 12: the store's part, no longer a trigger's); nothing for any other kind.
   */
  withhold(seq: number, kind: string): void {
    if (kind === 'timeline.redacted') this.stmts.withholdRedacted.run(seq, seq);
    else if (kind === 'review.removed') this.stmts.withholdRemoved.run(seq);
  }

  /**
   * Events opened late (sealed, kept unopened until their key arrived: Store.reopenUnopened) in
   * the caller's transaction. The marker may have passed them while they could not be read: their
   * words go in now; what one of them withholds (a redaction, a removal) comes out. Those after the
   * marker are left to the indexer, which reaches them in its turn.
   */
  indexOpened(seqs: readonly number[]): void {
    const upTo = this.indexedUpTo();
    for (const seq of seqs) {
      if (seq <= upTo) {
        this.stmts.unindexOne.run(seq);
        this.stmts.indexOne.run(seq);
      }
      this.stmts.withholdRedacted.run(seq, seq);
      this.stmts.withholdRemoved.run(seq);
    }
  }

  indexedUpTo(): number {
    return Number(this.stmts.marker.get(INDEXED_UP_TO_KEY)?.value ?? '0');
  }

  /** Events whose words are not searchable yet. */
  pending(): number {
    return Math.max(0, (this.stmts.lastSeq.get()?.seq ?? 0) - this.indexedUpTo());
  }

  /**
   * Index the words of up to `maxEvents` events after the marker (all of them by default) in
   * one transaction with the marker's move. Returns how many events are still waiting.
   */
  catchUp(maxEvents = Number.MAX_SAFE_INTEGER): number {
    if (this.pending() === 0) return 0;
    let left = 0;
    this.db
      .transaction(() => {
        const from = this.indexedUpTo();
        const last = this.stmts.lastSeq.get()?.seq ?? 0;
        if (last <= from) return;
        const to = Math.min(last, from + maxEvents);
        this.stmts.index.run(from, to);
        this.stmts.setMarker.run(INDEXED_UP_TO_KEY, String(to));
        left = last - to;
      })
      .immediate();
    return left;
  }
}
