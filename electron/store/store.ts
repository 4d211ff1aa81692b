import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiError, type IncidentSummary } from '../../shared/api/api.js';
import type { EventRow } from './event-row.js';
import { EVENT_KINDS, parseEvent, type EventEnvelope } from '../../shared/record/events.js';
import { DELIVERY_STATE_KINDS } from '../../shared/deliveries/state-kinds.js';
import { admitEvent, type QuarantineReason } from '../../shared/record/untrusted.js';
import { applyEvent, emptyIncident, viewIncident, type IncidentState } from '../../shared/record/fold.js';
import { assertSupportedVersion, LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations/index.js';
import { Checkpointer, CHECKPOINT_PAGES, FALLBACK_FACTOR } from './checkpointer.js';
import { DerivedCommit } from './derived-commit.js';
import { Outbox, type SealedForOutbox } from './outbox.js';
import { SearchIndex } from './search-index.js';
import { TimelineRows } from './timeline-rows.js';
import { LogWriter, storedOccurredAt } from './log-writer.js';
import { privateDatabaseFiles, privateDir } from './private-files.js';
import { asStoreOpenError, StoreOpenError } from './store-problems.js';

export const STORE_FILE_NAME = 'warroom.sqlite';

export interface AppendOptions {
  /** Recorded here (or imported): queue for the hub. Events pulled from the hub are not queued back. */
  outbox?: boolean;
  /** The hub cursor these events were pulled up to, saved in the same transaction. */
  pullCursor?: number;
  /** Id of the event at that cursor, saved with it: the next pull checks the hub still has it there. */
  pullCursorId?: string;
  /**
   * The events were just built by the core from input it validated against the channel schema;
   * parsing them again would only repeat that work on the hot path of every keystroke-to-log.
   */
  builtFromValidatedInput?: boolean;
  /**
   * Events that passed the envelope checks but must not be folded (shared/record/untrusted.ts),
   * with why: stored (and queued when `outbox`), never folded, listed by `quarantined()`. With
   * `builtFromValidatedInput` the caller decided; otherwise the store admits each event itself.
   */
  quarantine?: ReadonlyMap<string, QuarantineReason>;
  /** The events were just made by this core with fresh ids: nothing in the store can name them yet. */
  madeHere?: boolean;
  /** This machine's wall clock, for the clock bound; defaults to Date.now(). */
  now?: number;
  /**
   * Each event's payload as JSON, in the events' order, as the caller already made it (the pull
   * worker, from the very objects it handed over): the log stores these rather than stringify
   * 5,000 payloads a page again on the core's thread. Ignored unless there is one per event.
   */
  payloadJson?: readonly string[];
  /**
   * With `outbox`, for each event in order, its sealed form as it arrived from a room peer (null
   * for one that did not arrive sealed): one sealed with the key sealing now goes into the outbox
   * as it is, in this transaction, rather than being sealed again (issue #14). Ignored unless
   * there is one per event.
   */
  sealedAsArrived?: readonly (SealedForOutbox | null)[];
}

/**
 * Seals what enters the outbox while this laptop holds a team key (issue #14; the sync engine
 * gives it, electron/sync/sync.ts): the store itself knows nothing of keys or ciphers.
 */
export interface OutboxSealer {
  /** The key sealing now: a waiting event sealed with another one (before a rotation) is sealed again. */
  readonly keyId: string;
  /** `payloadJson`: the payload's JSON as the log holds it, made once for both. */
  seal(event: EventEnvelope, payloadJson: string): SealedForOutbox;
}

/** Waiting events sealed per transaction when a key arrives: a long offline queue commits in steps. */
const SEAL_CHUNK = 1000;

/**
 * Events stored and not sealed yet, at most: a burst of writes (an import, a room peer's push, a
 * commander typing fast) seals them in the write that reaches this many, in one transaction.
 */
const SEAL_BATCH = 256;

/** An event stored for the hub while this laptop holds a team key, to be sealed into the outbox right after. */
interface PendingSeal {
  seq: number;
  event: EventEnvelope;
  payloadJson: string;
}

export interface QuarantinedEvent extends QuarantineReason {
  eventId: string;
  incidentId: string;
  kind: string;
  actor: string;
  deviceId: string;
  hlc: string;
  quarantinedAt: number;
}

interface SummaryRow {
  id: string;
  title: string;
  status: string;
  priority: string;
  declared_at: number;
  commander: string;
  drill: number;
}

function rowToSummary(r: SummaryRow): IncidentSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status as IncidentSummary['status'],
    priority: r.priority as IncidentSummary['priority'],
    declaredAt: r.declared_at,
    commander: r.commander,
    drill: r.drill === 1,
  };
}

export const PULL_CURSOR_KEY = 'sync.pullCursor';
export const HUB_EPOCH_KEY = 'sync.hubEpoch';
export const PULL_CURSOR_ID_KEY = 'sync.pullCursorId';
const FOLDED_KINDS_KEY = 'fold.knownKinds';
/**
 * Kinds the incident fold began to read after stores had already kept (and skipped) them, each
 * under a marker remembered with the known kinds: a store that has not folded a marker yet folds
 * the incidents holding that kind again, once, as for a kind this version newly knows.
 */
const REFOLDED_KINDS: Record<string, string> = { 'alert.resolved@incident': 'alert.resolved' };
/** Kept equal to ROWS_VERSION_KEY in timeline-rows.ts; migration 7 names it too. */
const TIMELINE_ROWS_VERSION_KEY = 'timeline.rowsVersion';

export interface StoreOptions {
  /** Absolute path to an Electron-ABI build of better-sqlite3's native addon. */
  nativeBinding?: string;
  readonly?: boolean;
  /**
   * A file larger than this (bytes) whose open writes nothing is opened without its integrity
   * check, which takes seconds on a large store: the caller runs it on another thread
   * (integrity-check.ts) and gives the answer to integrityChecked(). Until the check has passed
   * SQLite refuses every write on this connection (query_only), so a damaged file is still never
   * written. Unset: the check runs here, before anything else.
   */
  deferIntegrityCheckAbove?: number;
  /**
   * WAL pages past which a thread of its own copies the WAL into the file (checkpointer.ts), off
   * the write path; this connection checkpoints for itself only past FALLBACK_FACTOR times that.
   * `false`: SQLite's own autocheckpoint on this connection, as a plain better-sqlite3 user has it.
   */
  checkpointPages?: number | false;
}

/**
 * Stores up to this size are checked at open, before the console starts (tens of milliseconds);
 * larger ones while the first screen is answered (the core worker's default).
 */
export const INTEGRITY_CHECK_AT_OPEN_UP_TO = 8 * 1024 * 1024;

function rowToEvent(row: EventRow): EventEnvelope {
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

const EVENT_COLUMNS = 'id, incident_id, kind, hlc, recorded_at, actor, device_id, payload';

/**
 * The offline store: an append-only event log plus the incident projection, on one SQLite file.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode NORMAL only syncs at checkpoints, so a
 * power cut can lose the last commits; FULL syncs the WAL on every commit, which is what
 * "an acknowledged entry survives a crash" requires. Callers are told about a change only
 * after `append` has returned, i.e. after COMMIT.
 */
/**
 * A damaged page serves some reads, fails others and accepts writes that damage the file
 * further: refuse it at open, before anything is written. quick_check skips the index-to-table
 * cross-checks of integrity_check, so it stays quick on a large store.
 */
function assertIntact(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length > 0) throw new StoreOpenError('damaged', file, problems.join('; '));
}

/** Opening it writes nothing: already in WAL mode and at the latest schema (the rows and folds are asked once the store is made). */
function opensWithoutWriting(db: Database.Database): boolean {
  return db.pragma('journal_mode', { simple: true }) === 'wal' && schemaVersion(db) === LATEST_SCHEMA_VERSION;
}

/**
 * SQLite quietly opens a file it cannot write read-only, and the console would then start and
 * fail every command. Asking for the write lock, and giving it back, finds out now.
 */
function assertWritable(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
  db.exec('ROLLBACK');
}

/** One call of `append`, as its transaction sees it; `touched`, `inserted` and `toSeal` are what it did. */
interface AppendBatch {
  events: readonly EventEnvelope[];
  options: AppendOptions;
  quarantine: ReadonlyMap<string, QuarantineReason> | undefined;
  now: number;
  touched: Map<string, IncidentState>;
  inserted: EventEnvelope[];
  /** Events to seal into the outbox once the transaction has committed (Store.queueSeals). */
  toSeal: PendingSeal[];
}

export class Store {
  readonly db: Database.Database;
  private readonly states = new Map<string, IncidentState>();
  private readonly stmts;
  /** The timeline as shown (corrections applied), updated in the same transaction as the log. */
  readonly timelineRows: TimelineRows;
  /** The library's words, indexed after the append (migration 8), never inside it. */
  readonly searchIndex: SearchIndex;
  private readonly outbox: Outbox;
  /** The sealed copies' own commit (settleSeals), derived from events already committed with FULL. */
  private readonly derivedCommit: DerivedCommit;
  /** Writes events into the log, many to a statement, idempotent by id. */
  private readonly log: LogWriter;
  /** Set while this laptop holds a team key: every event queued for the hub is sealed right after it is stored. */
  private sealer: OutboxSealer | null = null;
  /** Stored (committed, acknowledged) and not sealed yet: sealed on the next turn, or by the write that fills a batch. */
  private pendingSeals: PendingSeal[] = [];
  private sealsScheduled = false;
  /** Incidents whose projection changed since the core last asked (takeChangedProjections). */
  private readonly changedProjections = new Set<string>();
  /** Opened with its integrity check deferred and not passed yet: SQLite refuses writes (query_only). */
  private unchecked = false;
  /** The deferred check found the file damaged: it stays refused for writes, and the console says so. */
  damage: StoreOpenError | null = null;
  /** This store's WAL checkpoints on the checkpoint thread; null before writes are accepted, after close, or without one. */
  checkpointer: Checkpointer | null = null;
  /** Starts the checkpointer once writes are accepted (a deferred integrity check passed). */
  private startCheckpoints: (() => void) | null = null;

  private readonly appendInTransaction: Database.Transaction<(batch: AppendBatch) => void>;

  private constructor(db: Database.Database) {
    this.db = db;
    this.appendInTransaction = db.transaction((batch: AppendBatch) => this.appendBatch(batch));
    this.outbox = new Outbox(db);
    this.derivedCommit = new DerivedCommit(db);
    this.timelineRows = new TimelineRows(db);
    this.searchIndex = new SearchIndex(db);
    this.log = new LogWriter(db);
    this.stmts = {
      loadState: db.prepare<[string], { state: string }>('SELECT state FROM incidents WHERE id = ?'),
      saveState: db.prepare(
        `INSERT INTO incidents (id, state, declared, title, status, priority, declared_at, commander, drill)
         VALUES (@id, @state, @declared, @title, @status, @priority, @declaredAt, @commander, @drill)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, declared = excluded.declared, title = excluded.title,
           status = excluded.status, priority = excluded.priority, declared_at = excluded.declared_at,
           commander = excluded.commander, drill = excluded.drill`,
      ),
      listIncidents: db.prepare<[], SummaryRow>(
        `SELECT id, title, status, priority, declared_at, commander, drill FROM incidents
         WHERE declared = 1 ORDER BY CASE WHEN status IN ('resolved','closed','reviewed') THEN 1 ELSE 0 END, priority, declared_at DESC`,
      ),
      incidentSummary: db.prepare<[string], SummaryRow>(
        'SELECT id, title, status, priority, declared_at, commander, drill FROM incidents WHERE id = ? AND declared = 1',
      ),
      // Quarantined events are part of the log (synced onward, exported) but never folded.
      incidentEvents: db.prepare<[string], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE incident_id = ? AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq)`,
      ),
      // Through migration 11's partial index: the IN list must imply the index's, word for word.
      deliveryStateEvents: db.prepare<[string], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events e INDEXED BY events_delivery_state
         WHERE incident_id = ? AND kind IN (${DELIVERY_STATE_KINDS.map((k) => `'${k}'`).join(', ')})
           AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq)
         ORDER BY occurred_at, hlc`,
      ),
      allEvents: db.prepare<[], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY seq`),
      hasEvent: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?'),
      maxHlc: db.prepare<[], { hlc: string | null }>(
        'SELECT hlc FROM events e WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq) ORDER BY hlc DESC LIMIT 1',
      ),
      quarantine: db.prepare('INSERT INTO quarantine (seq, code, reason, quarantined_at) VALUES (?, ?, ?, ?)'),
      unindex: db.prepare('DELETE FROM library_fts WHERE rowid = ?'),
      quarantined: db.prepare<
        [number],
        { id: string; incident_id: string; kind: string; actor: string; device_id: string; hlc: string; code: string; reason: string; quarantined_at: number }
      >(
        `SELECT e.id, e.incident_id, e.kind, e.actor, e.device_id, e.hlc, q.code, q.reason, q.quarantined_at
         FROM quarantine q JOIN events e ON e.seq = q.seq ORDER BY q.seq DESC LIMIT ?`,
      ),
      quarantineCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantine'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      eventCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),
      seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM events WHERE id = ?'),
      waitingWithSealed: db.prepare<[string], EventRow & { wire: string | null }>(
        `SELECT ${EVENT_COLUMNS}, s.wire FROM events e LEFT JOIN outbox_sealed s ON s.seq = e.seq
         WHERE e.seq IN (SELECT value FROM json_each(?)) ORDER BY e.seq`,
      ),
      logAfterWithSealed: db.prepare<[number, number], EventRow & { seq: number; key_id: string | null; wire: string | null }>(
        `SELECT e.seq, ${EVENT_COLUMNS}, s.key_id, s.wire FROM events e LEFT JOIN outbox_sealed s ON s.seq = e.seq
         WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
      ),
      // Waiting events with no sealed form yet, or one sealed with another key than `keyId` ('' = relayed as it came, kept).
      toSeal: db.prepare<[string, string], EventRow & { seq: number }>(
        `SELECT e.seq, ${EVENT_COLUMNS} FROM events e LEFT JOIN outbox_sealed s ON s.seq = e.seq
         WHERE e.seq IN (SELECT value FROM json_each(?)) AND (s.seq IS NULL OR (s.key_id <> '' AND s.key_id <> ?)) ORDER BY e.seq`,
      ),
    };
  }

  static open(file: string, options: StoreOptions = {}): Store {
    const onDisk = file !== ':memory:';
    // A first start that fails (full or read-only disk) leaves no empty store or journal behind.
    const fresh = onDisk && !existsSync(file);
    const forget = () => {
      if (fresh) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    };
    let db: Database.Database;
    let store: Store | undefined;
    try {
      if (onDisk) {
        privateDir(path.dirname(file));
        privateDatabaseFiles(file);
      }
      db = new Database(file, {
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      });
      if (onDisk) privateDatabaseFiles(file);
    } catch (error) {
      forget();
      throw asStoreOpenError(error, file);
    }
    try {
      // Refuse a newer file before touching it: even switching the journal mode writes its header.
      assertSupportedVersion(db);
      // Read-only checks first, so a file we refuse is left exactly as it was found.
      let deferred =
        options.deferIntegrityCheckAbove !== undefined && onDisk && !fresh && statSync(file).size > options.deferIntegrityCheckAbove && opensWithoutWriting(db);
      if (!deferred) assertIntact(db, file);
      assertWritable(db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      const pages = onDisk ? (options.checkpointPages ?? CHECKPOINT_PAGES) : false;
      if (pages !== false) db.pragma(`wal_autocheckpoint = ${pages * FALLBACK_FACTOR}`);
      migrate(db);
      store = new Store(db);
      if (pages !== false) {
        const opened = store;
        opened.startCheckpoints = () => {
          opened.checkpointer ??= new Checkpointer(file, { pages, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
        };
      }
      // Rows derived by another version, or kinds to fold again, would be written now: checked first then.
      if (deferred && (store.timelineRows.stale() || store.timelineRows.behind() || store.kindsToFold().length > 0)) {
        assertIntact(db, file);
        deferred = false;
      }
      if (deferred) {
        db.pragma('query_only = ON');
        store.unchecked = true;
      } else store.startCheckpoints?.();
      store.timelineRows.rebuildIfStale();
      store.timelineRows.catchUpTail();
      store.foldNewlyKnownKinds();
      return store;
    } catch (error) {
      store?.stopCheckpoints();
      db.close();
      forget();
      throw asStoreOpenError(error, file);
    }
  }

  /** The checkpoint thread lets this store go (its connection closed when this returns); this connection checkpoints for itself. */
  stopCheckpoints(): void {
    this.startCheckpoints = null;
    this.checkpointer?.stop();
    this.checkpointer = null;
  }

  /**
   * Validate, then append events and update the projection in one transaction. Events already
   * present (same id) are skipped, so a retry never duplicates. Returns the events that were new.
   * An invalid event rejects the whole batch before anything is written.
   */
  append(candidates: readonly unknown[], options: AppendOptions = {}): EventEnvelope[] {
    const now = options.now ?? Date.now();
    let quarantine = options.quarantine;
    let events: EventEnvelope[];
    if (options.builtFromValidatedInput) events = candidates as EventEnvelope[];
    else ({ events, quarantine } = this.validate(candidates, now, quarantine));
    const batch: AppendBatch = { events, options, quarantine, now, touched: new Map(), inserted: [], toSeal: [] };
    try {
      this.appendInTransaction.immediate(batch);
      this.timelineRows.committed();
      for (const id of batch.touched.keys()) this.changedProjections.add(id);
      if (batch.toSeal.length) this.queueSeals(batch.toSeal);
    } catch (error) {
      // The cached states were folded ahead of a transaction that rolled back: forget them,
      // so the next read comes from what is actually on disk.
      for (const id of batch.touched.keys()) this.states.delete(id);
      // Rows still waiting to be written are dropped with the rest, never written outside it.
      this.timelineRows.forget();
      throw error;
    }
    return batch.inserted;
  }

  /** The body of `append`'s transaction, run by the transaction made once in the constructor (making one per append cost ~20 µs). */
  private appendBatch(batch: AppendBatch): void {
    const { events, options, quarantine, now, touched } = batch;
    const inserted: EventEnvelope[] = (batch.inserted = []);
    const toSeal: PendingSeal[] = (batch.toSeal = []);
    touched.clear();
    let firstSeq = 0;
    let lastSeq = 0;
    this.timelineRows.beginBatch(events, options.madeHere === true);
    const payloadJson = options.payloadJson?.length === events.length ? options.payloadJson : undefined;
    const sealedAsArrived = options.sealedAsArrived?.length === events.length ? options.sealedAsArrived : undefined;
    // Written a run at a time (many rows to a statement), then each event of the run in order.
    const seqs: number[] = [];
    const payloads: string[] = [];
    for (let from = 0, to = 0; from < events.length; from = to) {
      to = this.log.writeRun(events, from, seqs, payloads, payloadJson);
      for (let i = from; i < to; i++) {
        const seq = seqs[i]!;
        if (seq === 0) continue;
        const event = events[i]!;
        inserted.push(event);
        // Quarantined or not, as migration 5's triggers did on every insert.
        this.searchIndex.withhold(seq, event.kind);
        firstSeq ||= seq;
        lastSeq = seq;
        if (options.outbox && this.sealer) {
          const asArrived = sealedAsArrived?.[i];
          if (asArrived && asArrived.keyId === this.sealer.keyId) this.outbox.putSealed(seq, asArrived);
          else toSeal.push({ seq, event, payloadJson: payloads[i]! });
        }
        const held = quarantine?.get(event.id) ?? this.secondDeclaration(event);
        if (held) {
          // What is never folded is never found either: the search indexer skips quarantined seqs.
          this.stmts.quarantine.run(seq, held.code, held.reason, now);
          continue;
        }
        this.timelineRows.add(event, seq);
        const state = this.loadState(event.incidentId);
        if (applyEvent(state, event)) touched.set(event.incidentId, state);
      }
    }
    this.timelineRows.endBatch();
    for (const state of touched.values()) this.saveState(state);
    // Queued is the default state of an event after the marker; only the others are written down, one range per append.
    if (!options.outbox && lastSeq) this.outbox.skip(firstSeq, lastSeq);
    if (options.pullCursor !== undefined) this.stmts.setMeta.run(PULL_CURSOR_KEY, String(options.pullCursor));
    if (options.pullCursorId !== undefined) this.stmts.setMeta.run(PULL_CURSOR_ID_KEY, options.pullCursorId);
  }

  /**
   * Admit every candidate (shared/record/untrusted.ts): one refused event rejects the whole batch
   * before anything is written; one that cannot be folded is kept, quarantined.
   */
  private validate(
    candidates: readonly unknown[],
    now: number,
    given?: ReadonlyMap<string, QuarantineReason>,
  ): { events: EventEnvelope[]; quarantine: Map<string, QuarantineReason> } {
    const quarantine = new Map(given);
    const events = candidates.map((candidate, index) => {
      const admission = admitEvent(candidate, { now });
      if (!admission.ok) {
        throw new ApiError({ code: 'invalid_input', message: `Event ${index + 1} of ${candidates.length} is invalid: ${admission.reason}` });
      }
      if (admission.quarantine) quarantine.set(admission.event.id, admission.quarantine);
      return admission.event;
    });
    return { events, quarantine };
  }

  /**
   * An incident is declared once. Another declaration of an incident already declared here (a
   * pull page, a push by any holder of the team token) would rewrite its title, status and
   * commander by winning on its stamp: it is kept and synced onward, never folded. Every laptop
   * but the declaring one receives the two in the hub's order, so they all keep the same one.
   */
  private secondDeclaration(event: EventEnvelope): QuarantineReason | undefined {
    if (event.kind !== 'incident.declared' || !this.loadState(event.incidentId).declared) return undefined;
    return { code: 'second_declaration', reason: 'a second declaration of an incident already declared here: it would rewrite it' };
  }

  /** The quarantined events, newest first: kept and synced, never folded (see shared/record/untrusted.ts). */
  quarantined(limit = 500): QuarantinedEvent[] {
    return this.stmts.quarantined.all(limit).map((r) => ({
      eventId: r.id,
      incidentId: r.incident_id,
      kind: r.kind,
      actor: r.actor,
      deviceId: r.device_id,
      hlc: r.hlc,
      code: r.code as QuarantineReason['code'],
      reason: r.reason,
      quarantinedAt: r.quarantined_at,
    }));
  }

  quarantineCount(): number {
    return this.stmts.quarantineCount.get()?.n ?? 0;
  }

  /** Quarantine events already in the log (refused by the hub once they were queued): never folded from now on. */
  quarantineStored(reasons: ReadonlyMap<string, QuarantineReason>, now: number): void {
    this.settleSeals();
    const affected = new Set<string>();
    this.db.transaction(() => {
      for (const [id, reason] of reasons) {
        const row = this.db.prepare<[string], { seq: number; incident_id: string }>('SELECT seq, incident_id FROM events WHERE id = ?').get(id);
        if (!row) continue;
        this.db
          .prepare('INSERT INTO quarantine (seq, code, reason, quarantined_at) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING')
          .run(row.seq, reason.code, reason.reason, now);
        this.stmts.unindex.run(row.seq);
        this.outbox.drop(row.seq);
        affected.add(row.incident_id);
      }
      for (const id of affected) this.rebuildProjection(id);
      // Rare (an event the hub refused): the timeline rows are rebuilt whole, without it.
      if (affected.size) this.db.prepare('DELETE FROM meta WHERE key = ?').run(TIMELINE_ROWS_VERSION_KEY);
    })();
    if (affected.size) this.timelineRows.rebuildIfStale();
  }

  /**
   * Sealed events kept unopened (shared/sync/sealing.ts) looked at again once a team key arrives
   * (imported, paired, rotated): a row that now opens takes the event it carried sealed (same id,
   * same clock; the container was never the event) and leaves quarantine unless the event itself
   * must stay there; one that still does not open keeps its row with the new reason. The incidents
   * touched are folded again. Returns their ids.
   */
  reopenUnopened(reopen: (sealed: unknown) => { event: EventEnvelope; quarantine: QuarantineReason | null }, now: number): string[] {
    const rows = this.db
      .prepare<[], { seq: number; payload: string }>(
        "SELECT e.seq, e.payload FROM events e JOIN quarantine q ON q.seq = e.seq WHERE e.kind = 'sealed.unopened'",
      )
      .all();
    if (rows.length === 0) return [];
    const affected = new Set<string>();
    const opened: number[] = [];
    const update = this.db.prepare('UPDATE events SET kind = ?, actor = ?, device_id = ?, recorded_at = ?, occurred_at = ?, payload = ? WHERE seq = ?');
    const requarantine = this.db.prepare('UPDATE quarantine SET code = ?, reason = ?, quarantined_at = ? WHERE seq = ?');
    const release = this.db.prepare('DELETE FROM quarantine WHERE seq = ?');
    this.db.transaction(() => {
      for (const row of rows) {
        const { event, quarantine } = reopen((JSON.parse(row.payload) as { sealed?: unknown }).sealed);
        if (event.kind !== 'sealed.unopened') {
          update.run(event.kind, event.actor, event.deviceId, event.recordedAt, storedOccurredAt(event), JSON.stringify(event.payload), row.seq);
          affected.add(event.incidentId);
          opened.push(row.seq);
        }
        if (quarantine) requarantine.run(quarantine.code, quarantine.reason, now, row.seq);
        else release.run(row.seq);
      }
      for (const id of affected) this.rebuildProjection(id);
      // Searchable once opened, like any event: the index's marker may already be past them.
      this.searchIndex.indexOpened(opened);
      if (affected.size) this.db.prepare('DELETE FROM meta WHERE key = ?').run(TIMELINE_ROWS_VERSION_KEY);
    })();
    if (affected.size) this.timelineRows.rebuildIfStale();
    return [...affected];
  }

  private loadState(incidentId: string): IncidentState {
    const cached = this.states.get(incidentId);
    if (cached) return cached;
    const row = this.stmts.loadState.get(incidentId);
    const state = row ? (JSON.parse(row.state) as IncidentState) : emptyIncident(incidentId);
    this.states.set(incidentId, state);
    return state;
  }

  private saveState(state: IncidentState): void {
    const view = viewIncident(state);
    this.stmts.saveState.run({
      id: state.id,
      state: JSON.stringify(state),
      declared: view ? 1 : 0,
      title: view?.title ?? '',
      status: view?.status ?? 'declared',
      priority: view?.priority ?? 'P5',
      declaredAt: view?.declaredAt ?? 0,
      commander: view?.roles.commander ?? '',
      drill: view?.drill ? 1 : 0,
    });
  }

  /** The incidents whose folded state changed in the appends since the last call, for the change notice. */
  takeChangedProjections(): string[] {
    const ids = [...this.changedProjections];
    this.changedProjections.clear();
    return ids;
  }

  /** The folded state; empty (not declared) for an incident this store has not heard of. */
  incidentState(incidentId: string): IncidentState {
    return this.loadState(incidentId);
  }

  listIncidents(): IncidentSummary[] {
    return this.stmts.listIncidents.all().map(rowToSummary);
  }

  /** One incident's entry of `listIncidents`, as it is on disk; null until it is declared. */
  incidentSummary(incidentId: string): IncidentSummary | null {
    const row = this.stmts.incidentSummary.get(incidentId);
    return row ? rowToSummary(row) : null;
  }

  /** Every event of the incident in display order: occurred at as corrected, then causal order. */
  timeline(incidentId: string, offset = 0, limit = 5000): { entries: EventEnvelope[]; total: number } {
    return this.timelineRows.list(incidentId, offset, limit);
  }

  incidentEvents(incidentId: string): EventEnvelope[] {
    return this.stmts.incidentEvents.all(incidentId).map(rowToEvent);
  }

  /**
   * The incident's events the delivery view is folded from (shared/deliveries/state-kinds.ts), in
   * the order of incidentEvents; read through their own index, so it costs what the deliveries
   * cost, whatever the size of the incident.
   */
  deliveryStateEvents(incidentId: string): EventEnvelope[] {
    return this.stmts.deliveryStateEvents.all(incidentId).map(rowToEvent);
  }

  *allEvents(): Generator<EventEnvelope> {
    for (const row of this.stmts.allEvents.iterate()) yield rowToEvent(row);
  }

  hasEvent(id: string): boolean {
    return this.stmts.hasEvent.get(id) !== undefined;
  }

  eventCount(): number {
    return this.stmts.eventCount.get()?.n ?? 0;
  }

  /** Highest HLC stamp recorded, so a restarted device never stamps behind its own past. */
  maxHlc(): string | null {
    return this.stmts.maxHlc.get()?.hlc ?? null;
  }

  /**
   * Events of a kind an older version did not know were stored verbatim and left out of the
   * projection. Once this version knows the kind, fold them in: rebuild the projection of every
   * incident holding such events. The kinds folded so far are remembered in `meta`.
   */
  /** Kinds this version folds that the store has not folded yet (all of them when it never recorded any). */
  private kindsToFold(): string[] {
    const known = [...EVENT_KINDS, ...Object.keys(REFOLDED_KINDS)].sort();
    const saved = this.getMeta(FOLDED_KINDS_KEY);
    const folded = saved ? new Set(JSON.parse(saved) as string[]) : null;
    return folded ? known.filter((kind) => !folded.has(kind)) : known;
  }

  private foldNewlyKnownKinds(): void {
    const known = [...EVENT_KINDS, ...Object.keys(REFOLDED_KINDS)].sort();
    const fresh = this.kindsToFold();
    if (fresh.length === 0) return;
    const kinds = [...new Set(fresh.map((kind) => (Object.hasOwn(REFOLDED_KINDS, kind) ? REFOLDED_KINDS[kind]! : kind)))];
    const placeholders = kinds.map(() => '?').join(', ');
    const incidents = this.db
      .prepare<string[], { incident_id: string }>(`SELECT DISTINCT incident_id FROM events WHERE kind IN (${placeholders})`)
      .all(...kinds)
      .map((r) => r.incident_id);
    this.db.transaction(() => {
      for (const id of incidents) this.rebuildProjection(id);
      this.stmts.setMeta.run(FOLDED_KINDS_KEY, JSON.stringify(known));
    })();
  }

  /** Fold an incident again from its whole log. An event whose payload this version rejects stays in the log, unfolded. */
  private rebuildProjection(incidentId: string): void {
    const state = emptyIncident(incidentId);
    for (const event of this.incidentEvents(incidentId)) {
      let parsed: EventEnvelope;
      try {
        parsed = parseEvent(event);
      } catch {
        continue;
      }
      applyEvent(state, parsed);
    }
    this.states.set(incidentId, state);
    this.saveState(state);
    this.changedProjections.add(incidentId);
  }

  /**
   * The hub's history changed (new hub, reset, restored backup): queue the whole log for it again
   * and pull from its start, in one transaction. `epoch` null = not known yet (learnt on the next pull).
   */
  restartHubHistory(epoch: string | null): void {
    this.settleSeals();
    this.db.transaction(() => {
      this.outbox.requeueAll();
      this.stmts.setMeta.run(PULL_CURSOR_KEY, '0');
      this.db.prepare('DELETE FROM meta WHERE key = ?').run(PULL_CURSOR_ID_KEY);
      if (epoch === null) this.db.prepare('DELETE FROM meta WHERE key = ?').run(HUB_EPOCH_KEY);
      else this.stmts.setMeta.run(HUB_EPOCH_KEY, epoch);
    })();
  }

  /** The log after a position, in the order it was written: what a room peer serves and pushes (electron/sync/room.ts). */
  logAfter(afterSeq: number, limit: number): { seq: number; event: EventEnvelope }[] {
    return this.db
      .prepare<[number, number], EventRow & { seq: number }>(`SELECT seq, ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`)
      .all(afterSeq, limit)
      .map((row) => ({ seq: row.seq, event: rowToEvent(row) }));
  }

  /**
   * `logAfter` for a room peer (electron/sync/room.ts): each event with its payload's JSON as the
   * log holds it and, while it waits for the hub, the sealed JSON the outbox keeps for it and the
   * key that sealed it ('' = relayed as it came), so what was sealed at append is served as it is.
   */
  logAfterWithSealed(
    afterSeq: number,
    limit: number,
  ): { seq: number; event: EventEnvelope; payloadJson: string; sealed: { keyId: string; wire: string } | null }[] {
    this.settleSeals();
    return this.stmts.logAfterWithSealed.all(afterSeq, limit).map((row) => ({
      seq: row.seq,
      event: rowToEvent(row),
      payloadJson: row.payload,
      sealed: row.wire === null ? null : { keyId: row.key_id!, wire: row.wire },
    }));
  }

  idAtSeq(seq: number): string | null {
    return this.db.prepare<[number], { id: string }>('SELECT id FROM events WHERE seq = ?').get(seq)?.id ?? null;
  }

  lastSeq(): number {
    return this.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events').get()?.seq ?? 0;
  }

  /**
   * The oldest events the hub has not acknowledged, in the order they were recorded, each with the
   * sealed form it leaves as (null: none yet, the laptop holds no team key or the event was queued
   * again for a new hub history).
   */
  outboxBatch(limit: number): { event: EventEnvelope; sealed: string | null }[] {
    this.settleSeals();
    return this.stmts.waitingWithSealed.all(JSON.stringify(this.outbox.waiting(limit))).map((row) => ({ event: rowToEvent(row), sealed: row.wire }));
  }

  /**
   * Issue #14: while this laptop holds a team key every event it queues is sealed into the outbox
   * right after the transaction that stores it (queueSeals). Given a sealer (a key created, imported, rotated,
   * or held at start) the events already waiting are sealed now, in steps, those sealed with an
   * older key again; given null (no key) what waits leaves as it is in the log. Returns how many
   * were sealed. While SQLite refuses writes (a deferred integrity check) only the sealer is kept:
   * the sync engine asks again when it starts, once writes are accepted.
   */
  sealOutbox(sealer: OutboxSealer | null): number {
    this.sealer = sealer;
    // Waiting events without a sealed form (those stored and not sealed yet among them) are all sealed below.
    this.pendingSeals = [];
    if (this.writesRefused) return 0;
    if (!sealer) {
      this.outbox.dropAllSealed();
      return 0;
    }
    let count = 0;
    for (let after = 0; ;) {
      const seqs = this.outbox.waiting(SEAL_CHUNK, after);
      if (seqs.length === 0) return count;
      after = seqs[seqs.length - 1]!;
      const rows = this.stmts.toSeal.all(JSON.stringify(seqs), sealer.keyId);
      if (rows.length === 0) continue;
      this.db.transaction(() => {
        for (const row of rows) if (this.sealQueued(sealer, row.seq, rowToEvent(row), row.payload)) count++;
      })();
    }
  }

  /**
   * Issue #14, off the acknowledged write: an event is stored (and acknowledged) in its own
   * transaction, and sealed into the outbox on the next turn, many per transaction. A sealed row
   * in the same transaction cost an append about 15 % more pages written to the WAL (9.9 against
   * 8.6 frames) and the cipher's setup. In between, the event waits in the log as every event does
   * (the outbox is a marker into it), never in clear anywhere else: everything that reads or changes
   * the sealed rows settles these first (outboxBatch, logAfterWithSealed, acknowledge, quarantine,
   * a new hub history, close), and a laptop killed before they are sealed seals them when its sync
   * engine starts (sealOutbox: waiting events without a sealed form), before anything can leave.
   */
  private queueSeals(stored: readonly PendingSeal[]): void {
    for (const item of stored) this.pendingSeals.push(item);
    if (this.pendingSeals.length >= SEAL_BATCH) {
      this.settleSeals();
      return;
    }
    if (this.sealsScheduled) return;
    this.sealsScheduled = true;
    setImmediate(() => {
      this.sealsScheduled = false;
      this.settleSeals();
    });
  }

  /** Seal what was stored and not sealed yet, in one transaction. Never throws: unsealed, an event is sealed as it leaves instead. */
  private settleSeals(): void {
    if (this.pendingSeals.length === 0) return;
    const pending = this.pendingSeals;
    this.pendingSeals = [];
    const sealer = this.sealer;
    // Closed: the next start seals them (sealOutbox). No key any more: sealOutbox(null) already dropped them.
    if (!sealer || !this.db.open || this.writesRefused) return;
    try {
      // Not waiting for the disk (a second fsync per typed entry): a power cut that takes them
      // leaves their events waiting without a sealed form, sealed when sync starts (sealOutbox).
      this.derivedCommit.run(() => {
        for (const { seq, event, payloadJson } of pending) this.sealQueued(sealer, seq, event, payloadJson);
      });
    } catch (error) {
      console.error(`Sealing ${pending.length} stored events for the outbox failed; they are sealed as they leave instead:`, error);
    }
  }

  /** Seal one queued event into the outbox. Never the reason a write fails: unsealed, it is sealed as it leaves instead. */
  private sealQueued(sealer: OutboxSealer, seq: number, event: EventEnvelope, payloadJson: string): boolean {
    let sealed: SealedForOutbox;
    try {
      sealed = sealer.seal(event, payloadJson);
    } catch (error) {
      console.error(`Sealing event ${event.id} for the outbox failed; it is sealed as it leaves instead:`, error);
      return false;
    }
    this.outbox.putSealed(seq, sealed);
    return true;
  }

  /** The hub has these durably: forget them from the outbox, all at once. */
  acknowledge(eventIds: readonly string[]): void {
    this.settleSeals();
    this.outbox.acknowledge(eventIds);
  }

  /** Whether this event still waits in the outbox (false for one the hub has, or that came from it). */
  inOutbox(eventId: string): boolean {
    const seq = this.stmts.seqOf.get(eventId)?.seq;
    return seq !== undefined && this.outbox.isWaiting(seq);
  }

  outboxCount(): number {
    return this.outbox.count();
  }

  /** True until a deferred integrity check has passed: every write is refused by SQLite meanwhile. */
  get integrityUnchecked(): boolean {
    return this.unchecked;
  }

  /** SQLite refuses writes on this connection: a deferred check has not passed yet, or the file was found damaged. */
  get writesRefused(): boolean {
    return this.unchecked || this.damage !== null;
  }

  /**
   * The deferred check's answer (integrity-check.ts). Intact: writes are accepted from now on.
   * Damaged: the store stays refused for writes for good, and `damage` says why.
   */
  integrityChecked(result: { problems: readonly string[] }): void {
    if (!this.unchecked || this.damage) return;
    if (result.problems.length > 0) {
      this.damage = new StoreOpenError('damaged', this.db.name, result.problems.join('; '));
      return;
    }
    this.db.pragma('query_only = OFF');
    this.unchecked = false;
    this.startCheckpoints?.();
  }

  /**
   * SQLite said the file is damaged while it was read (before or after a deferred check, or
   * during any read): from now on SQLite refuses every write on this connection, for good.
   */
  markDamaged(detail: string): void {
    if (this.damage) return;
    this.damage = new StoreOpenError('damaged', this.db.name, detail);
    // Nothing more goes into the file, checkpoints included.
    this.stopCheckpoints();
    if (this.db.open) this.db.pragma('query_only = ON');
  }

  /** The deferred check run here, on the store's own connection (when it could not run on a thread of its own). */
  checkIntegrityNow(): void {
    if (!this.unchecked) return;
    try {
      assertIntact(this.db, this.db.name);
      this.integrityChecked({ problems: [] });
    } catch (error) {
      const problem = asStoreOpenError(error, this.db.name);
      if (!(problem instanceof StoreOpenError) || problem.problem !== 'damaged') throw error;
      this.integrityChecked({ problems: [problem.detail] });
    }
  }

  getMeta(key: string): string | null {
    return this.stmts.getMeta.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  close(): void {
    if (this.db.open) this.settleSeals();
    // Rows left for later that cannot be written now are derived at the next open.
    if (this.db.open && !this.writesRefused) {
      try {
        this.timelineRows.settle();
      } catch (error) {
        console.error('Writing the timeline rows of entries already stored failed; they are derived at the next open:', error);
      }
    }
    // The thread's connection closed first: this one, the last, checkpoints the WAL whole and removes it.
    this.stopCheckpoints();
    if (this.db.open) this.db.close();
  }
}
