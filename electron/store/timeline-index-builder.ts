import type Database from 'better-sqlite3';
import { IncidentIndex, type IndexItem } from '../core/timeline/timeline-index.js';

/** Rows read per slice: tens of milliseconds, so a call waiting in the worker's queue is answered between slices. */
const CHUNK = 25_000;

type Raw = [number, number, string, string, string, number, string];
const toItem = ([seq, at, hlc, badge, actor, starred, search]: Raw): IndexItem => ({ seq, at, hlc, badge, actor, starred: starred === 1, search });

interface Build {
  items: IndexItem[];
  /** The last row read, in display order (with seq to break ties), where the next slice starts. */
  after: { at: number; hlc: string; seq: number } | null;
  /** What changed in the incident's rows while the slices were read, replayed on the finished index. */
  changes: ((index: IncidentIndex) => void)[];
  timer: ReturnType<typeof setImmediate> | null;
}

/**
 * Reads an incident's timeline index in slices, off the answer's path: an incident of 500,000
 * entries opens with its newest window read straight from SQLite while its in-memory index
 * (which filters and positions need) is built here a slice at a time. Rows that change while it
 * is read are replayed on it once complete, so it ends exactly as one read in one go would be.
 */
export class IndexBuilder {
  private readonly builds = new Map<string, Build>();
  private readonly stmts;
  /** Called before the rows are read from disk (TimelineRows: rows whose write was left for later are written first). */
  beforeRead: () => void = () => {};

  constructor(
    private readonly db: Database.Database,
    private readonly install: (incidentId: string, index: IncidentIndex) => void,
  ) {
    const columns = 'seq, occurred_at, hlc, badge, actor, starred, search';
    this.stmts = {
      all: db.prepare<[string], Raw>(`SELECT ${columns} FROM timeline_rows WHERE incident_id = ? AND shown = 1 ORDER BY occurred_at, hlc, seq`).raw(true),
      first: db
        .prepare<[string, number], Raw>(`SELECT ${columns} FROM timeline_rows WHERE incident_id = ? AND shown = 1 ORDER BY occurred_at, hlc, seq LIMIT ?`)
        .raw(true),
      next: db
        .prepare<[string, number, string, number, number], Raw>(
          `SELECT ${columns} FROM timeline_rows WHERE incident_id = ? AND shown = 1 AND (occurred_at, hlc, seq) > (?, ?, ?)
           ORDER BY occurred_at, hlc, seq LIMIT ?`,
        )
        .raw(true),
    };
  }

  /** The whole index now, in one read (a filter or a position needs it); a build under way is dropped. */
  buildNow(incidentId: string): IncidentIndex {
    this.cancel(incidentId);
    this.beforeRead();
    return new IncidentIndex(this.stmts.all.all(incidentId).map(toItem));
  }

  building(incidentId: string): boolean {
    return this.builds.has(incidentId);
  }

  start(incidentId: string): void {
    if (this.builds.has(incidentId)) return;
    const build: Build = { items: [], after: null, changes: [], timer: null };
    this.builds.set(incidentId, build);
    build.timer = setImmediate(() => this.step(incidentId, build));
  }

  /** A row of an incident being read changed: apply it to the index once it is complete. */
  record(incidentId: string, change: (index: IncidentIndex) => void): void {
    this.builds.get(incidentId)?.changes.push(change);
  }

  cancel(incidentId: string): void {
    const build = this.builds.get(incidentId);
    if (build?.timer) clearImmediate(build.timer);
    this.builds.delete(incidentId);
  }

  cancelAll(): void {
    for (const id of [...this.builds.keys()]) this.cancel(id);
  }

  private step(incidentId: string, build: Build): void {
    build.timer = null;
    if (this.builds.get(incidentId) !== build || !this.db.open) return;
    this.beforeRead();
    const rows = build.after
      ? this.stmts.next.all(incidentId, build.after.at, build.after.hlc, build.after.seq, CHUNK)
      : this.stmts.first.all(incidentId, CHUNK);
    for (const row of rows) build.items.push(toItem(row));
    const last = build.items[build.items.length - 1];
    if (rows.length === CHUNK && last) {
      build.after = { at: last.at, hlc: last.hlc, seq: last.seq };
      build.timer = setImmediate(() => this.step(incidentId, build));
      return;
    }
    this.builds.delete(incidentId);
    const index = new IncidentIndex(build.items);
    for (const change of build.changes) change(index);
    this.install(incidentId, index);
  }
}
