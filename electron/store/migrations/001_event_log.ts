/** The event log itself: the record. Everything else can be rebuilt from it. */
export const migration = {
  version: 1,
  name: 'event log and device metadata',
  sql: `
    CREATE TABLE events (
      seq         INTEGER PRIMARY KEY,
      id          TEXT    NOT NULL UNIQUE,
      incident_id TEXT    NOT NULL,
      kind        TEXT    NOT NULL,
      hlc         TEXT    NOT NULL,
      occurred_at INTEGER NOT NULL,
      recorded_at INTEGER NOT NULL,
      actor       TEXT    NOT NULL,
      device_id   TEXT    NOT NULL,
      payload     TEXT    NOT NULL CHECK (json_valid(payload))
    ) STRICT;
    CREATE INDEX events_timeline ON events (incident_id, occurred_at, hlc);
    CREATE INDEX events_hlc ON events (hlc);

    CREATE TABLE meta (
      key   TEXT NOT NULL PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `,
};
