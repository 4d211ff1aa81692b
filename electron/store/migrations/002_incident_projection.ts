/**
 * The folded state of each incident, kept in step with the log inside the same transaction
 * so that opening a large store and showing an incident never replays the log.
 */
export const migration = {
  version: 2,
  name: 'incident projection',
  sql: `
    CREATE TABLE incidents (
      id          TEXT    NOT NULL PRIMARY KEY,
      state       TEXT    NOT NULL CHECK (json_valid(state)),
      declared    INTEGER NOT NULL DEFAULT 0,
      title       TEXT    NOT NULL DEFAULT '',
      status      TEXT    NOT NULL DEFAULT 'declared',
      priority    TEXT    NOT NULL DEFAULT 'P5',
      declared_at INTEGER NOT NULL DEFAULT 0,
      commander   TEXT    NOT NULL DEFAULT '',
      drill       INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX incidents_by_priority ON incidents (declared, priority, declared_at);
  `,
};
