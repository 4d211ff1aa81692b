/**
 * The count of each incident's shown rows (migration 14) is added to by the store when it writes
 * rows, once per statement and incident (TimelineRows), rather than by a trigger once per row: in
 * a catch-up the trigger's upsert ran for each of 100,000 rows, ~10 % of the timeline rows' cost.
 * Every row is written through that one place. Removing or hiding a row (the rows' rebuild, a
 * breach shown only once) is rare and stays with migration 14's other two triggers.
 */
export const migration = {
  version: 15,
  name: 'shown counts added to by the store',
  sql: `DROP TRIGGER timeline_shown_count_insert;`,
};
