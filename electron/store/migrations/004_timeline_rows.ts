/**
 * The timeline as it is shown: one row per event with the values its corrections, redaction
 * and star give it, so `timeline.list` and `timeline.query` read the current order straight
 * from an index instead of folding 100,000 entries per page. Annotations themselves get a
 * hidden row naming their target, which finds them again when another one arrives.
 *
 * The rows are derived: electron/store/timeline-rows.ts fills them inside the transaction that
 * appends each event, and rebuilds them from the log when its own version says they are
 * stale (as right after this migration), so nothing here copies data. Filters by kind, author,
 * words and star run on the core's in-memory copy, so no index serves them here: every index
 * is written on each append.
 */
export const migration = {
  version: 4,
  name: 'timeline rows',
  sql: `
    CREATE TABLE timeline_rows (
      seq         INTEGER NOT NULL PRIMARY KEY REFERENCES events (seq),
      incident_id TEXT    NOT NULL,
      shown       INTEGER NOT NULL CHECK (shown IN (0, 1)),
      target_id   TEXT,
      occurred_at INTEGER NOT NULL,
      hlc         TEXT    NOT NULL,
      badge       TEXT    NOT NULL,
      actor       TEXT    NOT NULL,
      starred     INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
      annotation  TEXT    CHECK (annotation IS NULL OR json_valid(annotation)),
      search      TEXT    NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX timeline_rows_shown ON timeline_rows (incident_id, shown, occurred_at, hlc);
    CREATE INDEX timeline_rows_all ON timeline_rows (incident_id, occurred_at, hlc);
    CREATE INDEX timeline_rows_target ON timeline_rows (target_id) WHERE target_id IS NOT NULL;
  `,
};
