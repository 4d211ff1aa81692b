/**
 * Migration 14's shown counts were written on every append: one more B-tree page in each durable
 * commit (8.5 WAL frames an entry against 4.9 for the bare INSERT, issue #11), for a number read
 * only when an incident opens. Now the table holds the counts of the rows up to the seq in
 * `timeline.countedUpTo` (meta); the rows after it are counted when the number is read (a walk of
 * timeline_rows' primary key from the marker), and folded into the table, marker moved, in the
 * write that takes them past a thousand (TimelineRows). Removing or hiding a row at or below the
 * marker (the rows' rebuild, a breach shown only once) still adjusts the table through migration
 * 14's two triggers, now limited to those rows; above it, the count at read time sees the row as
 * it is. The counts were exact for every row: the marker starts at the last one.
 */
export const migration = {
  version: 16,
  name: 'shown counts up to a marker',
  sql: `
    DROP TRIGGER timeline_shown_count_delete;
    DROP TRIGGER timeline_shown_count_update;
    INSERT INTO meta (key, value) VALUES ('timeline.countedUpTo', (SELECT CAST(coalesce(max(seq), 0) AS TEXT) FROM timeline_rows))
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    CREATE TRIGGER timeline_shown_count_delete AFTER DELETE ON timeline_rows
      WHEN OLD.shown = 1 AND OLD.seq <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'timeline.countedUpTo') BEGIN
      UPDATE timeline_shown_counts SET shown = shown - 1 WHERE incident_id = OLD.incident_id;
    END;
    CREATE TRIGGER timeline_shown_count_update AFTER UPDATE OF shown, incident_id ON timeline_rows
      WHEN (OLD.shown IS NOT NEW.shown OR OLD.incident_id IS NOT NEW.incident_id)
        AND OLD.seq <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'timeline.countedUpTo') BEGIN
      UPDATE timeline_shown_counts SET shown = shown - 1 WHERE OLD.shown = 1 AND incident_id = OLD.incident_id;
      INSERT INTO timeline_shown_counts (incident_id, shown) SELECT NEW.incident_id, 1 WHERE NEW.shown = 1
        ON CONFLICT (incident_id) DO UPDATE SET shown = shown + 1;
    END;
  `,
};
