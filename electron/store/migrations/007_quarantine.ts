/**
 * Quarantine (shared/record/untrusted.ts): events kept in the log, synced onward, never folded,
 * each with the reason. One row per quarantined event, keyed by its place in the log.
 *
 * Stores written before clocks were bounded may already hold stamps far in the future (an
 * extreme `999999999999999:…`, a laptop days ahead): they are quarantined here, against this
 * machine's clock at the upgrade plus the bound (5 minutes), taken out of the search index, and
 * the projections and timeline rows are rebuilt without them (by forgetting the markers that
 * say they are up to date: electron/store/store.ts and timeline-rows.ts rebuild at open).
 */
export const migration = {
  version: 7,
  name: 'quarantined events',
  sql: `
    CREATE TABLE quarantine (
      seq            INTEGER PRIMARY KEY REFERENCES events (seq),
      code           TEXT    NOT NULL,
      reason         TEXT    NOT NULL,
      quarantined_at INTEGER NOT NULL
    ) STRICT;

    INSERT INTO quarantine (seq, code, reason, quarantined_at)
      SELECT seq, 'future_clock', 'stamped too far ahead of this laptop''s clock (found at upgrade)', CAST(unixepoch('subsec') * 1000 AS INTEGER)
      FROM events WHERE CAST(substr(hlc, 1, 15) AS INTEGER) > CAST(unixepoch('subsec') * 1000 AS INTEGER) + 300000;

    DELETE FROM library_fts WHERE rowid IN (SELECT seq FROM quarantine);
    DELETE FROM meta WHERE key IN ('fold.knownKinds', 'timeline.rowsVersion') AND EXISTS (SELECT 1 FROM quarantine);
  `,
};
