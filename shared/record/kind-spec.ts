import { NOTE_KINDS, type EventKind, type PayloadOf } from './events.js';

/**
 * What one event kind declares about itself, next to its schema: which fold reads it, whether
 * it is a row of the timeline (and a line of the report), its badge, and its sentence in English
 * and French. Each feature declares its kinds in `shared/<feature>/kinds.ts`;
 * `shared/record/kinds.ts` assembles them into one registry typed by the schema union, so a
 * kind without an entry fails the typecheck.
 */

/** What a row is shown and filtered as: one icon and colour each. */
export const TIMELINE_BADGES = [...NOTE_KINDS, 'declared', 'status', 'priority', 'role', 'handoff', 'task', 'comms', 'sla', 'other'] as const;
export type TimelineBadge = (typeof TIMELINE_BADGES)[number];

/**
 * The fold that reads a kind: the incident's own state (shared/record/fold.ts, whose switch must
 * then handle it), the timeline's annotations (shared/timeline/timeline.ts), or a feature's own
 * fold (review, team settings, alerts, deliveries, the status page, drills), which the incident
 * fold skips.
 */
export const FOLDS = ['incident', 'timeline', 'review', 'policy', 'alerts', 'deliveries', 'status', 'drills'] as const;
export type FoldName = (typeof FOLDS)[number];

/** Value lists whose words a sentence may need, translated once for the timeline and the report. */
export const LABEL_GROUPS = [
  'status',
  'level',
  'role',
  'audience',
  'channel',
  'detectionSource',
  'taskStatus',
  'severity',
  'deliveryKind',
  'publicStatus',
  'badge',
] as const;
export type LabelGroup = (typeof LABEL_GROUPS)[number];

/** What a sentence can ask of whoever shows it (the console's timeline or the exported report). */
export interface SentenceContext {
  /** A value's words in the reader's language; a value the list does not know (an audience someone typed) as it is. */
  label(group: LabelGroup, value: string): string;
  /** A task's current title, or words saying it is no longer shown. */
  taskTitle(taskId: string): string;
  /** The audience of an update, by its draft id. */
  draftAudience(draftId: string): string;
  /** A moment, as the reader reads times (their zone and language). */
  time(at: number): string;
  /** A duration in words ("1 h 30 min"). */
  duration(ms: number): string;
}

export type SentenceValues = Record<string, string | number>;
type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
/** A catalogue key without i18next's plural suffix: `tasks_one` and `tasks_other` are said as `tasks` with a count. */
type Variant<V extends string> = V extends `${infer Base}_${PluralSuffix}` ? Base : V;
/** Says one of the kind's own sentences in the reader's language. */
export type Say<V extends string> = (variant: Variant<V>, values?: SentenceValues) => string;

export interface Said {
  text: string;
  /** Further lines under the sentence (what a declaration recorded besides its title, the words of a sent update). */
  details?: string[];
}

interface KindBase<F extends FoldName> {
  fold: F;
}

/** A kind shown as a row of its stream's timeline, found by the search, and a line of the report. */
export interface RowKind<K extends EventKind, V extends string, F extends FoldName = FoldName> extends KindBase<F> {
  shown: 'row';
  badge: TimelineBadge | ((payload: PayloadOf<K>) => TimelineBadge);
  /** The kind's sentences (i18next strings, `{{name}}` filled in), English and French with the same keys. */
  text: { en: Record<V, string>; fr: NoInfer<Record<V, string>> };
  sentence(payload: PayloadOf<K>, say: Say<V>, context: SentenceContext): Said;
  /** Free text a person typed (shown as written, correctable, redactable) rather than a sentence the console composed. */
  typed?: true;
  /** The report line carries the details too (the words of a sent update); otherwise only the sentence. */
  reportDetails?: true;
}

/**
 * A kind that is never a row of its own: folded into the row it names (corrections, redactions,
 * stars) or shown by its own view (the review, the team settings).
 */
export interface HiddenKind<F extends FoldName = FoldName> extends KindBase<F> {
  shown: 'annotation' | 'elsewhere';
}

export type KindSpec<K extends EventKind> = RowKind<K, string> | HiddenKind;

/**
 * Declares a row kind; curried so the kind is named once and the sentence keys are inferred
 * from the English text (the French must have the same, and `say` accepts only those).
 */
export function rowKind<K extends EventKind>() {
  return <const V extends string, const F extends FoldName>(spec: Omit<RowKind<K, V, F>, 'shown'>): RowKind<K, V, F> => ({ shown: 'row', ...spec });
}

export function hiddenKind<const F extends FoldName>(shown: HiddenKind['shown'], fold: F): HiddenKind<F> {
  return { shown, fold };
}
