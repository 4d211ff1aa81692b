import { hiddenKind } from '../record/kind-spec.js';

/** The review's own record (shared/review/review.ts): it annotates the timeline in review mode and is never a row of it. */
export const REVIEW_KINDS = {
  'review.hidden': hiddenKind('elsewhere', 'review'),
  'review.moment': hiddenKind('elsewhere', 'review'),
  'review.comment': hiddenKind('elsewhere', 'review'),
  'review.hypothesis_state': hiddenKind('elsewhere', 'review'),
  'review.why': hiddenKind('elsewhere', 'review'),
  'review.factor': hiddenKind('elsewhere', 'review'),
  'review.note': hiddenKind('elsewhere', 'review'),
  'review.removed': hiddenKind('elsewhere', 'review'),
} as const;
