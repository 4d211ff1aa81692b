/**
 * Issue #14: with a team key, an event is sealed on the laptop before it enters the outbox. The
 * outbox stays a marker into the log (migration 9); this table holds, for each waiting event,
 * what will leave for the hub: its sealed envelope's JSON (shared/sync/sealing.ts), written in the
 * same transaction as the event. `key_id` is the team key this laptop sealed it with (sealed
 * again after a rotation), '' for an event relayed exactly as it came (a sealed one that did not
 * open here). A row goes when the hub acknowledges its event; a laptop without a team key has none.
 */
export const migration = {
  version: 13,
  name: 'sealed outbox',
  sql: `
    CREATE TABLE outbox_sealed (
      seq    INTEGER NOT NULL PRIMARY KEY,
      key_id TEXT NOT NULL,
      wire   TEXT NOT NULL
    ) STRICT;
  `,
};
