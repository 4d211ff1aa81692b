/**
 * The two triggers of migration 5 that take withheld words out of the library index (a redaction,
 * a review item's removal) ran their WHEN test on every event appended, a fifth of the cost of an
 * event's INSERT during a catch-up. The store now does the same deletions itself, in the same
 * transaction, for the events of those two kinds only (Store.append, SearchIndex.withhold), with
 * the statements that already served events opened late.
 */
export const migration = {
  version: 12,
  name: 'withheld words taken out by the store',
  sql: `
    DROP TRIGGER library_unindex_redacted;
    DROP TRIGGER library_unindex_removed;
  `,
};
