/**
 * The incident library's full-text index, and the drill injects waiting for their time.
 *
 * library_fts holds the words of every event (titles, descriptions, entries, corrections,
 * comms, review notes and lessons), one row per event with the event's seq as rowid. Triggers
 * fill it, so it is written in the same transaction as the event itself and cannot drift from
 * the log. Only the free-text fields are indexed: identifiers and enum values (entry kind,
 * status, channel…) would make a search for "note" or "high" match everything.
 *
 * What the record says must not be shown is not searchable either: a redacted entry (and the
 * corrections of it) and a review item that was removed. Events can arrive in any order
 * through sync, so both sides are checked: an annotation removes what it names from the index,
 * and an event that arrives after its redaction or removal is never indexed. Two partial
 * expression indexes keep those look-ups from scanning the log.
 *
 * drill_injects is this laptop's scheduling state, not part of the record: the injects a drill
 * started here still has to deliver. Each has its event id fixed in advance, so a delivery
 * repeated after a crash is the same event and is stored once.
 */
export const migration = {
  version: 5,
  name: 'library search index and drill injects',
  sql: `
    CREATE INDEX events_redaction_target ON events (json_extract(payload, '$.targetId')) WHERE kind = 'timeline.redacted';
    CREATE INDEX events_removed_item ON events (json_extract(payload, '$.itemId')) WHERE kind = 'review.removed';

    CREATE VIRTUAL TABLE library_fts USING fts5(
      text,
      incident_id UNINDEXED,
      kind UNINDEXED,
      tokenize = 'unicode61 remove_diacritics 2'
    );

    CREATE VIEW library_text (seq, incident_id, kind, text) AS
      SELECT e.seq, e.incident_id, e.kind,
        (SELECT group_concat(t.value, char(10)) FROM json_tree(e.payload) AS t
          WHERE t.type = 'text' AND t.value <> ''
            AND ((t.path = '$' AND t.key IN ('title', 'description', 'text', 'newText', 'body', 'reason', 'why', 'because', 'note', 'reporter'))
              OR t.path = '$.services'))
      FROM events AS e
      WHERE NOT EXISTS (
          SELECT 1 FROM events AS r WHERE r.kind = 'timeline.redacted'
            AND json_extract(r.payload, '$.targetId') IN (e.id, CASE WHEN e.kind = 'timeline.corrected' THEN json_extract(e.payload, '$.targetId') END))
        AND NOT EXISTS (
          SELECT 1 FROM events AS r WHERE r.kind = 'review.removed'
            AND json_extract(r.payload, '$.itemId') = coalesce(json_extract(e.payload, '$.noteId'), json_extract(e.payload, '$.factorId'),
              json_extract(e.payload, '$.whyId'), json_extract(e.payload, '$.commentId')));

    CREATE TRIGGER library_index AFTER INSERT ON events
    BEGIN
      INSERT INTO library_fts (rowid, text, incident_id, kind)
        SELECT seq, text, incident_id, kind FROM library_text WHERE seq = new.seq AND text IS NOT NULL;
    END;

    CREATE TRIGGER library_unindex_redacted AFTER INSERT ON events WHEN new.kind = 'timeline.redacted'
    BEGIN
      DELETE FROM library_fts WHERE rowid IN (
        SELECT seq FROM events WHERE id = json_extract(new.payload, '$.targetId')
        UNION ALL
        SELECT seq FROM events WHERE incident_id = new.incident_id AND kind = 'timeline.corrected'
          AND json_extract(payload, '$.targetId') = json_extract(new.payload, '$.targetId'));
    END;

    CREATE TRIGGER library_unindex_removed AFTER INSERT ON events WHEN new.kind = 'review.removed'
    BEGIN
      DELETE FROM library_fts WHERE rowid IN (
        SELECT seq FROM events WHERE incident_id = new.incident_id AND kind LIKE 'review.%'
          AND coalesce(json_extract(payload, '$.noteId'), json_extract(payload, '$.factorId'),
            json_extract(payload, '$.whyId'), json_extract(payload, '$.commentId')) = json_extract(new.payload, '$.itemId'));
    END;

    INSERT INTO library_fts (rowid, text, incident_id, kind)
      SELECT seq, text, incident_id, kind FROM library_text WHERE text IS NOT NULL;

    CREATE TABLE drill_injects (
      incident_id TEXT    NOT NULL,
      seq         INTEGER NOT NULL,
      due_at      INTEGER NOT NULL,
      event_id    TEXT    NOT NULL UNIQUE,
      entry_kind  TEXT    NOT NULL,
      actor       TEXT    NOT NULL,
      text        TEXT    NOT NULL,
      state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'cancelled')),
      PRIMARY KEY (incident_id, seq)
    ) STRICT;
    CREATE INDEX drill_injects_due ON drill_injects (state, due_at);
  `,
};
