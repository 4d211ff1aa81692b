import type { TFunction } from 'i18next';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { MetricProblem, Milestone } from '../../../shared/review/metrics.js';
import type { EventEnvelope } from '../../../shared/record/events.js';
import { describeEntry, type EntryText } from '../timeline/timeline-text.js';

const milestone = (m: Milestone, t: TFunction) => t(`review.metrics.milestone.${m}`);

/** What a metric's problem says, in the current language: the review tells rather than guesses. */
export function problemText(problem: MetricProblem, t: TFunction): string {
  switch (problem.code) {
    case 'missing':
      return t('review.metrics.problem.missing', { milestone: milestone(problem.milestone, t) });
    case 'out_of_order':
      return t('review.metrics.problem.out_of_order', { milestone: milestone(problem.milestone, t), after: milestone(problem.after, t) });
    case 'reopened':
      return t('review.metrics.problem.reopened', { count: problem.times });
    case 'priority_changed':
      return t('review.metrics.problem.priority_changed', { priority: problem.priority });
    case 'no_target':
      return t('review.metrics.problem.no_target', { priority: problem.priority });
    case 'backdated':
      return t('review.metrics.problem.backdated', { count: problem.eventIds.length });
    case 'before_declared':
      return t('review.metrics.problem.before_declared', { count: problem.eventIds.length });
    case 'still_open':
      return t('review.metrics.problem.still_open');
  }
}

/** The entries a problem names, to show with the figure's own. */
export function problemEventIds(problem: MetricProblem): string[] {
  return problem.code === 'backdated' || problem.code === 'before_declared' ? problem.eventIds : [];
}

/** A row of the curated timeline: the event as recorded, with the time and words it shows now (after corrections). */
export interface ReviewRow {
  event: EventEnvelope;
  occurredAt: number;
  /** The corrected words of a typed entry; null when the event's own are shown. */
  text: string | null;
  redaction: { by: string; reason: string } | null;
}

/**
 * What a row of the curated timeline says: the console's sentence for system entries, the
 * corrected words for typed ones, and only the reason for a redacted one.
 */
export function rowText(row: ReviewRow, view: IncidentView | null, t: TFunction): EntryText {
  if (row.redaction)
    return { badge: 'other', text: t('review.timeline.redacted', { actor: row.redaction.by, reason: row.redaction.reason }), details: [], typed: false };
  const described = describeEntry(row.event, view, t);
  return described.typed && row.text !== null ? { ...described, text: row.text } : described;
}
