/**
 * The outbox as a marker instead of a row per event: migration 3's table cost two B-tree
 * writes (its key and the unique index on event_id) on every local append and two more on
 * every acknowledgement. Now `sync.pushedUpTo` in `meta` is the seq up to which the hub has
 * everything this laptop owes it; every event after it is waiting, except the ranges listed in
 * outbox_skipped: events that came from the hub (or were appended without being queued), one
 * row per append transaction rather than per event, merged while they are adjacent.
 *
 * What was queued stays queued: the marker starts just before the oldest queued event, and
 * every later event that was not queued becomes a skipped range (runs of consecutive seqs).
 */
export const migration = {
  version: 9,
  name: 'outbox as a marker',
  sql: `
    CREATE TABLE outbox_skipped (
      from_seq INTEGER NOT NULL PRIMARY KEY,
      to_seq   INTEGER NOT NULL CHECK (to_seq >= from_seq)
    ) STRICT;
    INSERT INTO meta (key, value)
      VALUES ('sync.pushedUpTo', CAST(coalesce(
        (SELECT min(e.seq) - 1 FROM outbox o JOIN events e ON e.id = o.event_id),
        (SELECT max(seq) FROM events),
        0) AS TEXT))
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    INSERT INTO outbox_skipped (from_seq, to_seq)
      SELECT min(seq), max(seq) FROM (
        SELECT e.seq, e.seq - row_number() OVER (ORDER BY e.seq) AS island FROM events e
        WHERE e.seq > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.pushedUpTo')
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id))
      GROUP BY island;
    DROP TABLE outbox;
  `,
};
