/**
 * What is typed in a correction or redaction form, kept by the entry's id. Timeline rows are drawn
 * by position (Timeline.tsx), so an entry dated earlier arriving above the one being corrected
 * (pulled by sync, logged with an earlier time) moves that entry to the next row, and its form is
 * drawn anew there: the form reads back what was typed, the field it was typed in and where the
 * caret stood, instead of starting empty.
 */
export interface EntryDraft {
  text?: string;
  when?: string;
  reason?: string;
  error?: string | null;
  /** The id of the form's field that last had the focus, and its selection there. */
  field?: string;
  selection?: [number, number];
  /** The focus was in the form when last seen: a form drawn anew takes it back, and only then. */
  focused?: boolean;
}

const drafts = new Map<string, EntryDraft>();

export function entryDraft(entryId: string): EntryDraft | undefined {
  return drafts.get(entryId);
}

export function keepEntryDraft(entryId: string, patch: EntryDraft): void {
  drafts.set(entryId, { ...drafts.get(entryId), ...patch });
}

/** The open form changed (closed, saved, another entry, another incident): the other drafts are done with. */
export function dropEntryDraftsExcept(entryId: string | null): void {
  for (const id of drafts.keys()) if (id !== entryId) drafts.delete(id);
}
