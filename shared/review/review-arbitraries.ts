import fc from 'fast-check';
import { FISHBONE_CATEGORIES, HYPOTHESIS_STATES, LESSON_SECTIONS, REVIEW_MOMENTS } from '../record/events.js';

/**
 * Test support (property tests only, never imported by the app): random but valid review
 * events, for the incident fold's order test (shared/record/fold.test.ts) and the review's own
 * (shared/review/review.test.ts). Item ids come from a small pool so that edits, removals and
 * duplicates of the same item really happen.
 */

const itemId = (n: number) => `00000000-0000-7000-8000-${(0xbe0000 + n).toString(16).padStart(12, '0')}`;
const REVIEW_ITEM_IDS = [1, 2, 3, 4].map(itemId);
const WORDS = ['the alert was muted', 'no runbook for failover', 'the generator was not tested', 'good call on DC2'];

export interface ReviewAction {
  kind: string;
  payload: Record<string, unknown>;
}

/** One review event's kind and payload; `targetId` draws the timeline entries it may point to. */
export function reviewAction(targetId: fc.Arbitrary<string>): fc.Arbitrary<ReviewAction> {
  const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
  const item = pick(REVIEW_ITEM_IDS);
  const cites = fc.uniqueArray(targetId, { maxLength: 3 });
  const text = pick(WORDS);
  return fc.oneof(
    fc.record({ kind: fc.constant('review.hidden'), payload: fc.record({ targetId, hidden: fc.boolean() }) }),
    fc.record({ kind: fc.constant('review.moment'), payload: fc.record({ targetId, moment: fc.option(pick(REVIEW_MOMENTS)) }) }),
    fc.record({ kind: fc.constant('review.hypothesis_state'), payload: fc.record({ targetId, state: pick(HYPOTHESIS_STATES) }) }),
    fc.record({ kind: fc.constant('review.comment'), payload: fc.record({ commentId: item, targetId, text }) }),
    fc.record({
      kind: fc.constant('review.why'),
      payload: fc.record({ whyId: item, order: fc.integer({ min: -3, max: 3 }), why: text, because: text, cites }),
    }),
    fc.record({ kind: fc.constant('review.factor'), payload: fc.record({ factorId: item, category: pick(FISHBONE_CATEGORIES), text, cites }) }),
    fc.record({ kind: fc.constant('review.note'), payload: fc.record({ noteId: item, section: pick(LESSON_SECTIONS), text, cites }) }),
    fc.record({ kind: fc.constant('review.removed'), payload: fc.record({ itemId: item }) }),
  );
}
