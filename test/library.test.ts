import { describe, expect, test, vi } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import type { LibraryHit } from '../shared/library/channels.js';
import { ftsQuery } from '../electron/core/library/library.js';
import { tempDir } from './helpers.js';
import { openCore, reviewedIncident } from './library-fixtures.js';

const marked = (hit: LibraryHit) => hit.snippet.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

describe('incident library search', () => {
  test('finds titles, entries and lessons learned across incidents, with the matching words marked', () => {
    const { core } = openCore(tempDir());
    const checkout = reviewedIncident(core, { title: 'Checkout down after deploy' });
    const dns = reviewedIncident(core, { title: 'DNS resolution failing in eu-west', category: 'network' });
    core.handle('timeline.log', { incidentId: dns.incidentId, entryKind: 'finding', text: 'The resolver cache was poisoned by a stale zone' });

    const byTitle = core.handle('library.search', { query: 'dns' });
    expect(byTitle.hits.map((h) => [h.incidentId, h.field])).toEqual([[dns.incidentId, 'incident']]);
    expect(marked(byTitle.hits[0]!)).toContain('[DNS] resolution failing');
    expect(byTitle.hits[0]).toMatchObject({
      title: 'DNS resolution failing in eu-west',
      category: 'network',
      status: 'resolved',
      priority: 'P1',
      drill: false,
    });

    const byEntry = core.handle('library.search', { query: 'poisoned' });
    expect(byEntry.hits).toHaveLength(1);
    expect(byEntry.hits[0]).toMatchObject({ incidentId: dns.incidentId, field: 'entry' });
    expect(marked(byEntry.hits[0]!)).toBe('The resolver cache was [poisoned] by a stale zone');

    const byLesson = core.handle('library.search', { query: 'canary' });
    expect(new Set(byLesson.hits.map((h) => h.incidentId))).toEqual(new Set([checkout.incidentId, dns.incidentId]));
    expect(byLesson.hits.some((h) => h.field === 'lesson' && marked(h) === 'Ship every deploy through a [canary]')).toBe(true);
    expect(byLesson.incidents).toBe(2);
  });

  test('every word must match, prefixes count, accents and case do not', () => {
    const { core } = openCore(tempDir());
    const { incidentId } = reviewedIncident(core, { title: 'Générateur du centre de données en panne' });
    expect(core.handle('library.search', { query: 'GENERATEUR donnees' }).hits.map((h) => h.incidentId)).toEqual([incidentId]);
    expect(core.handle('library.search', { query: 'génér' }).hits).toHaveLength(1);
    expect(core.handle('library.search', { query: 'generateur elephant' }).hits).toEqual([]);
  });

  test('search syntax typed by accident is just words; nothing to search for is refused with a reason', () => {
    const { core } = openCore(tempDir());
    reviewedIncident(core);
    for (const query of ['"unbalanced', 'NEAR(checkout', 'title:checkout', 'checkout AND OR NOT', '*', 'a"b"c']) {
      expect(() => core.handle('library.search', { query })).not.toThrow(/fts5|syntax/i);
    }
    expect(core.handle('library.search', { query: 'checkout AND' }).hits.length).toBe(0);
    expect(ftsQuery('say "hi" NEAR(x)')).toBe('"say"* "hi"* "NEAR"* "x"*');
    let refusal: unknown;
    try {
      core.handle('library.search', { query: '?!…' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).message).toBe('Type at least one word (letters or digits) to search for.');
  });

  test('drills are left out unless asked for', () => {
    const { core } = openCore(tempDir());
    const real = reviewedIncident(core, { title: 'Generator failure in DC1' });
    const drill = core.handle('drill.start', { source: { kind: 'incident', incidentId: real.incidentId }, speed: 10, language: 'en' });
    const found = (includeDrills: boolean) => core.handle('library.search', { query: 'generator', includeDrills }).hits.map((h) => h.incidentId);
    expect(new Set(found(false))).toEqual(new Set([real.incidentId]));
    expect(new Set(found(true))).toEqual(new Set([real.incidentId, drill.incidentId]));
    expect(core.handle('library.search', { query: 'generator', includeDrills: true }).hits.find((h) => h.incidentId === drill.incidentId)?.drill).toBe(true);
  });

  test('what the record withholds is not searchable: a redacted entry, a removed lesson', () => {
    const { core } = openCore(tempDir());
    const { incidentId } = reviewedIncident(core);
    const secret = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'The admin password is swordfish' });
    expect(core.handle('library.search', { query: 'swordfish' }).hits).toHaveLength(1);
    core.handle('timeline.redact', { incidentId, targetId: secret.eventId, reason: 'credential' });
    expect(core.handle('library.search', { query: 'swordfish' }).hits).toEqual([]);

    const { noteId } = core.handle('review.saveNote', { incidentId, section: 'lesson', text: 'Rotate the zebra keys yearly', cites: [] });
    expect(core.handle('library.search', { query: 'zebra' }).hits).toHaveLength(1);
    core.handle('review.remove', { incidentId, itemId: noteId });
    expect(core.handle('library.search', { query: 'zebra' }).hits).toEqual([]);
  });

  test('words are indexed after the append, not in it; a search first indexes what is missing; a redaction before indexing keeps the words out', () => {
    const { core, store } = openCore(tempDir());
    const { incidentId } = reviewedIncident(core);
    store.searchIndex.catchUp();
    const indexed = () => store.db.prepare('SELECT count(*) FROM library_fts WHERE library_fts MATCH ?').pluck().get('"marmalade"') as number;
    const secret = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'The vault code is marmalade' });
    core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Marmalade delivered to the bridge' });
    // The append committed without touching the index.
    expect(indexed()).toBe(0);
    expect(store.searchIndex.pending()).toBe(2);
    core.handle('timeline.redact', { incidentId, targetId: secret.eventId, reason: 'credential' });
    // The search indexes the three waiting events first, so it misses nothing — and never the redacted words.
    expect(core.handle('library.search', { query: 'marmalade' }).hits.map((h) => h.snippet.map((p) => p.text).join(''))).toEqual([
      'Marmalade delivered to the bridge',
    ]);
    expect(store.searchIndex.pending()).toBe(0);
    expect(indexed()).toBe(1);
  });

  test('indexing waits while the console is being used: a read puts it off until the calls go quiet', () => {
    // The indexer reads the quiet time on performance.now(): that clock is faked with the timers.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const { core, store } = openCore(tempDir());
      const { incidentId } = reviewedIncident(core);
      for (let i = 0; i < 50; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Checked the marmalade queue ${i}` });
      const waiting = store.searchIndex.pending();
      expect(waiting).toBeGreaterThan(0);
      const read = () =>
        core.handle('timeline.query', { incidentId, filter: { text: 'marm', kinds: [], actors: [], starred: false }, limit: 60, fromEnd: true });
      // Someone filtering the timeline, a letter every 250 ms: the indexer, due 300 ms after the last write, waits.
      for (let key = 0; key < 4; key++) {
        vi.advanceTimersByTime(250);
        read();
      }
      expect(store.searchIndex.pending()).toBe(waiting);
      // Quiet for a moment: it indexes everything.
      vi.advanceTimersByTime(1000);
      expect(store.searchIndex.pending()).toBe(0);
      // With nothing waiting a read starts nothing.
      read();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test('results are capped at the limit asked for, best match first', () => {
    const { core } = openCore(tempDir());
    for (let i = 0; i < 6; i++) reviewedIncident(core, { title: `Outage ${i}` });
    const { hits, incidents } = core.handle('library.search', { query: 'canary', limit: 4 });
    expect(hits).toHaveLength(4);
    expect(incidents).toBe(6);
  });
});

describe('trends', () => {
  const MONTH = 30 * 24 * 3_600_000;

  test('counts by category and priority per month, MTTR and SLA-met rate, recurring factors; drills never count', () => {
    let now = Date.UTC(2025, 4, 15, 12);
    const { core } = openCore(tempDir(), () => now);
    // Older than the period asked for: neither counted nor its factors.
    reviewedIncident(core, { category: 'hardware', factor: 'Old factor outside the period' });
    now = Date.UTC(2026, 11, 15, 12);
    reviewedIncident(core, { category: 'software', factor: 'No canary stage.' });
    now += MONTH;
    const second = reviewedIncident(core, { category: 'network', factor: 'no  canary stage' });
    reviewedIncident(core, { category: 'network', factor: 'Runbook out of date' });
    core.handle('drill.start', { source: { kind: 'incident', incidentId: second.incidentId }, speed: 10, language: 'en' });
    core.handle('drill.start', { source: { kind: 'scenario', scenarioId: 'airline-power-outage' }, speed: 1, language: 'fr' });

    const trends = core.handle('trends.get', { timeZone: 'Europe/Paris', months: 3 });
    expect(trends.months.map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    const [nov, dec, jan] = trends.months;
    expect(nov).toMatchObject({ total: 0, resolved: 0, mttrMs: null, slaMetRate: null });
    expect(dec).toMatchObject({
      total: 1,
      byCategory: { software: 1, network: 0 },
      byPriority: { P1: 1 },
      resolved: 1,
      slaMet: 1,
      slaBreached: 0,
      slaMetRate: 1,
    });
    expect(jan).toMatchObject({ total: 2, byCategory: { network: 2 }, byPriority: { P1: 2 }, resolved: 2 });
    // declareInput's incidents were detected on 25 November; they were resolved "now", on the 15th of each month.
    expect(dec!.mttrMs).toBe(now - MONTH - Date.UTC(2026, 10, 25, 9, 5));
    expect(jan!.mttrMs).toBe(now - Date.UTC(2026, 10, 25, 9, 5));
    expect(trends.incidents).toBe(3);
    expect(trends.drillsExcluded).toBe(2);
    expect(trends.factors[0]).toMatchObject({ category: 'process', count: 2 });
    expect(trends.factors[0]!.incidents).toHaveLength(2);
    expect(trends.factors[1]).toMatchObject({ category: 'process', text: 'Runbook out of date', count: 1 });
    expect(trends.factorCategories.find((c) => c.category === 'process')?.count).toBe(3);
    expect(trends.factors.some((f) => f.text === 'Old factor outside the period')).toBe(false);
    expect(trends.months.reduce((n, m) => n + m.byCategory.hardware, 0)).toBe(0);
  });

  test('an unknown time zone is refused by name', () => {
    const { core } = openCore(tempDir());
    expect(() => core.handle('trends.get', { timeZone: 'Mars/Olympus_Mons' })).toThrow('timeZone: is not a time zone this machine knows');
  });
});
