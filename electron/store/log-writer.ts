import type Database from 'better-sqlite3';
import { occurredAtOf, type EventEnvelope } from '../../shared/record/events.js';
import { ManyRowsInsert, ROWS_PER_STATEMENT } from './many-rows.js';

/** The occurred-at column takes a whole ms: a quarantined payload may carry anything as its occurred-at. */
export function storedOccurredAt(event: EventEnvelope): number {
  const at = occurredAtOf(event);
  return Number.isSafeInteger(at) && at >= 0 ? at : event.recordedAt;
}

/**
 * Kinds whose fold reads other events of the log back (the first breach of a clock is the one
 * shown: TimelineRows' showFirstBreachOnly). Written alone, so that read sees the log exactly as a
 * write of one event after the other would: nothing after the event is in yet.
 */
const READS_THE_LOG = new Set(['sla.breached']);

/**
 * Writes events into the log, many to a statement, idempotent by id: an event whose id is already
 * there (this laptop's own events coming back in a pull, a page pulled again after a failure, the
 * same id twice in a batch) is left as it is and reported as not written.
 */
export class LogWriter {
  private readonly insert: ManyRowsInsert;
  private readonly stmts;

  constructor(db: Database.Database) {
    this.insert = new ManyRowsInsert(
      db,
      'INSERT INTO events (id, incident_id, kind, hlc, occurred_at, recorded_at, actor, device_id, payload)',
      9,
      'ON CONFLICT (id) DO NOTHING',
    );
    this.stmts = {
      seqOf: db.prepare<[string], number>('SELECT seq FROM events WHERE id = ?').pluck(),
      writtenAfter: db.prepare<[number], { seq: number; id: string }>('SELECT seq, id FROM events WHERE seq > ? ORDER BY seq'),
    };
  }

  /**
   * Writes the next run of events from `from` (up to ROWS_PER_STATEMENT, one event alone when its
   * fold reads the log) and returns where the run ends. For each event of the run, `seqs[i]` is its
   * new seq or 0 when it was not written, and `payloads[i]` its payload's JSON as stored: `given[i]`
   * when the caller has it already, one per event.
   */
  writeRun(events: readonly EventEnvelope[], from: number, seqs: number[], payloads: string[], given?: readonly string[]): number {
    let to = from + 1;
    if (!READS_THE_LOG.has(events[from]!.kind)) {
      const end = Math.min(events.length, from + ROWS_PER_STATEMENT);
      while (to < end && !READS_THE_LOG.has(events[to]!.kind)) to++;
    }
    const values: unknown[] = [];
    for (let i = from; i < to; i++) {
      const event = events[i]!;
      const payload = given?.[i] ?? JSON.stringify(event.payload);
      payloads[i] = payload;
      values.push(event.id, event.incidentId, event.kind, event.hlc, storedOccurredAt(event), event.recordedAt, event.actor, event.deviceId, payload);
    }
    const result = this.insert.run(values);
    const rows = to - from;
    const last = Number(result.lastInsertRowid);
    if (result.changes === 0) {
      for (let i = from; i < to; i++) seqs[i] = 0;
    } else if (result.changes === rows && (rows === 1 || this.consecutive(events, from, to, last))) {
      // Each new row takes the log's highest seq plus one, in the order of the VALUES.
      for (let i = from; i < to; i++) seqs[i] = last - (to - 1 - i);
    } else {
      // Some ids were already there: the rows written are the last `changes` seqs of the log.
      const written = new Map<string, number>();
      for (const row of this.stmts.writtenAfter.all(last - Number(result.changes))) written.set(row.id, row.seq);
      for (let i = from; i < to; i++) {
        const seq = written.get(events[i]!.id);
        seqs[i] = seq ?? 0;
        // The same id twice in a run: only its first is written.
        if (seq !== undefined) written.delete(events[i]!.id);
      }
    }
    return to;
  }

  /** Whether the run's first and last events hold the seqs written in order would give them (checked, not assumed). */
  private consecutive(events: readonly EventEnvelope[], from: number, to: number, last: number): boolean {
    return this.stmts.seqOf.get(events[from]!.id) === last - (to - 1 - from) && this.stmts.seqOf.get(events[to - 1]!.id) === last;
  }
}
