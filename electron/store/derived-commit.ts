import type Database from 'better-sqlite3';

/**
 * Commits writes of rows derived from events already committed with synchronous=FULL (a typed
 * entry's timeline row, its sealed copy for the outbox) without waiting for the disk: one fsync
 * per typed entry, the event's, instead of one per write. The next FULL commit or checkpoint syncs
 * the WAL they are in, and a power cut loses whole WAL transactions only, so what is lost is derived
 * again from the log (the timeline rows at the next open, the sealed copies when sync starts).
 * FULL again after, as Store.open sets it, for every write the person waits on — also when the
 * write fails.
 */
export class DerivedCommit {
  private readonly normal: Database.Statement;
  private readonly full: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.normal = db.prepare('PRAGMA synchronous = NORMAL');
    this.full = db.prepare('PRAGMA synchronous = FULL');
  }

  /** Runs `write` in a transaction of its own, committed without an fsync (inside another one, as part of it). */
  run(write: () => void): void {
    if (this.db.inTransaction) {
      this.db.transaction(write)();
      return;
    }
    this.normal.run();
    try {
      this.db.transaction(write)();
    } finally {
      this.full.run();
    }
  }
}
