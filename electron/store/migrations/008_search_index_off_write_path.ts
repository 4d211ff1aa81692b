/**
 * The library's words are indexed after the append, not inside it: the FTS5 trigger of
 * migration 5 wrote ~6 extra WAL pages on every commit and was most of a sync catch-up.
 * `library.indexedUpTo` in `meta` is the highest event seq whose words are in library_fts;
 * the store indexes everything after it in bulk (electron/store/search-index.ts) when the
 * core is idle, after a pull, and before any search, so results stay complete.
 *
 * The two triggers that take withheld text out of the index stay: they only fire for a
 * redaction or a removal, and they remove what was already indexed in the same transaction
 * as the event that withholds it. What is indexed later goes through the library_text view,
 * which leaves redacted and removed text out, so it never reaches the index either way.
 *
 * Everything already in the log was indexed by migration 5 and its trigger: the marker starts
 * at the last event.
 */
export const migration = {
  version: 8,
  name: 'search index off the write path',
  sql: `
    DROP TRIGGER library_index;
    INSERT INTO meta (key, value) VALUES ('library.indexedUpTo', (SELECT CAST(coalesce(max(seq), 0) AS TEXT) FROM events))
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  `,
};
