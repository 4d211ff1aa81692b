import { create } from 'zustand';
import type { Category } from '../../../shared/record/events.js';
import type { Level } from '../../../shared/incidents/priority.js';
import type { DETECTION_SOURCES } from '../../../shared/record/events.js';

export interface DeclareDraft {
  title: string;
  description: string;
  /** datetime-local values (wall time), pre-filled with the window's "now" for the eye only. */
  occurredAt: string;
  detectedAt: string;
  /**
   * Which of the two the person has changed. One left as pre-filled is sent as "now" and stamped
   * by the core's clock: a window whose clock is wrong must not record a wrong time (#10, item 3).
   */
  typedTimes: { occurredAt: boolean; detectedAt: boolean };
  services: string;
  reporter: string;
  detectionSource: (typeof DETECTION_SOURCES)[number];
  category: Category;
  impact: Level;
  urgency: Level;
  /** Null until the user edits it: then the actor from app.info is shown. */
  commander: string | null;
}

const blank: DeclareDraft = {
  title: '',
  description: '',
  occurredAt: '',
  detectedAt: '',
  typedTimes: { occurredAt: false, detectedAt: false },
  services: '',
  reporter: '',
  detectionSource: 'monitoring',
  category: 'software',
  impact: 'high',
  urgency: 'high',
  commander: null,
};

interface DeclareDraftState {
  draft: DeclareDraft;
  update(patch: Partial<DeclareDraft>): void;
  reset(): void;
}

/** The declaration being typed survives closing the form; it is cleared only once the core has recorded it. */
export const useDeclareDraft = create<DeclareDraftState>()((set) => ({
  draft: blank,
  update: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
  reset: () => set({ draft: blank }),
}));
