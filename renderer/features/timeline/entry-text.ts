import type { EventText } from '../../../shared/record/sentences.js';

/** What a timeline row shows (shared/record/sentences.ts builds it for the console and the report alike). */
export type EntryText = EventText;
