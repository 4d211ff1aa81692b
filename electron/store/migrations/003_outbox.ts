/**
 * Events recorded on this device that the team hub has not acknowledged yet. Everything
 * already in the log when sync arrives is queued too, so a laptop that worked offline
 * before it was ever connected shares all of it on its first sync.
 */
export const migration = {
  version: 3,
  name: 'sync outbox',
  sql: `
    CREATE TABLE outbox (
      seq      INTEGER PRIMARY KEY,
      event_id TEXT    NOT NULL UNIQUE REFERENCES events (id)
    ) STRICT;
    INSERT INTO outbox (event_id) SELECT id FROM events ORDER BY seq;
  `,
};
