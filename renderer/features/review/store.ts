import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/api/api.js';
import type { EventEnvelope, Status } from '../../../shared/record/events.js';
import { REVIEWABLE_STATUSES, type ReviewView } from '../../../shared/review/review.js';
import { TIMELINE_WINDOW_MAX } from '../../../shared/timeline/channels.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';
import type { ReviewRow } from './review-text.js';
import { message } from '../incidents/view-sync.js';
import { textFieldStorage } from '../../ui/persist-storage.js';

export const REVIEW_TABS = ['metrics', 'rootCause', 'actions'] as const;
export type ReviewTab = (typeof REVIEW_TABS)[number];
export type ReviewOverlay = 'presenter' | 'replay' | null;

interface ReviewState {
  /** The incident whose review is on screen; null = the live command view. */
  incidentId: string | null;
  review: ReviewView | null;
  /** The incident's timeline as shown (corrections applied, redactions honoured), in display order. */
  rows: ReviewRow[];
  /** The events of those rows, for the metrics. */
  entries: EventEnvelope[];
  loadError: string | null;
  tab: ReviewTab;
  showHidden: boolean;
  overlay: ReviewOverlay;
  /** Entries a metric or a citation points at; `serial` changes on every request so the same set scrolls again. */
  highlight: { ids: string[]; serial: number };
  /** Entries picked in the timeline, to be cited by the next why, factor or lesson. */
  picked: string[];
  /** The row that has (or last had) the keyboard. */
  focusedId: string | null;
}

const initial = {
  incidentId: null,
  review: null,
  rows: [],
  entries: [],
  loadError: null,
  tab: 'metrics' as ReviewTab,
  showHidden: false,
  overlay: null as ReviewOverlay,
  highlight: { ids: [], serial: 0 },
  picked: [],
  focusedId: null,
};

/** The incident whose review was open, kept so a reload (or a restart) lands back in the review. */
const REVIEW_KEY = 'warroom.review';

export const useReview = create<ReviewState>()(
  persist((): ReviewState => ({ ...initial }), {
    name: REVIEW_KEY,
    // Only which review is open survives a reload, as plain text under the key it always had.
    storage: textFieldStorage<{ incidentId: string | null }>({ incidentId: REVIEW_KEY }),
    partialize: ({ incidentId }) => ({ incidentId }),
    merge: (stored, current): ReviewState => {
      const incidentId = (stored as { incidentId?: unknown } | undefined)?.incidentId;
      return { ...current, incidentId: typeof incidentId === 'string' && incidentId !== '' ? incidentId : null };
    },
  }),
);

export function isReviewable(status: Status | undefined): boolean {
  return status !== undefined && (REVIEWABLE_STATUSES as readonly string[]).includes(status);
}

/**
 * The whole shown timeline, window by window: a review reads every entry once, whereas the
 * live pane holds only what is on screen. Review events are never rows of it.
 */
async function wholeTimeline(incidentId: string): Promise<ReviewRow[]> {
  const rows: ReviewRow[] = [];
  const seen = new Set<string>();
  let total = Infinity;
  while (rows.length < total) {
    const page = await api.call('timeline.query', { incidentId, offset: rows.length, limit: TIMELINE_WINDOW_MAX });
    total = page.total;
    if (page.rows.length === 0) break;
    for (const row of page.rows) if (!seen.has(row.event.id) && seen.add(row.event.id)) rows.push(row);
  }
  return rows;
}

export const refreshReview = coalesce(async () => {
  const incidentId = useReview.getState().incidentId;
  if (!incidentId) return;
  try {
    const [review, rows] = await Promise.all([api.call('review.get', { incidentId }), wholeTimeline(incidentId)]);
    if (useReview.getState().incidentId !== incidentId) return;
    useReview.setState({ review, rows, entries: rows.map((r) => r.event), loadError: null });
  } catch (error) {
    if (useReview.getState().incidentId === incidentId) useReview.setState({ loadError: message(error) });
  }
});

export function openReview(incidentId: string): void {
  useReview.setState({ ...initial, incidentId });
  void refreshReview();
}

export function closeReview(): void {
  useReview.setState(initial);
}

export function highlight(ids: readonly string[]): void {
  useReview.setState((s) => ({ highlight: { ids: [...ids], serial: s.highlight.serial + 1 } }));
}

export function togglePicked(id: string): void {
  useReview.setState((s) => ({ picked: s.picked.includes(id) ? s.picked.filter((x) => x !== id) : [...s.picked, id] }));
}

/** Review commands go one after the other: three quick presses of m must reach the core in the order they were pressed. */
let queue: Promise<unknown> = Promise.resolve();

/** Run a review command, then refetch: the change notice would do it too, but the facilitator's own action should show at once. */
export function reviewCommand<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = queue.then(() => api.call(channel, input));
  queue = result.catch(() => undefined);
  return result.then((value) => {
    void refreshReview();
    return value;
  });
}
