/**
 * Migration 4 indexed timeline_rows twice, (incident_id, shown, occurred_at, hlc) and
 * (incident_id, occurred_at, hlc): two near-identical B-trees written on every append. The
 * console reads shown rows only (timeline.query, the in-memory index, the first window), which
 * the first serves exactly; `timeline.list` (every row, annotations included: tests and tools)
 * sorts its incident's rows instead.
 */
export const migration = {
  version: 10,
  name: 'one timeline index',
  sql: `
    DROP INDEX timeline_rows_all;
  `,
};
