import type { NoteKind } from '../../../shared/record/events.js';

/** What a timeline row shows; the per-feature sentence modules return it, so it sits apart from timeline-text (no cycle). */
export type BadgeKind = NoteKind | 'declared' | 'status' | 'priority' | 'role' | 'handoff' | 'task' | 'comms' | 'sla' | 'unknown';

export interface EntryText {
  badge: BadgeKind;
  text: string;
  /** Further lines under the sentence: what the declaration recorded besides its title. */
  details: string[];
  /** Free text a person typed (shown as written) rather than a sentence the console composed. */
  typed: boolean;
}
