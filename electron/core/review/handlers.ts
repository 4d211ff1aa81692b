import { newId } from '../ids/new-id.js';
import { ApiError, refuse, type ErrorParams, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { EventEnvelope, EventKind, PayloadOf } from '../../../shared/record/events.js';
import type { IncidentState } from '../../../shared/record/fold.js';
import {
  REVIEWABLE_STATUSES,
  foldReview,
  isReviewEvent,
  orderAfter,
  viewReview,
  type REVIEW_CHANNELS,
  type ReviewState,
} from '../../../shared/review/review.js';

type ReviewChannel = keyof typeof REVIEW_CHANNELS;
export type ReviewHandlers = { [C in ReviewChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** What the review commands need from the core, without reaching into its internals. */
export interface ReviewDeps {
  now: () => number;
  incidentEvents(incidentId: string): EventEnvelope[];
  requireIncident(incidentId: string): IncidentState;
  record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string };
}

const conflict = (reason: string, message: string, params?: ErrorParams) => refuse('conflict', reason, message, params);
const notFound = (message: string) => new ApiError({ code: 'not_found', message });
const invalid = (path: string, reason: string, message: string) =>
  new ApiError({ code: 'invalid_input', message: `${path}: ${message}`, reason, issues: [{ path, message, code: 'custom', params: { reason } }] });

interface Context {
  /** The incident's own record, by id: what review items may point to. */
  entries: Map<string, EventEnvelope>;
  review: ReviewState;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Review commands. A review annotates a finished incident: it opens once the incident is
 * resolved, and its events never touch the incident's own state (shared/review/review.ts).
 */
export function reviewHandlers(deps: ReviewDeps): ReviewHandlers {
  const context = (incidentId: string): Context => {
    const state = deps.requireIncident(incidentId);
    const status = state.status?.value ?? 'declared';
    if (!(REVIEWABLE_STATUSES as readonly string[]).includes(status)) {
      throw conflict('review_not_yet', `The review opens once the incident is resolved; it is ${status}.`, { status });
    }
    const events = deps.incidentEvents(incidentId);
    const entries = new Map(events.filter((e) => !isReviewEvent(e)).map((e) => [e.id, e]));
    return { entries, review: foldReview(events) };
  };
  const entry = (ctx: Context, targetId: string): EventEnvelope => {
    const found = ctx.entries.get(targetId);
    if (!found) throw notFound(`No timeline entry with id ${targetId} in this incident.`);
    return found;
  };
  const checkCites = (ctx: Context, cites: readonly string[]): string[] => {
    cites.forEach((id, i) => {
      if (!ctx.entries.has(id)) throw invalid(`cites.${i}`, 'cited_unknown', `no timeline entry with id ${id} in this incident`);
    });
    return [...new Set(cites)];
  };
  const live = <T>(ctx: Context, items: Record<string, T>, id: string, what: string): T => {
    const found = items[id];
    if (!found || ctx.review.removed[id]) throw notFound(`No ${what} with id ${id} in this review.`);
    return found;
  };

  return {
    'review.get': ({ incidentId }) => {
      deps.requireIncident(incidentId);
      return viewReview(foldReview(deps.incidentEvents(incidentId).filter(isReviewEvent)));
    },
    'review.hide': ({ incidentId, targetId, hidden }) => {
      const ctx = context(incidentId);
      entry(ctx, targetId);
      if ((ctx.review.hidden[targetId]?.value ?? false) === hidden)
        throw hidden ? conflict('already_hidden', 'This entry is already hidden.') : conflict('already_shown', 'This entry is already shown.');
      return deps.record(incidentId, 'review.hidden', { targetId, hidden });
    },
    'review.setMoment': ({ incidentId, targetId, moment }) => {
      const ctx = context(incidentId);
      entry(ctx, targetId);
      if ((ctx.review.moments[targetId]?.value ?? null) === moment)
        throw moment ? conflict('same_moment', `This entry is already marked ${moment}.`, { moment }) : conflict('not_marked', 'This entry is not marked.');
      return deps.record(incidentId, 'review.moment', { targetId, moment });
    },
    'review.comment': ({ incidentId, targetId, text }) => {
      entry(context(incidentId), targetId);
      const commentId = newId();
      return { ...deps.record(incidentId, 'review.comment', { commentId, targetId, text }), commentId };
    },
    'review.setHypothesisState': ({ incidentId, targetId, state }) => {
      const ctx = context(incidentId);
      const target = entry(ctx, targetId);
      if (target.kind !== 'timeline.entry' || target.payload['entryKind'] !== 'hypothesis') {
        throw invalid('targetId', 'not_a_hypothesis', 'only a hypothesis can be confirmed or ruled out');
      }
      if ((ctx.review.hypotheses[targetId]?.value ?? 'open') === state)
        throw conflict('same_verdict', `This hypothesis is already ${state.replace('_', ' ')}.`, { state });
      return deps.record(incidentId, 'review.hypothesis_state', { targetId, state });
    },
    'review.saveWhy': ({ incidentId, whyId, order, why, because, cites }) => {
      const ctx = context(incidentId);
      if (!why && !because) throw invalid('why', 'why_empty', 'write the question, its answer, or both');
      const checked = checkCites(ctx, cites);
      if (whyId) {
        const current = live(ctx, ctx.review.whys, whyId, '5-whys link').content.value;
        const next = { order: order ?? current.order, why, because, cites: checked };
        if (next.order === current.order && why === current.why && because === current.because && sameList(checked, current.cites))
          throw conflict('nothing_changed', 'Nothing changed.');
        return { ...deps.record(incidentId, 'review.why', { whyId, ...next }), whyId };
      }
      const id = newId();
      const place = order ?? orderAfter(viewReview(ctx.review).whys);
      return { ...deps.record(incidentId, 'review.why', { whyId: id, order: place, why, because, cites: checked }), whyId: id };
    },
    'review.saveFactor': ({ incidentId, factorId, category, text, cites }) => {
      const ctx = context(incidentId);
      const checked = checkCites(ctx, cites);
      if (factorId) {
        const current = live(ctx, ctx.review.factors, factorId, 'contributing factor').content.value;
        if (category === current.category && text === current.text && sameList(checked, current.cites)) throw conflict('nothing_changed', 'Nothing changed.');
        return { ...deps.record(incidentId, 'review.factor', { factorId, category, text, cites: checked }), factorId };
      }
      const id = newId();
      return { ...deps.record(incidentId, 'review.factor', { factorId: id, category, text, cites: checked }), factorId: id };
    },
    'review.saveNote': ({ incidentId, noteId, section, text, cites }) => {
      const ctx = context(incidentId);
      const checked = checkCites(ctx, cites);
      if (noteId) {
        const current = live(ctx, ctx.review.notes, noteId, 'note').content.value;
        if (section === current.section && text === current.text && sameList(checked, current.cites)) throw conflict('nothing_changed', 'Nothing changed.');
        return { ...deps.record(incidentId, 'review.note', { noteId, section, text, cites: checked }), noteId };
      }
      const id = newId();
      return { ...deps.record(incidentId, 'review.note', { noteId: id, section, text, cites: checked }), noteId: id };
    },
    'review.remove': ({ incidentId, itemId }) => {
      const ctx = context(incidentId);
      const { whys, factors, notes, comments, removed } = ctx.review;
      const exists = [whys, factors, notes, comments].some((items) => items[itemId]);
      if (!exists || removed[itemId]) throw notFound(`No review item with id ${itemId} in this review.`);
      return deps.record(incidentId, 'review.removed', { itemId });
    },
    'review.complete': ({ incidentId }) => {
      const status = deps.requireIncident(incidentId).status?.value ?? 'declared';
      if (status === 'reviewed') throw conflict('already_reviewed', 'This incident is already reviewed.');
      if (status !== 'resolved' && status !== 'closed')
        throw conflict('review_not_yet', `The review opens once the incident is resolved; it is ${status}.`, { status });
      return deps.record(incidentId, 'incident.status', { status: 'reviewed', occurredAt: deps.now() });
    },
  };
}
