import { z } from 'zod';
import {
  FISHBONE_CATEGORIES,
  HYPOTHESIS_STATES,
  IdSchema,
  LESSON_SECTIONS,
  LIMITS,
  REVIEW_MOMENTS,
  TimestampSchema,
  asKnown,
  type EventEnvelope,
  type KnownEvent,
} from '../record/events.js';

/**
 * The post-incident review is its own record laid over the incident's: hiding noise, marking
 * story moments, comments, verdicts on hypotheses, the 5 whys, the fishbone and the lessons.
 * Review events carry the incident's id (so they sync with it) but the incident fold ignores
 * them, so curating can never change what the incident says happened.
 *
 * The fold is a CRDT like the incident's: every field is a last-writer-wins register by HLC,
 * comments are an add-only set and removals an add-only tombstone set, so any delivery order
 * and any duplicates give the same review.
 */

export type ReviewMoment = (typeof REVIEW_MOMENTS)[number];
export type HypothesisState = (typeof HYPOTHESIS_STATES)[number];
export type FishboneCategory = (typeof FISHBONE_CATEGORIES)[number];
export type LessonSection = (typeof LESSON_SECTIONS)[number];

/** Statuses from which an incident can be reviewed. */
export const REVIEWABLE_STATUSES = ['resolved', 'closed', 'reviewed'] as const;

export function isReviewEvent(event: Pick<EventEnvelope, 'kind'>): boolean {
  return event.kind.startsWith('review.');
}

interface Reg<T> {
  value: T;
  hlc: string;
}

function lww<T>(current: Reg<T> | undefined, value: T, hlc: string): Reg<T> {
  return current && current.hlc >= hlc ? current : { value, hlc };
}

/** First writer wins: who wrote an item first, and when, whichever version arrives first. */
function fww<T>(current: Reg<T> | undefined, value: T, hlc: string): Reg<T> {
  return current && current.hlc <= hlc ? current : { value, hlc };
}

interface Authored {
  by: string;
  at: number;
}

/** An editable item: its content is the latest version, its author the first one's. */
export interface Item<T> {
  content: Reg<T>;
  origin: Reg<Authored>;
}

export interface ReviewState {
  hidden: Record<string, Reg<boolean>>;
  moments: Record<string, Reg<ReviewMoment | null>>;
  hypotheses: Record<string, Reg<HypothesisState>>;
  comments: Record<string, Item<{ targetId: string; text: string }>>;
  whys: Record<string, Item<{ order: number; why: string; because: string; cites: string[] }>>;
  factors: Record<string, Item<{ category: FishboneCategory; text: string; cites: string[] }>>;
  notes: Record<string, Item<{ section: LessonSection; text: string; cites: string[] }>>;
  /** Removed items: an add-only set, so a removal is never undone by an edit arriving late. */
  removed: Record<string, true>;
}

export function emptyReview(): ReviewState {
  return { hidden: {}, moments: {}, hypotheses: {}, comments: {}, whys: {}, factors: {}, notes: {}, removed: {} };
}

function item<T>(current: Item<T> | undefined, content: T, origin: Authored, hlc: string): Item<T> {
  return { content: lww(current?.content, content, hlc), origin: fww(current?.origin, origin, hlc) };
}

/** Apply one event in place; returns false for anything that is not a review event of this version. */
export function applyReviewEvent(state: ReviewState, raw: EventEnvelope): boolean {
  const event: KnownEvent | null = asKnown(raw);
  if (!event) return false;
  const { hlc } = event;
  const origin = { by: event.actor, at: event.recordedAt };
  switch (event.kind) {
    case 'review.hidden':
      state.hidden[event.payload.targetId] = lww(state.hidden[event.payload.targetId], event.payload.hidden, hlc);
      return true;
    case 'review.moment':
      state.moments[event.payload.targetId] = lww(state.moments[event.payload.targetId], event.payload.moment, hlc);
      return true;
    case 'review.hypothesis_state':
      state.hypotheses[event.payload.targetId] = lww(state.hypotheses[event.payload.targetId], event.payload.state, hlc);
      return true;
    case 'review.comment': {
      const { commentId, targetId, text } = event.payload;
      state.comments[commentId] = item(state.comments[commentId], { targetId, text }, origin, hlc);
      return true;
    }
    case 'review.why': {
      const { whyId, order, why, because, cites } = event.payload;
      state.whys[whyId] = item(state.whys[whyId], { order, why, because, cites }, origin, hlc);
      return true;
    }
    case 'review.factor': {
      const { factorId, category, text, cites } = event.payload;
      state.factors[factorId] = item(state.factors[factorId], { category, text, cites }, origin, hlc);
      return true;
    }
    case 'review.note': {
      const { noteId, section, text, cites } = event.payload;
      state.notes[noteId] = item(state.notes[noteId], { section, text, cites }, origin, hlc);
      return true;
    }
    case 'review.removed':
      state.removed[event.payload.itemId] = true;
      return true;
    default:
      return false;
  }
}

export function foldReview(events: Iterable<EventEnvelope>): ReviewState {
  const state = emptyReview();
  for (const event of events) if (isReviewEvent(event)) applyReviewEvent(state, event);
  return state;
}

// ---------------------------------------------------------------------------------------------
// The view the API returns: plain sorted lists, removed items left out.

const Cites = z.array(IdSchema);
const AuthoredFields = { by: z.string(), at: TimestampSchema };

export const ReviewViewSchema = z.strictObject({
  hidden: z.array(IdSchema),
  moments: z.array(z.strictObject({ targetId: IdSchema, moment: z.enum(REVIEW_MOMENTS) })),
  hypotheses: z.array(z.strictObject({ targetId: IdSchema, state: z.enum(HYPOTHESIS_STATES) })),
  comments: z.array(z.strictObject({ id: IdSchema, targetId: IdSchema, text: z.string(), ...AuthoredFields })),
  whys: z.array(z.strictObject({ id: IdSchema, order: z.number(), why: z.string(), because: z.string(), cites: Cites, ...AuthoredFields })),
  factors: z.array(z.strictObject({ id: IdSchema, category: z.enum(FISHBONE_CATEGORIES), text: z.string(), cites: Cites, ...AuthoredFields })),
  notes: z.array(z.strictObject({ id: IdSchema, section: z.enum(LESSON_SECTIONS), text: z.string(), cites: Cites, ...AuthoredFields })),
});
export type ReviewView = z.infer<typeof ReviewViewSchema>;

type Entry<T> = [string, Item<T>];
/** Items in the order they were first written, ties by id. */
const byOrigin = <T>(a: Entry<T>, b: Entry<T>) => (a[1].origin.hlc < b[1].origin.hlc ? -1 : a[1].origin.hlc > b[1].origin.hlc ? 1 : a[0] < b[0] ? -1 : 1);
const flat = <T>([id, i]: Entry<T>) => ({ id, ...i.content.value, ...i.origin.value });

export function viewReview(state: ReviewState): ReviewView {
  const live = <T>(record: Record<string, Item<T>>) => Object.entries(record).filter(([id]) => !state.removed[id]);
  return {
    hidden: Object.entries(state.hidden)
      .filter(([, r]) => r.value)
      .map(([id]) => id)
      .sort(),
    moments: Object.entries(state.moments)
      .filter((e): e is [string, Reg<ReviewMoment>] => e[1].value !== null)
      .map(([targetId, r]) => ({ targetId, moment: r.value }))
      .sort((a, b) => (a.targetId < b.targetId ? -1 : 1)),
    hypotheses: Object.entries(state.hypotheses)
      .map(([targetId, r]) => ({ targetId, state: r.value }))
      .sort((a, b) => (a.targetId < b.targetId ? -1 : 1)),
    comments: live(state.comments).sort(byOrigin).map(flat),
    whys: live(state.whys)
      .sort((a, b) => a[1].content.value.order - b[1].content.value.order || byOrigin(a, b))
      .map(flat),
    factors: live(state.factors).sort(byOrigin).map(flat),
    notes: live(state.notes).sort(byOrigin).map(flat),
  };
}

/** A new item's place: after the last one, so it lands at the end of the chain. */
export function orderAfter(items: readonly { order: number }[]): number {
  return items.length ? Math.max(...items.map((i) => i.order)) + 1 : 1;
}

/** Halfway between two neighbours, so moving an item is one event about that item alone. */
export function orderBetween(before: number | null, after: number | null): number {
  if (before === null && after === null) return 1;
  if (before === null) return after! - 1;
  if (after === null) return before + 1;
  return (before + after) / 2;
}

// ---------------------------------------------------------------------------------------------
// API channels (spread into shared/api/api.ts). Targets and cites are timeline entry ids.

const IncidentRef = z.strictObject({ incidentId: IdSchema });
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });
const text = z.string().trim().max(LIMITS.text);
const requiredText = z.string().trim().min(1).max(LIMITS.text);
const CitesInput = z.array(IdSchema).max(LIMITS.list).default([]);

export const REVIEW_CHANNELS = {
  'review.get': { kind: 'query', input: IncidentRef, output: ReviewViewSchema },
  'review.hide': { kind: 'command', input: IncidentRef.extend({ targetId: IdSchema, hidden: z.boolean() }), output: CommandResult },
  'review.setMoment': {
    kind: 'command',
    input: IncidentRef.extend({ targetId: IdSchema, moment: z.enum(REVIEW_MOMENTS).nullable() }),
    output: CommandResult,
  },
  'review.comment': {
    kind: 'command',
    input: IncidentRef.extend({ targetId: IdSchema, text: requiredText }),
    output: CommandResult.extend({ commentId: IdSchema }),
  },
  'review.setHypothesisState': {
    kind: 'command',
    input: IncidentRef.extend({ targetId: IdSchema, state: z.enum(HYPOTHESIS_STATES) }),
    output: CommandResult,
  },
  /** Without `whyId`, adds a link at the end of the chain. */
  'review.saveWhy': {
    kind: 'command',
    input: IncidentRef.extend({ whyId: IdSchema.optional(), order: z.number().optional(), why: text, because: text, cites: CitesInput }),
    output: CommandResult.extend({ whyId: IdSchema }),
  },
  'review.saveFactor': {
    kind: 'command',
    input: IncidentRef.extend({ factorId: IdSchema.optional(), category: z.enum(FISHBONE_CATEGORIES), text: requiredText, cites: CitesInput }),
    output: CommandResult.extend({ factorId: IdSchema }),
  },
  'review.saveNote': {
    kind: 'command',
    input: IncidentRef.extend({ noteId: IdSchema.optional(), section: z.enum(LESSON_SECTIONS), text: requiredText, cites: CitesInput }),
    output: CommandResult.extend({ noteId: IdSchema }),
  },
  /** Removes a why, a factor, a lesson note or a comment from the review (the event stays in the record). */
  'review.remove': { kind: 'command', input: IncidentRef.extend({ itemId: IdSchema }), output: CommandResult },
  /** The review meeting is done: the incident becomes `reviewed`. */
  'review.complete': { kind: 'command', input: IncidentRef, output: CommandResult },
} as const;
