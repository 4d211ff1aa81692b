import { create } from 'zustand';
import { foldText } from '../../../shared/text/fold.js';

/**
 * The command palette (Ctrl/Cmd+K): every action of the console by name, fuzzy-filtered. An
 * action either runs at once or asks for what it needs in steps (pick from a list, or type),
 * so a whole bridge call can be run without the mouse.
 */

export interface PaletteChoice {
  value: string;
  label: string;
  /** Shown at the right of the row: a shortcut, a group, a detail. */
  hint?: string;
  /** Matched too, not shown (e.g. the other language's word, an id). */
  keywords?: string;
}

/** What running an action or answering a step gives: done, or the next question. */
export type PaletteResult = void | PaletteStep | Promise<void | PaletteStep>;

export type PaletteStep =
  | { kind: 'choice'; title: string; choices: PaletteChoice[]; submit(value: string): PaletteResult }
  | {
      kind: 'text';
      title: string;
      placeholder?: string;
      initial?: string;
      /** Enter on an empty field is allowed and submits ''. */
      optional?: boolean;
      /** Offered under the field (e.g. names from the people directory); Enter on a highlighted one submits it. */
      suggest?(query: string): PaletteChoice[];
      submit(value: string): PaletteResult;
    };

export interface PaletteAction {
  id: string;
  label: string;
  /** Translated group name, shown beside the label and matched by the filter. */
  group: string;
  /** The single-key (or chord) shortcut for the same action, as shown in the help overlay. */
  shortcut?: string;
  keywords?: string;
  run(): PaletteResult;
}

interface PaletteState {
  open: boolean;
  /** Null: the list of actions; otherwise the question an action is asking. */
  step: PaletteStep | null;
  /** Changes with every step, so the dialog starts each question with a fresh field. */
  serial: number;
  show(step?: PaletteStep | null): void;
  setStep(step: PaletteStep | null): void;
  close(): void;
}

export const usePalette = create<PaletteState>()((set) => ({
  open: false,
  step: null,
  serial: 0,
  show: (step = null) => set((s) => ({ open: true, step, serial: s.serial + 1 })),
  setStep: (step) => set((s) => ({ step, serial: s.serial + 1 })),
  close: () => set({ open: false, step: null }),
}));

const WORD_START = /[\s\-/(·:«“"']/;

/**
 * How well `query` matches `text` (higher is better), or null when it does not. Each word of
 * the query must appear in order as a subsequence; letters in a row and letters starting a
 * word score more, so "as ro" ranks "Assign a role" above "Pause SLA clocks (reason)".
 * Above any scattered match comes a word that starts with what was typed ("appro" → Approve),
 * then what was typed found whole inside a word; earlier in the text (the label) beats later
 * (the group, the keywords).
 */
export function fuzzyScore(query: string, text: string): number | null {
  const hay = foldText(text);
  let total = 0;
  // Where the previous word was found: words found in the order typed count more ("urgency medium").
  let cursor = 0;
  for (const word of foldText(query).split(/\s+/).filter(Boolean)) {
    const whole = wholeMatch(hay, word, cursor);
    if (whole !== null) {
      total += whole.score;
      cursor = whole.end;
      continue;
    }
    let best: number | null = null;
    // Try each place the word's first letter occurs, keep the best alignment.
    for (let start = hay.indexOf(word[0]!); start !== -1; start = hay.indexOf(word[0]!, start + 1)) {
      let score = 0;
      let at = start;
      let previous = -2;
      let matched = true;
      for (const ch of word) {
        const found = hay.indexOf(ch, at);
        if (found === -1) {
          matched = false;
          break;
        }
        score += 1;
        if (found === previous + 1) score += 3;
        if (found === 0 || WORD_START.test(hay[found - 1]!)) score += 4;
        previous = found;
        at = found + 1;
      }
      if (matched) best = Math.max(best ?? 0, score - (previous - start - word.length + 1) * 0.1);
    }
    if (best === null) return null;
    total += best;
  }
  return total;
}

/**
 * A word found in one piece: 1000 + at the start of a word, 500 + inside one, more when it comes
 * after the previous word (`from`); null when it is not there in one piece.
 */
function wholeMatch(hay: string, word: string, from: number): { score: number; end: number } | null {
  let best: { score: number; end: number } | null = null;
  for (let at = hay.indexOf(word); at !== -1; at = hay.indexOf(word, at + 1)) {
    const start = at === 0 || WORD_START.test(hay[at - 1]!);
    // In the order typed counts; the further into the text, the less (a label beats its group or keywords).
    const score = (start ? 1000 : 500) + (at >= from ? 100 : 0) + word.length * 8 - Math.min(at, 400) * 0.1;
    if (!best || score > best.score) best = { score, end: at + word.length };
  }
  return best;
}

/** Items ranked by how well they match; all of them, in their order, for an empty query. */
export function rank<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  if (!query.trim()) return [...items];
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const score = fuzzyScore(query, text(item));
    if (score !== null) scored.push({ item, score, index });
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((s) => s.item);
}
