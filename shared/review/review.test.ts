import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { foldIncident, viewIncident } from '../record/fold.js';
import { HlcClock, encodeHlc } from '../record/hlc.js';
import { reviewAction, type ReviewAction } from './review-arbitraries.js';
import { foldReview, orderAfter, orderBetween, viewReview } from './review.js';
import { sampleDrillEvents } from '../drills/sample-drill.js';

const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabc);
const T0 = Date.UTC(2025, 4, 6, 10, 0, 0);
const [A, B, C] = [uuid(0xa1), uuid(0xa2), uuid(0xa3)];

let nextId = 1;
function ev<K extends EventKind>(kind: K, payload: PayloadOf<K>, wall: number, node = 'dev-a', actor = 'Ada'): EventEnvelope {
  return parseEvent({
    id: uuid(0x1000 + nextId++),
    incidentId: INCIDENT,
    kind,
    payload,
    actor,
    deviceId: node,
    hlc: encodeHlc({ wall, counter: 0, node }),
    recordedAt: wall,
  });
}

const review = (events: EventEnvelope[]) => viewReview(foldReview(events));

describe('the review fold', () => {
  it('hides and shows entries again, the latest stamp winning', () => {
    const events = [ev('review.hidden', { targetId: A, hidden: true }, T0), ev('review.hidden', { targetId: B, hidden: true }, T0 + 1)];
    expect(review(events).hidden).toEqual([A, B]);
    const shownAgain = ev('review.hidden', { targetId: A, hidden: false }, T0 + 2);
    expect(review([shownAgain, ...events]).hidden).toEqual([B]);
  });

  it('marks and clears story moments, and keeps verdicts on hypotheses', () => {
    const events = [
      ev('review.moment', { targetId: A, moment: 'detection' }, T0),
      ev('review.moment', { targetId: B, moment: 'repair' }, T0 + 1),
      ev('review.moment', { targetId: B, moment: null }, T0 + 2),
      ev('review.hypothesis_state', { targetId: C, state: 'confirmed' }, T0 + 3),
      ev('review.hypothesis_state', { targetId: C, state: 'ruled_out' }, T0 + 4, 'dev-b'),
    ];
    const view = review(events);
    expect(view.moments).toEqual([{ targetId: A, moment: 'detection' }]);
    expect(view.hypotheses).toEqual([{ targetId: C, state: 'ruled_out' }]);
  });

  it('keeps comments beside their entries, oldest first, with who wrote them', () => {
    const first = ev('review.comment', { commentId: uuid(1), targetId: A, text: 'Nobody looked at this alert' }, T0, 'dev-b', 'Bruno');
    const second = ev('review.comment', { commentId: uuid(2), targetId: A, text: 'It was muted' }, T0 + 5);
    expect(review([second, first, first]).comments).toEqual([
      { id: uuid(1), targetId: A, text: 'Nobody looked at this alert', by: 'Bruno', at: T0 },
      { id: uuid(2), targetId: A, text: 'It was muted', by: 'Ada', at: T0 + 5 },
    ]);
  });

  it('orders the 5 whys by their place, and an edit keeps the first author', () => {
    const w1 = uuid(11);
    const w2 = uuid(12);
    const events = [
      ev('review.why', { whyId: w2, order: 2, why: 'Why no failover?', because: 'Health checks saw DC1 up', cites: [A] }, T0, 'dev-a', 'Ada'),
      ev('review.why', { whyId: w1, order: 1, why: 'Why did payments fail?', because: 'DC1 lost power', cites: [] }, T0 + 1, 'dev-b', 'Bruno'),
      // Moved to the front and edited by someone else.
      ev(
        'review.why',
        { whyId: w2, order: 0.5, why: 'Why no failover?', because: 'Health checks probe the VIP, not the nodes', cites: [A, B] },
        T0 + 2,
        'dev-c',
        'Chloé',
      ),
    ];
    const whys = review(events).whys;
    expect(whys.map((w) => [w.id, w.because, w.cites, w.by, w.at])).toEqual([
      [w2, 'Health checks probe the VIP, not the nodes', [A, B], 'Ada', T0],
      [w1, 'DC1 lost power', [], 'Bruno', T0 + 1],
    ]);
  });

  it('removes an item for good, even if an edit arrives after the removal', () => {
    const f = uuid(21);
    const events = [
      ev('review.factor', { factorId: f, category: 'process', text: 'No failover runbook', cites: [] }, T0),
      ev('review.removed', { itemId: f }, T0 + 1),
      ev('review.factor', { factorId: f, category: 'process', text: 'No failover runbook (edited offline)', cites: [] }, T0 + 2, 'dev-b'),
      ev('review.note', { noteId: uuid(22), section: 'went_well', text: 'Manual failover in 9 minutes', cites: [C] }, T0 + 3),
    ];
    const view = review(events);
    expect(view.factors).toEqual([]);
    expect(view.notes.map((n) => [n.section, n.text, n.cites])).toEqual([['went_well', 'Manual failover in 9 minutes', [C]]]);
  });

  it('ignores events that are not review events', () => {
    const events = [ev('timeline.entry', { entryKind: 'note', text: 'x', occurredAt: T0 }, T0), ev('review.hidden', { targetId: A, hidden: true }, T0 + 1)];
    expect(review(events)).toEqual({ ...review([]), hidden: [A] });
  });

  it('places new and moved links of the chain between their neighbours', () => {
    expect(orderAfter([])).toBe(1);
    expect(orderAfter([{ order: 1 }, { order: 4 }])).toBe(5);
    expect(orderBetween(null, null)).toBe(1);
    expect(orderBetween(null, 1)).toBe(0);
    expect(orderBetween(2, null)).toBe(3);
    expect(orderBetween(1, 2)).toBe(1.5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: a live incident (the sample drill) plus random review work from several laptops.

function drill(): EventEnvelope[] {
  let id = 0;
  let tick = 0;
  return sampleDrillEvents({
    incidentId: INCIDENT,
    newId: () => uuid(0x2000 + id++),
    deviceId: 'dev-live',
    actor: 'Ada',
    now: T0,
    clock: (offset) => encodeHlc({ wall: T0 + offset, counter: tick++, node: 'dev-live' }),
  });
}

const LIVE = drill();
const TARGETS = LIVE.map((e) => e.id);

const reviewScript: fc.Arbitrary<ReviewStep[]> = fc.array(
  fc.record({
    action: reviewAction(fc.constantFrom(...TARGETS)),
    device: fc.nat({ max: 2 }),
    advanceMs: fc.nat({ max: 60_000 }),
    sync: fc.boolean(),
  }),
  { maxLength: 40 },
);

interface ReviewStep {
  action: ReviewAction;
  device: number;
  advanceMs: number;
  /** Pull everything recorded so far before acting (a sync round), so some edits are concurrent and some are not. */
  sync: boolean;
}

function materialise(steps: ReviewStep[]): EventEnvelope[] {
  let wall = T0 + 3_600_000;
  const clocks = [0, 1, 2].map((i) => new HlcClock(`rev-${i}`, () => wall + i * 7_000));
  const out: EventEnvelope[] = [];
  steps.forEach((step, i) => {
    wall += step.advanceMs;
    const clock = clocks[step.device]!;
    if (step.sync) for (const e of out) clock.receive(e.hlc);
    out.push(
      parseEvent({
        id: uuid(0x9000 + i),
        incidentId: INCIDENT,
        kind: step.action.kind,
        payload: step.action.payload,
        actor: ['Ada', 'Bruno', 'Chloé'][step.device]!,
        deviceId: `rev-${step.device}`,
        hlc: clock.tick(),
        recordedAt: wall,
      }),
    );
  });
  return out;
}

/** A delivery: the events in some order, some of them more than once. */
const delivery = (events: EventEnvelope[]) =>
  fc.tuple(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.subarray(events));

describe('review properties', () => {
  it('any delivery order and any duplicates give the same review', () => {
    fc.assert(
      fc.property(
        reviewScript.map(materialise).chain((events) => fc.tuple(fc.constant(events), delivery(events))),
        ([events, [shuffled, again]]) => {
          expect(review([...shuffled, ...again])).toEqual(review(events));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('curating never changes the incident: its view is identical with and without review events', () => {
    const live = viewIncident(foldIncident(INCIDENT, LIVE));
    expect(live).not.toBeNull();
    fc.assert(
      fc.property(
        reviewScript.map(materialise).chain((events) => delivery([...LIVE, ...events])),
        ([mixed, again]) => {
          expect(viewIncident(foldIncident(INCIDENT, [...mixed, ...again]))).toEqual(live);
        },
      ),
      { numRuns: 200 },
    );
  });
});
