import { create } from 'zustand';
import type { EventEnvelope } from '../../shared/events.js';

interface TimelineState {
  incidentId: string | null;
  entries: EventEnvelope[];
  error: string | null;
}

/** Entries of the selected incident, in timeline order (occurred at, then causal order) as the core returns them. */
export const useTimeline = create<TimelineState>()(() => ({ incidentId: null, entries: [], error: null }));
