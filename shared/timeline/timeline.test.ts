import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText } from '../text/fold.js';
import { parseEvent, type EventEnvelope } from '../record/events.js';
import { encodeHlc } from '../record/hlc.js';
import {
  annotationTarget,
  applyAnnotation,
  badgeOf,
  effectiveEntry,
  emptyAnnotation,
  foldAnnotation,
  historyOf,
  parseOccurredAt,
  searchTextOf,
} from './timeline.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabc);
const BASE = Date.UTC(2025, 2, 14, 9, 0, 0);
const MIN = 60_000;
const TARGET = uuid(1);

let nextId = 100;
function ev(kind: string, payload: Record<string, unknown>, wall: number, node = 'dev-a', actor = 'Ada'): EventEnvelope {
  return parseEvent({
    id: uuid(nextId++),
    incidentId: INCIDENT,
    kind,
    payload: { occurredAt: wall, ...payload },
    actor,
    deviceId: node,
    hlc: encodeHlc({ wall, counter: 0, node }),
    recordedAt: wall,
  });
}

const target = parseEvent({
  id: TARGET,
  incidentId: INCIDENT,
  kind: 'timeline.entry',
  payload: { entryKind: 'finding', text: 'DB at 100% CPU', occurredAt: BASE },
  actor: 'Bruno',
  deviceId: 'dev-b',
  hlc: encodeHlc({ wall: BASE, counter: 0, node: 'dev-b' }),
  recordedAt: BASE,
});

describe('badgeOf', () => {
  it('gives typed entries their kind and system events their domain', () => {
    expect(badgeOf(target)).toBe('finding');
    expect(badgeOf(ev('timeline.entry', { entryKind: 'external', text: 'Customer call' }, BASE))).toBe('external');
    expect(badgeOf(ev('incident.status', { status: 'mitigated' }, BASE))).toBe('status');
    expect(badgeOf(ev('incident.priority', { impact: 'high', urgency: 'low' }, BASE))).toBe('priority');
    expect(badgeOf(ev('incident.role', { role: 'scribe', person: 'Chloé' }, BASE))).toBe('role');
    expect(badgeOf(ev('sla.resumed', {}, BASE))).toBe('sla');
    expect(badgeOf(ev('task.moved', { taskId: uuid(9), status: 'done' }, BASE))).toBe('task');
    expect(badgeOf(ev('comms.approved', { draftId: uuid(9) }, BASE))).toBe('comms');
  });

  it('falls back on "other" for kinds from a newer version', () => {
    expect(badgeOf({ ...target, kind: 'drill.replayed', payload: {} })).toBe('other');
    expect(badgeOf({ ...target, payload: { entryKind: 'rumour', text: 'x' } })).toBe('other');
  });
});

describe('the annotation fold', () => {
  const c1 = ev('timeline.corrected', { targetId: TARGET, newText: 'DB at 90% CPU' }, BASE + MIN, 'dev-a', 'Ada');
  const c2 = ev('timeline.corrected', { targetId: TARGET, newOccurredAt: BASE - 5 * MIN }, BASE + 2 * MIN, 'dev-c', 'Chloé');
  const c3 = ev('timeline.corrected', { targetId: TARGET, newText: 'DB at 95% CPU', newOccurredAt: BASE - 3 * MIN }, BASE + 2 * MIN, 'dev-d', 'Dmitri');
  const star = ev('timeline.starred', { targetId: TARGET, starred: true }, BASE + 3 * MIN);
  const unstar = ev('timeline.starred', { targetId: TARGET, starred: false }, BASE + 4 * MIN);

  it('shows the latest text and time per field, counts every correction once, and the latest star', () => {
    for (const order of [
      [c1, c2, c3, star, unstar],
      [unstar, c3, star, c2, c1, c1, c3],
    ]) {
      const entry = effectiveEntry(target, foldAnnotation(order));
      // c2 and c3 share a wall time: dev-d's stamp sorts after dev-c's, so c3 wins the time.
      expect(entry).toEqual({ badge: 'finding', occurredAt: BASE - 3 * MIN, text: 'DB at 95% CPU', starred: false, edits: 3, redaction: null });
    }
  });

  it('an entry without annotations shows as recorded', () => {
    expect(effectiveEntry(target, null)).toEqual({ badge: 'finding', occurredAt: BASE, text: 'DB at 100% CPU', starred: false, edits: 0, redaction: null });
    expect(effectiveEntry(ev('incident.status', { status: 'resolved' }, BASE), emptyAnnotation()).text).toBeNull();
  });

  it('a redaction hides the text behind its reason, and the search text with it', () => {
    const redacted = ev('timeline.redacted', { targetId: TARGET, reason: 'customer card number' }, BASE + 5 * MIN, 'dev-a', 'Ada');
    const entry = effectiveEntry(target, foldAnnotation([c1, redacted]));
    expect(entry.redaction).toEqual({ reason: 'customer card number', by: 'Ada', at: BASE + 5 * MIN });
    const search = searchTextOf(target, entry);
    expect(search).toContain('customer card number');
    expect(search).not.toContain('cpu');
  });

  it('ignores events that are not annotations and names the target of those that are', () => {
    const annotation = emptyAnnotation();
    applyAnnotation(annotation, target);
    expect(annotation).toEqual(emptyAnnotation());
    expect(annotationTarget(star)).toBe(TARGET);
    expect(annotationTarget(target)).toBeNull();
  });

  it('any delivery order with any duplicates gives the same row (property)', () => {
    const annotation = fc.oneof(
      fc.record({
        kind: fc.constant('timeline.corrected'),
        payload: fc.record({ newText: fc.constantFrom('a', 'b', 'c'), newOccurredAt: fc.integer({ min: 0, max: 9 }) }, { requiredKeys: ['newText'] }),
      }),
      fc.record({ kind: fc.constant('timeline.corrected'), payload: fc.record({ newOccurredAt: fc.integer({ min: 0, max: 9 }) }) }),
      fc.record({ kind: fc.constant('timeline.redacted'), payload: fc.record({ reason: fc.constantFrom('secret', 'wrong incident') }) }),
      fc.record({ kind: fc.constant('timeline.starred'), payload: fc.record({ starred: fc.boolean() }) }),
    );
    const steps = fc.array(fc.record({ annotation, wall: fc.integer({ min: 0, max: 5 }), node: fc.constantFrom('a', 'b', 'c') }), { maxLength: 25 });
    fc.assert(
      fc.property(
        steps.chain((list) => {
          const events = list.map((s, i) =>
            parseEvent({
              id: uuid(1000 + i),
              incidentId: INCIDENT,
              kind: s.annotation.kind,
              payload: { ...s.annotation.payload, targetId: TARGET, occurredAt: BASE },
              actor: s.node,
              deviceId: s.node,
              // Each device ticks its clock, so no two events share a stamp.
              hlc: encodeHlc({ wall: BASE + s.wall, counter: i, node: s.node }),
              recordedAt: BASE + s.wall,
            }),
          );
          const delivery = fc
            .tuple(fc.shuffledSubarray(events, { minLength: events.length }), fc.subarray(events))
            .map(([all, again]) => [...all, ...again.map((e) => structuredClone(e))]);
          return fc.tuple(fc.constant(events), delivery, delivery);
        }),
        ([events, first, second]) => {
          const causal = [...events].sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
          const reference = foldAnnotation(causal);
          expect(foldAnnotation(first)).toEqual(reference);
          expect(foldAnnotation(second)).toEqual(reference);
          expect(historyOf(target, first)).toEqual(historyOf(target, causal));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('historyOf', () => {
  it('lists the original then every annotation in causal order, with who and when', () => {
    const c1 = ev('timeline.corrected', { targetId: TARGET, newText: 'DB at 90% CPU', newOccurredAt: BASE - MIN }, BASE + MIN, 'dev-a', 'Ada');
    const star = ev('timeline.starred', { targetId: TARGET, starred: true }, BASE + 2 * MIN, 'dev-a', 'Chloé');
    const elsewhere = ev('timeline.starred', { targetId: uuid(77), starred: true }, BASE + 2 * MIN);
    expect(historyOf(target, [star, elsewhere, c1])).toEqual([
      { eventId: TARGET, change: 'original', actor: 'Bruno', recordedAt: BASE, text: 'DB at 100% CPU', occurredAt: BASE, reason: null },
      { eventId: c1.id, change: 'corrected', actor: 'Ada', recordedAt: BASE + MIN, text: 'DB at 90% CPU', occurredAt: BASE - MIN, reason: null },
      { eventId: star.id, change: 'starred', actor: 'Chloé', recordedAt: BASE + 2 * MIN, text: null, occurredAt: null, reason: null },
    ]);
  });

  it('withholds every text of a redacted entry, keeping the fact and the reason', () => {
    const c1 = ev('timeline.corrected', { targetId: TARGET, newText: 'card 4111 1111' }, BASE + MIN);
    const redacted = ev('timeline.redacted', { targetId: TARGET, reason: 'card number' }, BASE + 2 * MIN, 'dev-a', 'Ada');
    const history = historyOf(target, [redacted, c1]);
    expect(history.map((v) => [v.change, v.text, v.reason])).toEqual([
      ['original', null, null],
      ['corrected', null, null],
      ['redacted', null, 'card number'],
    ]);
  });
});

describe('searchTextOf and foldText', () => {
  it('searches the author and what people wrote, without case or accents', () => {
    expect(foldText('Chloé ATTÉNUÉ')).toBe('chloe attenue');
    const role = ev('incident.role', { role: 'scribe', person: 'Chloé' }, BASE, 'dev-a', 'Ada');
    const text = searchTextOf(role, effectiveEntry(role, null));
    expect(text).toContain('chloe');
    expect(text).toContain('ada');
    const moved = ev('task.moved', { taskId: uuid(5), status: 'done' }, BASE);
    expect(searchTextOf(moved, effectiveEntry(moved, null))).not.toContain('0000');
  });

  it('searches the corrected text, not the original', () => {
    const fix = ev('timeline.corrected', { targetId: TARGET, newText: 'cache stampede' }, BASE + MIN);
    const text = searchTextOf(target, effectiveEntry(target, foldAnnotation([fix])));
    expect(text).toContain('cache stampede');
    expect(text).not.toContain('cpu');
  });
});

describe('parseOccurredAt', () => {
  const now = new Date(2025, 2, 14, 14, 40, 30).getTime();

  it('reads a clock time as today, local time', () => {
    expect(parseOccurredAt('14:32', now)).toBe(new Date(2025, 2, 14, 14, 32, 0).getTime());
    expect(parseOccurredAt('9:05:07', now)).toBe(new Date(2025, 2, 14, 9, 5, 7).getTime());
    expect(parseOccurredAt('14h32', now)).toBe(new Date(2025, 2, 14, 14, 32, 0).getTime());
    // Within the minute being typed, still today.
    expect(parseOccurredAt('14:41', now)).toBe(new Date(2025, 2, 14, 14, 41, 0).getTime());
  });

  it('reads a time still to come today as yesterday (just after midnight, "23:50" is last night)', () => {
    const justAfterMidnight = new Date(2025, 2, 15, 0, 10, 0).getTime();
    expect(parseOccurredAt('23:50', justAfterMidnight)).toBe(new Date(2025, 2, 14, 23, 50, 0).getTime());
    expect(parseOccurredAt('15:00', now)).toBe(new Date(2025, 2, 13, 15, 0, 0).getTime());
  });

  it('reads "-5m" and "-1h" as that long before now, and "now" as now', () => {
    expect(parseOccurredAt('-5m', now)).toBe(now - 5 * MIN);
    expect(parseOccurredAt('-1h', now)).toBe(now - 60 * MIN);
    expect(parseOccurredAt(' -1h30m ', now)).toBe(now - 90 * MIN);
    expect(parseOccurredAt('now', now)).toBe(now);
  });

  it.each(['', '24:00', '14:60', '14:3', '5m', '-', '-x', 'yesterday', '14:32 pm'])('refuses %j', (input) => expect(parseOccurredAt(input, now)).toBeNull());
});
