import { describe, expect, test } from 'vitest';
import { EVENT_KINDS, PayloadSchemas, parseEvent, type EventKind } from './events.js';
import { KINDS, badgeOf, shownAs } from './kinds.js';
import { TIMELINE_BADGES, type RowKind } from './kind-spec.js';
import { SENTENCE_LANGUAGES, describeEvent, sentenceTranslator } from './sentences.js';
import { KIND_SAMPLES, SAMPLE_IDS } from '../../test/kind-samples.js';

const rowKinds = EVENT_KINDS.filter((kind) => KINDS[kind].shown === 'row');
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

function sampleEvent(kind: EventKind, n: number) {
  return parseEvent({
    id: `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    incidentId: SAMPLE_IDS.incident,
    kind,
    payload: KIND_SAMPLES[kind],
    actor: 'Ana',
    deviceId: 'dev-a',
    hlc: `${String(1_700_000_000_000 + n).padStart(15, '0')}:000000:dev-a`,
    recordedAt: 1_700_000_000_000 + n,
  });
}

describe('the event-kind registry', () => {
  test('has exactly one entry per kind with a payload schema, and the other way round', () => {
    expect(Object.keys(KINDS).sort()).toEqual(Object.keys(PayloadSchemas).sort());
  });

  test('every sample payload is valid for its kind (the samples the end-to-end walk uses)', () => {
    EVENT_KINDS.forEach((kind, i) => expect(() => sampleEvent(kind, i)).not.toThrow());
  });

  test('French gives every row kind the same sentences with the same placeholders as English', () => {
    for (const kind of rowKinds) {
      const { en, fr } = (KINDS[kind] as RowKind<EventKind, string>).text;
      expect(Object.keys(fr).sort(), kind).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) expect(placeholders(fr[key]!), `${kind}.${key}`).toEqual(placeholders(en[key]!));
    }
  });

  test.each(SENTENCE_LANGUAGES)('every row kind is said in full in %s, with a badge the filters know', (language) => {
    const t = sentenceTranslator(language);
    const view = null;
    rowKinds.forEach((kind, i) => {
      const said = describeEvent(sampleEvent(kind, i), { t, view, time: (at) => new Date(at).toISOString(), duration: (ms) => `${ms} ms` });
      expect(said.text, kind).not.toBe('');
      // A missing key comes back as its path; a value left out stays as {{name}}.
      for (const line of [said.text, ...said.details]) expect(line, kind).not.toMatch(/\{\{|^kind\.|^label\./);
      expect(TIMELINE_BADGES, kind).toContain(said.badge);
      expect(said.badge).toBe(badgeOf(sampleEvent(kind, i)));
    });
  });

  test('annotations and the review and settings records are never rows; a kind from a newer version is', () => {
    expect(EVENT_KINDS.filter((kind) => shownAs(kind) === 'annotation').sort()).toEqual(['timeline.corrected', 'timeline.redacted', 'timeline.starred']);
    expect(EVENT_KINDS.filter((kind) => shownAs(kind) === 'elsewhere').every((kind) => /^(review|settings)\./.test(kind))).toBe(true);
    expect(shownAs('incident.escalated')).toBe('row');
  });
});
