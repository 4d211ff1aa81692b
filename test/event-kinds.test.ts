import { describe, expect, test } from 'vitest';
import i18next from 'i18next';
import { EVENT_KINDS, type EventEnvelope } from '../shared/record/events.js';
import { shownAs } from '../shared/record/kinds.js';
import { describeEvent, sentenceTranslator } from '../shared/record/sentences.js';
import { HlcClock } from '../shared/record/hlc.js';
import { SETTINGS_STREAM_ID } from '../shared/clocks/policy.js';
import { changesDeliveryState, DELIVERY_STATE_KINDS } from '../shared/deliveries/state-kinds.js';
import { en } from '../renderer/i18n/en.js';
import { fr } from '../renderer/i18n/fr.js';
import { describeEntry } from '../renderer/features/timeline/timeline-text.js';
import { fileText, openCore } from './library-fixtures.js';
import { KIND_SAMPLES, SAMPLE_IDS } from './kind-samples.js';
import { tempDir } from './helpers.js';

/**
 * Every event kind walked end to end through the real core on a real SQLite file: one event of
 * each (test/kind-samples.ts, typed by the schema union, so a new kind is walked as soon as it
 * exists) arrives as a sync batch; each row kind must then be a row of the timeline with the
 * registry's sentence in English and French, be found by the search, and be a line of the
 * report. Annotations and the review's and settings' own record must be none of these.
 */

const INCIDENT = SAMPLE_IDS.incident;
/** Whom the search looks for: each event is recorded by a name only it carries. */
const actorOf = (kind: string) => `[${kind}]`;
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function oneOfEach(): EventEnvelope[] {
  const clock = new HlcClock('other-laptop', () => Date.UTC(2026, 10, 25, 9, 0));
  return EVENT_KINDS.map((kind, i) => ({
    id: kind === 'timeline.entry' ? SAMPLE_IDS.entry : `0190a0b0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
    // Team settings live on their own stream (anywhere else they are quarantined).
    incidentId: kind.startsWith('settings.') ? SETTINGS_STREAM_ID : INCIDENT,
    kind,
    payload: KIND_SAMPLES[kind] as Record<string, unknown>,
    actor: actorOf(kind),
    deviceId: 'other-laptop',
    hlc: clock.tick(),
    recordedAt: Date.UTC(2026, 10, 25, 9, 0) + i,
  }));
}

async function consoleT(lng: 'en' | 'fr') {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance.t;
}

describe('every event kind, from the record to the timeline, the search and the report', () => {
  const rowKinds = EVENT_KINDS.filter((kind) => shownAs(kind) === 'row');
  const otherKinds = EVENT_KINDS.filter((kind) => shownAs(kind) !== 'row');

  test('each row kind is one timeline row with its sentence in English and French; the others are no row', async () => {
    const { core } = openCore(tempDir());
    const { inserted, quarantined } = core.ingest(oneOfEach());
    expect(quarantined).toBe(0);
    expect(inserted).toHaveLength(EVENT_KINDS.length);

    const window = core.handle('timeline.query', { incidentId: INCIDENT, limit: 1000 });
    expect(window.rows.map((r) => r.event.kind).sort()).toEqual([...rowKinds].sort());
    const view = core.handle('incident.get', { incidentId: INCIDENT }).incident;
    for (const lng of ['en', 'fr'] as const) {
      const t = await consoleT(lng);
      for (const row of window.rows) {
        const said = describeEntry(row.event, view, t);
        expect(said.text, row.event.kind).not.toBe('');
        for (const line of [said.text, ...said.details]) expect(line, row.event.kind).not.toMatch(/\{\{|sentences\.|^kind\.|^label\./);
        expect(said.badge, row.event.kind).toBe(row.badge);
      }
    }
  });

  test('each row kind is found by the search, the others never', () => {
    const { core } = openCore(tempDir());
    core.ingest(oneOfEach());
    for (const kind of rowKinds) {
      const found = core.handle('timeline.query', { incidentId: INCIDENT, filter: { text: actorOf(kind) } });
      expect(
        found.rows.map((r) => r.event.kind),
        kind,
      ).toEqual([kind]);
    }
    for (const kind of otherKinds) {
      for (const incidentId of [INCIDENT, SETTINGS_STREAM_ID])
        expect(core.handle('timeline.query', { incidentId, filter: { text: actorOf(kind) } }).rows, kind).toEqual([]);
    }
  });

  test('the delivery view reads exactly the events of its kinds, through their own index, in the order of the incident’s events', () => {
    const { core, store } = openCore(tempDir());
    core.ingest(oneOfEach());
    const expected = store.incidentEvents(INCIDENT).filter((e) => changesDeliveryState(e.kind));
    expect(expected.map((e) => e.kind).sort()).toEqual([...DELIVERY_STATE_KINDS].sort());
    expect(store.deliveryStateEvents(INCIDENT)).toEqual(expected);
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM events WHERE incident_id = ? AND kind IN (${DELIVERY_STATE_KINDS.map((k) => `'${k}'`).join(', ')})`)
      .all(INCIDENT) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX events_delivery_state/);
  });

  test.each(['en', 'fr'] as const)('each row kind is a line of the %s report, said with the timeline’s sentence', (language) => {
    const { core } = openCore(tempDir());
    const events = oneOfEach();
    core.ingest(events);
    const view = core.handle('incident.get', { incidentId: INCIDENT }).incident;
    const html = fileText(core.handle('export.report', { incidentId: INCIDENT, format: 'html', language, timeZone: 'UTC' }));
    const t = sentenceTranslator(language);
    for (const event of events) {
      const line = html.includes(escapeHtml(actorOf(event.kind)));
      // The review's own record shows in its sections (a comment names who wrote it), never as a line of the timeline.
      if (shownAs(event.kind) !== 'row') {
        if (!event.kind.startsWith('review.')) expect(line, event.kind).toBe(false);
        continue;
      }
      expect(line, event.kind).toBe(true);
      // The corrected words replace the typed ones; every other row says what the timeline says.
      if (event.kind === 'timeline.entry') continue;
      // Times and durations are formatted by each reader: compare the words up to the first of them.
      const said = describeEvent(event, { t, view, time: () => '\u0000', duration: () => '\u0000' });
      const firstWords = said.text.split('\u0000')[0]!;
      expect(html, event.kind).toContain(escapeHtml(firstWords));
    }
  });
});
