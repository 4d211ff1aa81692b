/**
 * The number of rows each incident's timeline shows, kept by SQLite itself. The console's first
 * window of an incident (issue #11: a store of 500,000 events answered at once) needs that total,
 * and counting it walked every entry of timeline_rows_shown: 45–110 ms at 500,000 rows, more than
 * the window itself. Triggers keep the count on every path that adds, removes or hides a row (an
 * append, the rows' rebuild, a breach shown only once), so no code path can forget it; an append
 * updates one small row per shown event.
 */
export const migration = {
  version: 14,
  name: 'timeline shown counts',
  sql: `
    CREATE TABLE timeline_shown_counts (
      incident_id TEXT    NOT NULL PRIMARY KEY,
      shown       INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    INSERT INTO timeline_shown_counts (incident_id, shown)
      SELECT incident_id, count(*) FROM timeline_rows WHERE shown = 1 GROUP BY incident_id;
    CREATE TRIGGER timeline_shown_count_insert AFTER INSERT ON timeline_rows WHEN NEW.shown = 1 BEGIN
      INSERT INTO timeline_shown_counts (incident_id, shown) VALUES (NEW.incident_id, 1)
        ON CONFLICT (incident_id) DO UPDATE SET shown = shown + 1;
    END;
    CREATE TRIGGER timeline_shown_count_delete AFTER DELETE ON timeline_rows WHEN OLD.shown = 1 BEGIN
      UPDATE timeline_shown_counts SET shown = shown - 1 WHERE incident_id = OLD.incident_id;
    END;
    CREATE TRIGGER timeline_shown_count_update AFTER UPDATE OF shown, incident_id ON timeline_rows
      WHEN OLD.shown IS NOT NEW.shown OR OLD.incident_id IS NOT NEW.incident_id BEGIN
      UPDATE timeline_shown_counts SET shown = shown - 1 WHERE OLD.shown = 1 AND incident_id = OLD.incident_id;
      INSERT INTO timeline_shown_counts (incident_id, shown) SELECT NEW.incident_id, 1 WHERE NEW.shown = 1
        ON CONFLICT (incident_id) DO UPDATE SET shown = shown + 1;
    END;
  `,
};
