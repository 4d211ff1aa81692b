import { occurredAtOf, type EventEnvelope } from '../record/events.js';
import { badgeOf, shownAs } from '../record/kinds.js';
import type { TimelineBadge } from '../record/kind-spec.js';
import { foldText } from '../text/fold.js';
import type { Register } from '../record/fold.js';
import { MINUTE_MS, parseDuration } from '../time/duration.js';

/**
 * The timeline's own fold. An entry is never edited in place: a correction, a redaction or a
 * star is a new event naming its target, and what a row shows is the target folded with
 * every annotation that names it. Registers are last-writer-wins by HLC and corrections are
 * an add-only set, so any delivery order and any duplicates give the same row.
 */

export { TIMELINE_BADGES, type TimelineBadge } from '../record/kind-spec.js';
export { badgeOf } from '../record/kinds.js';

/** Events about other entries: folded into their target's row rather than shown as rows of their own. */
export type AnnotationKind = 'timeline.corrected' | 'timeline.redacted' | 'timeline.starred';

/** The registry (shared/timeline/kinds.ts) says which kinds annotate another entry. */
export function isAnnotationKind(kind: string): kind is AnnotationKind {
  return shownAs(kind) === 'annotation';
}

/** Only what a person typed can be corrected or redacted; system entries mirror state the other panes show. */
export function isTypedEntry(event: EventEnvelope): boolean {
  return event.kind === 'timeline.entry';
}

export interface Redaction {
  reason: string;
  by: string;
  at: number;
}

export interface Annotation {
  text: Register<string> | null;
  occurredAt: Register<number> | null;
  redaction: Register<Redaction> | null;
  starred: Register<boolean> | null;
  /** Every correction, sorted by HLC: the "edited" marker counts them. */
  corrections: { eventId: string; hlc: string }[];
}

export function emptyAnnotation(): Annotation {
  return { text: null, occurredAt: null, redaction: null, starred: null, corrections: [] };
}

function lww<T>(current: Register<T> | null, value: T, hlc: string): Register<T> {
  return current && current.hlc >= hlc ? current : { value, hlc };
}

/** The target an annotation names; null for any other event or a malformed payload. */
export function annotationTarget(event: EventEnvelope): string | null {
  if (!isAnnotationKind(event.kind)) return null;
  const target = event.payload['targetId'];
  return typeof target === 'string' ? target : null;
}

/** Apply one annotation in place; anything else leaves it untouched. Idempotent and order-free. */
export function applyAnnotation(annotation: Annotation, event: EventEnvelope): void {
  const { hlc, payload } = event;
  switch (event.kind) {
    case 'timeline.corrected': {
      if (annotation.corrections.some((c) => c.eventId === event.id)) return;
      const text = payload['newText'];
      const at = payload['newOccurredAt'];
      if (typeof text === 'string') annotation.text = lww(annotation.text, text, hlc);
      if (typeof at === 'number') annotation.occurredAt = lww(annotation.occurredAt, at, hlc);
      let i = annotation.corrections.length;
      while (i > 0 && annotation.corrections[i - 1]!.hlc > hlc) i--;
      annotation.corrections.splice(i, 0, { eventId: event.id, hlc });
      return;
    }
    case 'timeline.redacted': {
      const reason = payload['reason'];
      if (typeof reason === 'string') annotation.redaction = lww(annotation.redaction, { reason, by: event.actor, at: event.recordedAt }, hlc);
      return;
    }
    case 'timeline.starred': {
      const starred = payload['starred'];
      if (typeof starred === 'boolean') annotation.starred = lww(annotation.starred, starred, hlc);
      return;
    }
  }
}

export function foldAnnotation(events: Iterable<EventEnvelope>): Annotation {
  const annotation = emptyAnnotation();
  for (const event of events) applyAnnotation(annotation, event);
  return annotation;
}

/** What a row shows now: its target with the latest corrections, star and redaction applied. */
export interface EffectiveEntry {
  badge: TimelineBadge;
  occurredAt: number;
  /** The typed text as corrected; null for entries the console composed. */
  text: string | null;
  starred: boolean;
  edits: number;
  redaction: Redaction | null;
}

export function effectiveEntry(event: EventEnvelope, annotation: Annotation | null): EffectiveEntry {
  const typed = isTypedEntry(event) && typeof event.payload['text'] === 'string' ? (event.payload['text'] as string) : null;
  return {
    badge: badgeOf(event),
    occurredAt: annotation?.occurredAt?.value ?? occurredAtOf(event),
    text: typed === null ? null : (annotation?.text?.value ?? typed),
    starred: annotation?.starred?.value ?? false,
    edits: annotation?.corrections.length ?? 0,
    redaction: annotation?.redaction?.value ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The words a text filter looks through: the author and what people wrote (typed text as
 * corrected, task titles, owners, names, reasons, the words of a sent update) — never the
 * words of a redacted entry, only its reason.
 */
export function searchTextOf(event: EventEnvelope, entry: EffectiveEntry): string {
  const words = [event.actor];
  if (entry.redaction) words.push(entry.redaction.reason);
  else if (entry.text !== null) words.push(entry.text);
  else {
    for (const value of Object.values(event.payload)) {
      if (typeof value === 'string' && !UUID.test(value)) words.push(value);
      else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') words.push(item);
    }
  }
  return foldText(words.join('\n'));
}

/** One step of an entry's history, oldest first. Texts of a redacted entry are withheld (null). */
export interface EntryVersion {
  eventId: string;
  change: 'original' | 'corrected' | 'redacted' | 'starred' | 'unstarred';
  actor: string;
  recordedAt: number;
  text: string | null;
  occurredAt: number | null;
  reason: string | null;
}

export function historyOf(target: EventEnvelope, annotations: readonly EventEnvelope[]): EntryVersion[] {
  const mine = annotations.filter((a) => annotationTarget(a) === target.id);
  const unique = [...new Map(mine.map((a) => [a.id, a])).values()].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : 1));
  const redacted = unique.some((a) => a.kind === 'timeline.redacted');
  const shown = (text: unknown) => (redacted || typeof text !== 'string' ? null : text);
  const versions: EntryVersion[] = [
    {
      eventId: target.id,
      change: 'original',
      actor: target.actor,
      recordedAt: target.recordedAt,
      text: isTypedEntry(target) ? shown(target.payload['text']) : null,
      occurredAt: occurredAtOf(target),
      reason: null,
    },
  ];
  for (const a of unique) {
    const base = { eventId: a.id, actor: a.actor, recordedAt: a.recordedAt, text: null, occurredAt: null, reason: null };
    if (a.kind === 'timeline.corrected') {
      const at = a.payload['newOccurredAt'];
      versions.push({ ...base, change: 'corrected', text: shown(a.payload['newText']), occurredAt: typeof at === 'number' ? at : null });
    } else if (a.kind === 'timeline.redacted') {
      versions.push({ ...base, change: 'redacted', reason: String(a.payload['reason'] ?? '') });
    } else {
      versions.push({ ...base, change: a.payload['starred'] === true ? 'starred' : 'unstarred' });
    }
  }
  return versions;
}

/**
 * When something happened, as typed during a call: "14:32" or "14:32:05" (local time today —
 * or yesterday when today's would still be to come, as at 00:10 for "23:50"), "-5m" / "-1h30m"
 * (that long ago), or "now". Null when the text is none of these.
 */
export function parseOccurredAt(input: string, now: number): number | null {
  const text = input.trim().toLowerCase();
  if (text === 'now' || text === 'maintenant') return now;
  if (text.startsWith('-')) {
    const ms = parseDuration(text.slice(1));
    return ms === null ? null : now - ms;
  }
  const clock = /^(\d{1,2})[:h](\d{2})(?::(\d{2}))?$/.exec(text);
  if (!clock) return null;
  const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const day = new Date(now);
  day.setHours(hours, minutes, seconds, 0);
  // A minute's grace: "14:32" typed at 14:31:40 means this minute, not yesterday.
  if (day.getTime() > now + MINUTE_MS) day.setDate(day.getDate() - 1);
  return day.getTime();
}
