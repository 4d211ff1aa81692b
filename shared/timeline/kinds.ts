import { hiddenKind, rowKind } from '../record/kind-spec.js';

/** What people log, and the annotations that name an entry (folded into its row by shared/timeline/timeline.ts). */
export const TIMELINE_KINDS = {
  'timeline.entry': rowKind<'timeline.entry'>()({
    fold: 'timeline',
    badge: (p) => p.entryKind,
    typed: true,
    text: { en: {}, fr: {} },
    sentence: (p) => ({ text: p.text }),
  }),
  'timeline.corrected': hiddenKind('annotation', 'timeline'),
  'timeline.redacted': hiddenKind('annotation', 'timeline'),
  'timeline.starred': hiddenKind('annotation', 'timeline'),
} as const;
