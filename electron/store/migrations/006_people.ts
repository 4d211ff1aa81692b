/**
 * The people directory: names, teams and contacts kept on this device only, to fill roles and
 * task owners quickly. Personal contact data, so it is a table of its own, outside the event
 * log: never synced, never part of an incident's record. `name_key` (trimmed, NFC, lower-case,
 * computed by the app because SQLite's NOCASE folds ASCII only) keeps one entry per person.
 */
export const migration = {
  version: 6,
  name: 'people directory',
  sql: `
    CREATE TABLE people (
      id         TEXT    PRIMARY KEY,
      name       TEXT    NOT NULL,
      name_key   TEXT    NOT NULL UNIQUE,
      team       TEXT    NOT NULL DEFAULT '',
      contact    TEXT    NOT NULL DEFAULT '',
      updated_at INTEGER NOT NULL
    ) STRICT;
  `,
};
