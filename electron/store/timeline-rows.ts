import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/api/api.js';
import { occurredAtOf, type EventEnvelope } from '../../shared/record/events.js';
import type { TimelineFilter, TimelineRow, TimelineWindow } from '../../shared/timeline/channels.js';
import {
  annotationTarget,
  effectiveEntry,
  foldAnnotation,
  historyOf,
  searchTextOf,
  type Annotation,
  type EffectiveEntry,
  type EntryVersion,
  type TimelineBadge,
} from '../../shared/timeline/timeline.js';
import { foldText } from '../../shared/text/fold.js';
import type { IncidentIndex, IndexItem } from '../core/timeline/timeline-index.js';
import { IndexBuilder } from './timeline-index-builder.js';
import { shownAs } from '../../shared/record/kinds.js';
import type { EventRow } from './event-row.js';
import { ManyRowsInsert, ROWS_PER_STATEMENT } from './many-rows.js';
import { DerivedCommit } from './derived-commit.js';

/**
 * Bump when what a row holds is derived differently: the rows are rebuilt from the log on
 * the next open, so no migration is needed for it.
 */
const ROWS_VERSION = '1';
const ROWS_VERSION_KEY = 'timeline.rowsVersion';
/** Migration 16: timeline_shown_counts holds the shown rows up to this seq; those after it are counted when read. */
const COUNTED_UP_TO_KEY = 'timeline.countedUpTo';
/**
 * Rows past the marker that the write taking them there folds into the counts (and moves the
 * marker): a count read walks at most about this many rows, and an append writes the counts'
 * page once in so many rather than every time.
 */
const FOLD_COUNTS_AFTER = 1024;
/**
 * Rows of entries typed here left for a later write, at most: an append that would leave more
 * (a burst of entries with no turn in between) writes the oldest of them in its own transaction.
 */
const DEFERRED_AT_MOST = 256;
/**
 * How many waiting rows such an append writes, at least: a few at a time, so a burst pays for
 * its rows a little every CATCH_UP_ROWS entries, never all 256 in one person's append (that one
 * took 1-1.7 ms against 0.1 ms, a sure p99 in bench/store.bench.ts, issue #11).
 */
const CATCH_UP_ROWS = 16;

interface JoinedRow extends EventRow {
  seq: number;
  occurred_at: number;
  badge: string;
  starred: number;
  annotation: string | null;
}

const EVENT_COLUMNS = 'e.id, e.incident_id, e.kind, e.hlc, e.recorded_at, e.actor, e.device_id, e.payload';
const ROW_COLUMNS = `${EVENT_COLUMNS}, r.seq, r.occurred_at, r.badge, r.starred, r.annotation`;

function toEvent(row: Omit<JoinedRow, 'seq' | 'occurred_at' | 'badge' | 'starred' | 'annotation'>): EventEnvelope {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    actor: row.actor,
    deviceId: row.device_id,
    hlc: row.hlc,
    recordedAt: row.recorded_at,
  };
}

/** The registry says which kinds are rows: not annotations (folded into their target's row), nor the review's or the team settings' own record. */
function isShown(event: EventEnvelope): boolean {
  return shownAs(event.kind) === 'row';
}

function toRow(joined: JoinedRow): TimelineRow {
  const event = toEvent(joined);
  const annotation = joined.annotation === null ? null : (JSON.parse(joined.annotation) as Annotation);
  return rowOf(event, effectiveEntry(event, annotation), joined.badge as TimelineBadge, joined.occurred_at, joined.starred === 1);
}

/** A row as the timeline shows it, from its event as folded; badge, time and star as they are stored. */
function rowOf(event: EventEnvelope, entry: EffectiveEntry, badge: TimelineBadge, occurredAt: number, starred: boolean): TimelineRow {
  const redacted = entry.redaction !== null;
  return {
    // The original words stay in the log; a redacted row never carries them to a screen.
    event: redacted ? { ...event, payload: {} } : event,
    badge,
    occurredAt,
    text: redacted ? null : entry.text,
    starred,
    edits: entry.edits,
    redaction: entry.redaction,
  };
}

/** Display order of the timeline (ORDER BY occurred_at, hlc, seq), for rows of a change notice. */
function byDisplayOrder(a: { row: TimelineRow; seq: number }, b: { row: TimelineRow; seq: number }): number {
  return a.row.occurredAt - b.row.occurredAt || (a.row.event.hlc < b.row.event.hlc ? -1 : a.row.event.hlc > b.row.event.hlc ? 1 : 0) || a.seq - b.seq;
}
/** Columns of a timeline row as written (the insert statements' order). */
const ROW_COLUMN_COUNT = 11;

/** Beyond this many events, a change notice names them without their rows (a pull's page): the timeline is read again. */
const ROWS_IN_NOTICE = 20;

/** Incidents whose rows are held in memory at once; the least recently read is dropped first. */
const INDEXES_KEPT = 4;

/**
 * The timeline rows (migration 004), kept in step with the log inside the store's append
 * transaction. Reads go through an in-memory index of the incident's rows in display order
 * (built on the first read), so a window or a filter never walks 100,000 rows on disk: the
 * rows of a window are then read by their number.
 */
export class TimelineRows {
  private readonly stmts;
  private readonly indexes = new Map<string, IncidentIndex>();
  private readonly builder: IndexBuilder;
  /**
   * While a batch is appended: the annotations naming each of its events, looked up once for
   * the whole batch (or known to be none, for events just made here), plus those the batch itself
   * brings. Null outside a batch: each event then looks its own up.
   */
  private batchAnnotations: Map<string, EventEnvelope[]> | null = null;
  /**
   * The rows the latest small batch added that no annotation names, as they were written: its
   * change notice takes them from here rather than reading them back (a read per command cost
   * ~0.1 ms, a third of a durable append). Emptied by the next batch; a row an annotation
   * changes afterwards is dropped, and read back from SQLite instead.
   */
  private readonly written = new Map<string, { row: TimelineRow; seq: number }>();
  /** Whether this batch is small enough for its notice to carry rows (ROWS_IN_NOTICE): only then are they kept. */
  private keepWritten = false;
  /**
   * Within a batch, the values of the rows added and not written yet: written many to a statement
   * (flushRows) when ROWS_PER_STATEMENT are waiting, before anything reads the rows back (an
   * annotation re-folding its target, a breach) and at the end of the batch.
   */
  private pendingRows: unknown[] = [];
  private readonly insertMany: ManyRowsInsert;
  /** The deferred rows' insert: a row already there (written by a transaction whose fate was not known) is left as it is. */
  private readonly insertDeferred: ManyRowsInsert;
  private readonly derivedCommit: DerivedCommit;
  /**
   * Rows of events already committed, typed here, whose own write waits (values in the insert's
   * order, in seq order): an entry's commit, the write the person waits on, holds only its event
   * (issue #11: the row and its index were 2.4 of its 7.5 WAL pages). Written on the next turn in a
   * transaction of their own, by the next write that touches the rows, before anything reads them,
   * and at close; after a crash, the next open derives the rows the log holds beyond the last one
   * (catchUpTail). Every row between is already on disk, so the rows stay in seq order.
   */
  private deferred: unknown[] = [];
  /** Deferred rows written in the transaction under way: deferred again if it rolls back. */
  private inFlight: unknown[] = [];
  /** The rows the batch under way leaves to be written later: deferred once it has committed. */
  private batchDeferred: unknown[] | null = null;
  /** The batch under way holds only events just made here: its rows may wait. */
  private deferThisBatch = false;
  private settleScheduled = false;
  /** `timeline.countedUpTo` as last read or written in this connection; null: read it again (after a rollback). */
  private countedUpTo: number | null = null;
  /** The highest seq given a row since the counts were last folded (0: none). */
  private lastRowSeq = 0;

  constructor(private readonly db: Database.Database) {
    this.builder = new IndexBuilder(db, (incidentId, index) => this.keep(incidentId, index));
    this.insertMany = new ManyRowsInsert(
      db,
      'INSERT INTO timeline_rows (seq, incident_id, shown, target_id, occurred_at, hlc, badge, actor, starred, annotation, search)',
      ROW_COLUMN_COUNT,
    );
    this.derivedCommit = new DerivedCommit(db);
    this.insertDeferred = new ManyRowsInsert(
      db,
      'INSERT INTO timeline_rows (seq, incident_id, shown, target_id, occurred_at, hlc, badge, actor, starred, annotation, search)',
      ROW_COLUMN_COUNT,
      'ON CONFLICT (seq) DO NOTHING',
    );
    // The index learns rows not written yet as they are (builder.record): its read goes on either way.
    this.builder.beforeRead = () => this.settleBeforeRead();
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO timeline_rows (seq, incident_id, shown, target_id, occurred_at, hlc, badge, actor, starred, annotation, search)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      annotationsOf: db.prepare<[string, string], JoinedRow>(
        `SELECT ${ROW_COLUMNS} FROM timeline_rows r JOIN events e ON e.seq = r.seq WHERE r.target_id = ? AND r.incident_id = ?`,
      ),
      annotatedBetween: db.prepare<[string, string, number], string>('SELECT target_id FROM timeline_rows WHERE target_id BETWEEN ? AND ? LIMIT ?').pluck(),
      annotationsOfMany: db.prepare<[string], JoinedRow & { target_id: string }>(
        `SELECT ${ROW_COLUMNS}, r.target_id FROM timeline_rows r JOIN events e ON e.seq = r.seq WHERE r.target_id IN (SELECT value FROM json_each(?))`,
      ),
      shownByIds: db.prepare<[string], JoinedRow>(
        `SELECT ${ROW_COLUMNS} FROM events e JOIN timeline_rows r ON r.seq = e.seq
         WHERE e.id IN (SELECT value FROM json_each(?)) AND r.shown = 1 ORDER BY r.occurred_at, r.hlc, r.seq`,
      ),
      eventById: db.prepare<[string], JoinedRow>(`SELECT ${ROW_COLUMNS} FROM events e JOIN timeline_rows r ON r.seq = e.seq WHERE e.id = ?`),
      update: db.prepare('UPDATE timeline_rows SET occurred_at = ?, starred = ?, annotation = ?, search = ? WHERE seq = ?'),
      // Counting every row on disk took 45–110 ms at 500,000: the counts up to the marker are kept
      // (migration 16), the rows after it walked by seq (NOT INDEXED: never the incident's whole index).
      countShown: db.prepare<{ incidentId: string; after: number }, { n: number }>(
        `SELECT coalesce((SELECT shown FROM timeline_shown_counts WHERE incident_id = @incidentId), 0)
           + (SELECT count(*) FROM timeline_rows NOT INDEXED WHERE seq > @after AND incident_id = @incidentId AND shown = 1) AS n`,
      ),
      foldCounts: db.prepare<[number, number]>(
        `INSERT INTO timeline_shown_counts (incident_id, shown)
           SELECT incident_id, count(*) FROM timeline_rows NOT INDEXED WHERE seq > ? AND seq <= ? AND shown = 1 GROUP BY incident_id
         ON CONFLICT (incident_id) DO UPDATE SET shown = shown + excluded.shown`,
      ),
      lastRow: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM timeline_rows'),
      // Quarantined events (migration 7) have no row.
      eventAfter: db.prepare<[number], { one: number }>(
        'SELECT 1 AS one FROM events e WHERE seq > ? AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq) LIMIT 1',
      ),
      newestShown: db.prepare<[string, number], { seq: number }>(
        'SELECT seq FROM timeline_rows WHERE incident_id = ? AND shown = 1 ORDER BY occurred_at DESC, hlc DESC, seq DESC LIMIT ?',
      ),
      shownFrom: db.prepare<[string, number, number], { seq: number }>(
        'SELECT seq FROM timeline_rows WHERE incident_id = ? AND shown = 1 ORDER BY occurred_at, hlc, seq LIMIT ? OFFSET ?',
      ),
      // The filter of IncidentIndex.matching, for an incident whose index is still being read:
      // the same folded words (search), badges, authors and star, in the same order.
      matching: db
        .prepare<{ incidentId: string; text: string; kinds: string | null; actors: string | null; starred: number }, number>(
          `SELECT seq FROM timeline_rows WHERE incident_id = @incidentId AND shown = 1
             AND (@text = '' OR instr(search, @text) > 0)
             AND (@kinds IS NULL OR badge IN (SELECT value FROM json_each(@kinds)))
             AND (@actors IS NULL OR actor IN (SELECT value FROM json_each(@actors)))
             AND (@starred = 0 OR starred = 1)
           ORDER BY occurred_at, hlc, seq`,
        )
        .pluck(),
      authors: db.prepare<[string], { actor: string }>('SELECT DISTINCT actor FROM timeline_rows WHERE incident_id = ? AND shown = 1'),
      bySeqs: db.prepare<[string], JoinedRow>(
        `SELECT ${ROW_COLUMNS} FROM timeline_rows r JOIN events e ON e.seq = r.seq WHERE r.seq IN (SELECT value FROM json_each(?))`,
      ),
      all: db.prepare<[string, number, number], JoinedRow>(
        `SELECT ${ROW_COLUMNS} FROM timeline_rows r JOIN events e ON e.seq = r.seq
         WHERE r.seq IN (SELECT seq FROM timeline_rows WHERE incident_id = ? ORDER BY occurred_at, hlc LIMIT ? OFFSET ?)
         ORDER BY r.occurred_at, r.hlc`,
      ),
      countAll: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM timeline_rows WHERE incident_id = ?'),
      eventsAfter: db.prepare<[number, number], { seq: number } & Omit<JoinedRow, 'occurred_at' | 'badge' | 'starred' | 'annotation'>>(
        // Quarantined events (migration 7) are in the log but never shown.
        'SELECT seq, id, incident_id, kind, hlc, recorded_at, actor, device_id, payload FROM events e WHERE seq > ? AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq) ORDER BY seq LIMIT ?',
      ),
      getVersion: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setVersion: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** The rows were derived by another version (or never): the next open rebuilds them. */
  stale(): boolean {
    return this.stmts.getVersion.get(ROWS_VERSION_KEY)?.value !== ROWS_VERSION;
  }

  /** Rebuild every row from the log when they were derived by another version (or never). */
  rebuildIfStale(): void {
    if (!this.stale()) return;
    this.db
      .transaction(() => {
        // Starting the counts afresh too makes a rebuild mend them; they are folded in again at the end.
        this.db.exec('DELETE FROM timeline_rows; DELETE FROM timeline_shown_counts;');
        this.setCountedUpTo(0);
        this.written.clear();
        // Every row is derived again from the log, those still waiting among them.
        this.deferred = [];
        this.inFlight = [];
        // In batches: the connection cannot write while a read is still stepping through the log.
        for (let after = 0, batch = this.stmts.eventsAfter.all(0, 1000); batch.length; batch = this.stmts.eventsAfter.all(after, 1000)) {
          for (const row of batch) this.add(toEvent(row), row.seq);
          after = batch[batch.length - 1]!.seq;
        }
        this.flushRows();
        this.foldCounts();
        this.stmts.setVersion.run(ROWS_VERSION_KEY, ROWS_VERSION);
      })
      .immediate();
    this.forget();
  }

  /**
   * The rows of the events the log holds beyond the last row (after a crash, rows left for a
   * later write never were): derived now, as the append would have. Called at open.
   */
  catchUpTail(): void {
    const last = this.stmts.lastRow.get()?.seq ?? 0;
    if (!this.stmts.eventAfter.get(last)) return;
    this.db
      .transaction(() => {
        for (let after = last, batch = this.stmts.eventsAfter.all(last, 1000); batch.length; batch = this.stmts.eventsAfter.all(after, 1000)) {
          for (const row of batch) this.add(toEvent(row), row.seq);
          after = batch[batch.length - 1]!.seq;
        }
        if (this.lastRowSeq - this.counted() >= FOLD_COUNTS_AFTER) this.foldCounts();
      })
      .immediate();
    this.forget();
  }

  /** Whether the log holds events beyond the last row (catchUpTail would write). */
  behind(): boolean {
    return this.stmts.eventAfter.get(this.stmts.lastRow.get()?.seq ?? 0) !== undefined;
  }

  /** The append transaction rolled back: what the indexes learnt from it never happened. */
  forget(): void {
    this.written.clear();
    this.pendingRows = [];
    this.countedUpTo = null;
    this.lastRowSeq = 0;
    // Deferred rows it wrote wait again (their events did commit); the batch's own never will.
    if (this.inFlight.length) this.deferred = [...this.inFlight, ...this.deferred];
    this.inFlight = [];
    this.batchDeferred = null;
    this.batchAnnotations = null;
    this.keepWritten = false;
    this.deferThisBatch = false;
    this.indexes.clear();
    this.builder.cancelAll();
  }

  /** The incident's index, read now in one go if it is not in memory yet. */
  private index(incidentId: string): IncidentIndex {
    const index = this.indexes.get(incidentId) ?? this.builder.buildNow(incidentId);
    this.keep(incidentId, index);
    return index;
  }

  private keep(incidentId: string, index: IncidentIndex): void {
    // Most recently read last, so the first key is the one to drop.
    this.indexes.delete(incidentId);
    if (this.indexes.size >= INDEXES_KEPT) this.indexes.delete(this.indexes.keys().next().value!);
    this.indexes.set(incidentId, index);
  }

  /** Drop an incident's index (and any read of it under way): the next read builds it again. */
  private drop(incidentId: string): void {
    this.indexes.delete(incidentId);
    this.builder.cancel(incidentId);
  }

  /**
   * Inside the append transaction, before its events: one look-up for the annotations already
   * stored that name any of them. Events just made here (fresh ids) cannot be named yet.
   */
  beginBatch(events: readonly EventEnvelope[], madeHere: boolean): void {
    const annotations = new Map<string, EventEnvelope[]>();
    this.batchAnnotations = annotations;
    this.written.clear();
    this.keepWritten = events.length <= ROWS_IN_NOTICE;
    this.deferThisBatch = madeHere;
    if (madeHere) return;
    // Annotations are looked up on disk, and this batch's rows come after the deferred ones.
    this.writeDeferred();
    let low = '';
    let high = '';
    let shown = 0;
    for (const event of events) {
      if (!isShown(event)) continue;
      if (shown === 0 || event.id < low) low = event.id;
      if (shown === 0 || event.id > high) high = event.id;
      shown++;
    }
    if (shown === 0) return;
    // Most pages bring entries nothing stored names yet. One walk of the annotations' index between
    // the batch's lowest and highest id says so (ids are ASCII: JS and SQLite order them alike),
    // where probing it once per id (and a set of the page's ids) cost 4–8 ms a page of 5,000. Ids
    // in hub order are close in time, so the walk is short; one that would read as many entries as
    // there are ids probes them all instead.
    const between = this.stmts.annotatedBetween.all(low, high, shown);
    if (between.length === 0) return;
    const ids = new Set(events.filter(isShown).map((e) => e.id));
    const named = between.length < shown ? [...new Set(between.filter((id) => ids.has(id)))] : [...ids];
    if (named.length === 0) return;
    const incidentOf = new Map(events.map((e) => [e.id, e.incidentId]));
    for (const row of this.stmts.annotationsOfMany.all(JSON.stringify(named))) {
      if (incidentOf.get(row.target_id) !== row.incident_id) continue;
      const list = annotations.get(row.target_id);
      if (list) list.push(toEvent(row));
      else annotations.set(row.target_id, [toEvent(row)]);
    }
  }

  /** Inside the append transaction, after its events: the rows still waiting are written. */
  endBatch(): void {
    if (this.deferThisBatch && this.pendingRows.length && this.pendingRows.length <= DEFERRED_AT_MOST * ROW_COLUMN_COUNT) {
      // The oldest rows first, so the rows on disk stay every row up to some seq (catchUpTail).
      const over = this.deferred.length + this.pendingRows.length - DEFERRED_AT_MOST * ROW_COLUMN_COUNT;
      if (over > 0) this.writeDeferred(Math.max(over, CATCH_UP_ROWS * ROW_COLUMN_COUNT));
      this.batchDeferred = this.pendingRows;
      this.pendingRows = [];
    } else this.flushRows();
    this.batchAnnotations = null;
    this.keepWritten = false;
    this.deferThisBatch = false;
    if (this.lastRowSeq - this.counted() >= FOLD_COUNTS_AFTER) this.foldCounts();
  }

  /** The append's transaction committed: what it wrote of the deferred rows is on disk, and its own rows wait. */
  committed(): void {
    this.inFlight = [];
    if (!this.batchDeferred) return;
    for (const value of this.batchDeferred) this.deferred.push(value);
    this.batchDeferred = null;
    if (this.settleScheduled) return;
    this.settleScheduled = true;
    setImmediate(() => {
      this.settleScheduled = false;
      try {
        if (this.db.open) this.settle();
      } catch (error) {
        // Written by the next write or read instead, or derived at the next open.
        console.error('Writing the timeline rows of entries already stored failed:', error);
      }
    });
  }

  /** The deferred rows, written now (in a transaction of their own unless one is under way), before anything reads the rows. */
  settle(): void {
    if (this.deferred.length === 0) return;
    if (this.db.inTransaction) {
      this.writeDeferred();
      return;
    }
    try {
      // Their own commit does not wait for the disk: derived from events committed with FULL,
      // they are derived again at the next open (catchUpTail) if a power cut takes them.
      this.derivedCommit.run(() => {
        this.writeDeferred();
        if (this.lastRowSeq - this.counted() >= FOLD_COUNTS_AFTER) this.foldCounts();
      });
      this.inFlight = [];
    } catch (error) {
      this.forget();
      throw error;
    }
  }

  /**
   * Before a read: the deferred rows written, or, when they cannot be (SQLite refuses writes on a
   * store found damaged meanwhile, a full disk), the read answers with what is on disk rather than
   * failing; the rows stay waiting, and the next open derives them if they are never written.
   */
  private settleBeforeRead(): void {
    try {
      this.settle();
    } catch (error) {
      console.error('Writing the timeline rows of entries already stored failed; reading what is on disk:', error);
    }
  }

  /**
   * In the caller's transaction: the deferred rows are written, in seq order, and kept as in flight
   * until it commits; all of them, or the oldest `count` values (whole rows).
   */
  private writeDeferred(count = this.deferred.length): void {
    if (this.deferred.length === 0) return;
    const values = count >= this.deferred.length ? this.deferred : this.deferred.splice(0, count);
    if (values === this.deferred) this.deferred = [];
    for (const value of values) this.inFlight.push(value);
    const step = ROWS_PER_STATEMENT * ROW_COLUMN_COUNT;
    for (let at = 0; at < values.length; at += step) this.insertDeferred.run(values.slice(at, at + step));
    this.lastRowSeq = values[values.length - ROW_COLUMN_COUNT] as number;
  }

  /** The seq up to which timeline_shown_counts holds the shown rows (migration 16). */
  private counted(): number {
    return (this.countedUpTo ??= Number(this.stmts.getVersion.get(COUNTED_UP_TO_KEY)?.value ?? '0'));
  }

  private setCountedUpTo(seq: number): void {
    this.stmts.setVersion.run(COUNTED_UP_TO_KEY, String(seq));
    this.countedUpTo = seq;
  }

  /** In the caller's transaction: the shown rows after the marker go into the counts, and the marker to the last row. */
  private foldCounts(): void {
    const from = this.counted();
    const to = this.stmts.lastRow.get()?.seq ?? 0;
    this.lastRowSeq = 0;
    if (to <= from) return;
    this.stmts.foldCounts.run(from, to);
    this.setCountedUpTo(to);
  }

  /** The number of rows the incident's timeline shows, as read from disk. */
  shownCount(incidentId: string): number {
    this.settleBeforeRead();
    return this.stmts.countShown.get({ incidentId, after: this.counted() })?.n ?? 0;
  }

  /** Called inside the append transaction, right after the event's own row in `events`. */
  add(event: EventEnvelope, seq: number): void {
    const shown = isShown(event);
    const target = annotationTarget(event);
    const annotation = shown ? this.annotationOfNew(event) : null;
    const entry = effectiveEntry(event, annotation);
    const search = shown ? searchTextOf(event, entry) : '';
    this.writeRow(
      seq,
      event.incidentId,
      shown ? 1 : 0,
      target,
      shown ? entry.occurredAt : occurredAtOf(event),
      event.hlc,
      entry.badge,
      event.actor,
      entry.starred ? 1 : 0,
      annotation ? JSON.stringify(annotation) : null,
      search,
    );
    if (shown) {
      const held = this.indexes.get(event.incidentId);
      const building = this.builder.building(event.incidentId);
      // Made only for an index in memory or being read (a catch-up writes most rows with neither).
      const item: IndexItem | null =
        held || building ? { seq, at: entry.occurredAt, hlc: event.hlc, badge: entry.badge, actor: event.actor, starred: entry.starred, search } : null;
      if (held) held.add(item!);
      // An index still being read may or may not reach this row: add it afterwards unless it did.
      if (building) {
        this.builder.record(event.incidentId, (index) => {
          if (index.position(seq) < 0) index.add({ ...item! });
        });
      }
      // As toRow would read it back: no annotation, so the stored badge, time and star are the entry's own.
      if (this.keepWritten && annotation === null) {
        this.written.set(event.id, { row: rowOf(event, entry, entry.badge, entry.occurredAt, entry.starred), seq });
      }
    }
    if (target) {
      // A target later in the same batch finds this annotation here rather than on disk.
      if (this.batchAnnotations) {
        const list = this.batchAnnotations.get(target);
        if (list) list.push(event);
        else this.batchAnnotations.set(target, [event]);
      }
      this.flushRows();
      this.refresh(target, event.incidentId);
    }
    if (event.kind === 'sla.breached' && typeof event.payload['clock'] === 'string') {
      this.flushRows();
      showFirstBreachOnly(this.db, event.incidentId, event.payload['clock']);
      // Rare (once per clock and laptop): rebuild this incident's index on its next read rather than mirror the flip.
      this.drop(event.incidentId);
    }
  }

  /** One row's values (ROW_COLUMN_COUNT, in the insert's order): written now outside a batch, with the batch's next rows inside one. */
  private writeRow(...values: unknown[]): void {
    if (!this.batchAnnotations) {
      this.stmts.insert.run(values);
      this.lastRowSeq = values[0] as number;
      return;
    }
    this.pendingRows.push(...values);
    if (this.pendingRows.length >= ROWS_PER_STATEMENT * ROW_COLUMN_COUNT) this.flushRows();
  }

  /** Writes the rows waiting in this batch, in their order, after the deferred ones (anything that reads the rows back comes after). */
  private flushRows(): void {
    this.writeDeferred();
    if (this.pendingRows.length === 0) return;
    const values = this.pendingRows;
    this.pendingRows = [];
    this.insertMany.run(values);
    this.lastRowSeq = values[values.length - ROW_COLUMN_COUNT] as number;
  }

  /** The annotations naming an event being appended: from the batch's one look-up when there is one. */
  private annotationOfNew(event: EventEnvelope): Annotation | null {
    if (!this.batchAnnotations) return this.annotationOf(event.id, event.incidentId);
    const annotations = this.batchAnnotations.get(event.id)?.filter((a) => a.incidentId === event.incidentId);
    return annotations?.length ? foldAnnotation(annotations) : null;
  }

  private annotationOf(targetId: string, incidentId: string): Annotation | null {
    const annotations = this.stmts.annotationsOf.all(targetId, incidentId);
    return annotations.length ? foldAnnotation(annotations.map(toEvent)) : null;
  }

  /** Re-fold one entry after an annotation naming it arrived; one that is not here yet is folded when it comes. */
  private refresh(targetId: string, incidentId: string): void {
    const row = this.stmts.eventById.get(targetId);
    if (!row || row.incident_id !== incidentId || !isShown(toEvent(row))) return;
    // Written earlier in this batch, now changed: its notice reads it back.
    this.written.delete(targetId);
    const event = toEvent(row);
    const annotation = this.annotationOf(targetId, incidentId);
    const entry = effectiveEntry(event, annotation);
    const search = searchTextOf(event, entry);
    this.stmts.update.run(entry.occurredAt, entry.starred ? 1 : 0, annotation ? JSON.stringify(annotation) : null, search, row.seq);
    const change = { at: entry.occurredAt, starred: entry.starred, search };
    this.indexes.get(incidentId)?.update(row.seq, change);
    this.builder.record(incidentId, (index) => index.update(row.seq, change));
  }

  /** The timeline entry an annotation may name; throws not_found otherwise. */
  row(incidentId: string, eventId: string): TimelineRow {
    this.settleBeforeRead();
    const row = this.stmts.eventById.get(eventId);
    if (!row || row.incident_id !== incidentId || !isShown(toEvent(row))) {
      throw new ApiError({ code: 'not_found', message: `No timeline entry with id ${eventId} in this incident.` });
    }
    return toRow(row);
  }

  history(incidentId: string, eventId: string): { row: TimelineRow; versions: EntryVersion[] } {
    this.settleBeforeRead();
    const row = this.row(incidentId, eventId);
    const target = this.stmts.eventById.get(eventId)!;
    const annotations = this.stmts.annotationsOf.all(eventId, incidentId).map(toEvent);
    return { row, versions: historyOf(toEvent(target), annotations) };
  }

  /**
   * What the timeline shows of these events, for a change notice: the rows they added and the
   * rows their annotations changed. Null when that is not all they did (an event kept but not
   * shown, a breach that may hide another, or more rows than a notice should carry): the
   * timeline is then read again.
   */
  rowChanges(events: readonly EventEnvelope[]): { added: TimelineRow[]; updated: TimelineRow[] } | null {
    if (events.length > ROWS_IN_NOTICE) return null;
    const added = events.filter(isShown);
    if (added.some((e) => e.kind === 'sla.breached')) return null;
    const targets = [...new Set(events.map(annotationTarget).filter((id): id is string => id !== null))];
    const addedIds = new Set(added.map((e) => e.id));
    // A new entry is built as it was written; only rows an annotation names (or that one did) are read back.
    const addedRows: { row: TimelineRow; seq: number }[] = [];
    const toRead: string[] = [...targets];
    for (const event of added) {
      const written = this.written.get(event.id);
      if (written && written.row.event === event) addedRows.push(written);
      else toRead.push(event.id);
    }
    const updated: TimelineRow[] = [];
    if (toRead.length) {
      this.settleBeforeRead();
      for (const joined of this.stmts.shownByIds.all(JSON.stringify(toRead))) {
        if (addedIds.has(joined.id)) addedRows.push({ row: toRow(joined), seq: joined.seq });
        else updated.push(toRow(joined));
      }
    }
    if (addedRows.length !== added.length) return null;
    return { added: addedRows.sort(byDisplayOrder).map((r) => r.row), updated };
  }

  authors(incidentId: string): string[] {
    this.settleBeforeRead();
    const index = this.indexes.get(incidentId);
    if (index) return index.authors();
    // Asked when an incident opens: one pass over its rows rather than reading the whole index now.
    return this.stmts.authors
      .all(incidentId)
      .map((r) => r.actor)
      .sort((a, b) => a.localeCompare(b));
  }

  /** Every event of the incident, annotations included, in the order the timeline shows them. */
  list(incidentId: string, offset: number, limit: number): { entries: EventEnvelope[]; total: number } {
    this.settleBeforeRead();
    return { entries: this.stmts.all.all(incidentId, limit, offset).map(toEvent), total: this.stmts.countAll.get(incidentId)?.n ?? 0 };
  }

  query(input: { incidentId: string; filter: TimelineFilter; offset: number; limit: number; fromEnd: boolean; aroundId?: string | undefined }): TimelineWindow {
    this.settleBeforeRead();
    const { incidentId, filter } = input;
    const text = foldText(filter.text.trim());
    const unfiltered = !text && !filter.kinds.length && !filter.actors.length && !filter.starred;
    if (!this.indexes.has(incidentId) && input.aroundId === undefined) {
      // Until the incident's index is in memory (read in slices, behind the answers), the first
      // window comes straight from SQLite, and so does a filter: one pass over the rows on disk
      // (tens of milliseconds at 100,000) rather than the whole index read before answering.
      this.builder.start(incidentId);
      if (unfiltered) return this.windowFromDisk(incidentId, input.fromEnd, input.offset, input.limit);
      const seqs = this.stmts.matching.all({
        incidentId,
        text,
        kinds: filter.kinds.length ? JSON.stringify(filter.kinds) : null,
        actors: filter.actors.length ? JSON.stringify(filter.actors) : null,
        starred: filter.starred ? 1 : 0,
      });
      const all = this.shownCount(incidentId);
      return this.windowOf(input, seqs.length, all, null, (offset, limit) => seqs.slice(offset, offset + limit));
    }
    const index = this.index(incidentId);
    const seqs = index.matching(filter);
    let at: number | null = null;
    if (input.aroundId !== undefined) {
      const row = this.stmts.eventById.get(input.aroundId);
      const position = row && row.incident_id === incidentId ? (seqs ? seqs.indexOf(row.seq) : index.position(row.seq)) : -1;
      at = position < 0 ? null : position;
    }
    const pageOf = (offset: number, limit: number) => (seqs ? seqs.slice(offset, offset + limit) : index.slice(offset, limit));
    return this.windowOf(input, seqs?.length ?? index.size, index.size, at, pageOf);
  }

  /** The window asked for (the newest rows, around a row, or from an offset) out of `total` matching rows. */
  private windowOf(
    input: { offset: number; limit: number; fromEnd: boolean },
    total: number,
    all: number,
    at: number | null,
    pageOf: (offset: number, limit: number) => number[],
  ): TimelineWindow {
    const { limit } = input;
    let offset = input.fromEnd ? total - limit : at !== null ? at - Math.floor(limit / 2) : input.offset;
    offset = Math.max(0, Math.min(offset, Math.max(0, total - limit)));
    const page = pageOf(offset, limit);
    const order = new Map(page.map((seq, i) => [seq, i]));
    const rows = this.stmts.bySeqs.all(JSON.stringify(page)).sort((a, b) => order.get(a.seq)! - order.get(b.seq)!);
    return { rows: rows.map(toRow), offset, total, all, index: at };
  }

  /** An unfiltered window read through the shown-rows index, for an incident whose index is not in memory yet. */
  private windowFromDisk(incidentId: string, fromEnd: boolean, requested: number, limit: number): TimelineWindow {
    const total = this.shownCount(incidentId);
    const offset = Math.max(0, Math.min(fromEnd ? total - limit : requested, Math.max(0, total - limit)));
    const page = fromEnd
      ? this.stmts.newestShown
          .all(incidentId, limit)
          .map((r) => r.seq)
          .reverse()
      : this.stmts.shownFrom.all(incidentId, limit, offset).map((r) => r.seq);
    const order = new Map(page.map((seq, i) => [seq, i]));
    const rows = this.stmts.bySeqs.all(JSON.stringify(page)).sort((a, b) => order.get(a.seq)! - order.get(b.seq)!);
    return { rows: rows.map(toRow), offset, total, all: total, index: null };
  }
}

/**
 * Two laptops offline may both record a breach of the same clock; the fold keeps the first by
 * HLC, and so does the timeline: of the breach rows of one clock, only the earliest is shown.
 * Called in the append transaction after a breach's row is written, whatever order the breaches
 * arrive in. It is storage, not a clock rule, so it lives with the rows it updates.
 */
function showFirstBreachOnly(db: Database.Database, incidentId: string, clock: string): void {
  db.prepare(
    `WITH breaches AS (
       SELECT e.seq, e.hlc FROM events e
       WHERE e.incident_id = @incidentId AND e.kind = 'sla.breached' AND json_extract(e.payload, '$.clock') = @clock
         AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq)
     )
     UPDATE timeline_rows SET shown = (seq = (SELECT seq FROM breaches ORDER BY hlc LIMIT 1))
     WHERE seq IN (SELECT seq FROM breaches)`,
  ).run({ incidentId, clock });
}
