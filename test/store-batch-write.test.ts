import fc from 'fast-check';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { ROWS_PER_STATEMENT } from '../electron/store/many-rows.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { declareInput, farEvent, shownCounts, tempDir } from './helpers.js';

/**
 * A batch (a pulled page, an import) is written many rows to a statement (electron/store/log-writer.ts,
 * TimelineRows' pending rows); one event at a time goes through one-row statements. Whatever the
 * order and the duplicates, both must leave exactly the same store behind.
 */

const AT = Date.UTC(2026, 10, 25, 10, 0);
let tick = 0;
const event = (incidentId: string, kind: string, payload: Record<string, unknown>, wall = AT + ++tick * 1000) => farEvent(incidentId, kind, payload, wall);

/** Two incidents' worth of what a pull brings: entries, every kind of annotation, breaches of one clock, a second declaration, a review removal, an unknown kind, a far-ahead stamp. */
function pool(): EventEnvelope[] {
  const a = uuidv7();
  const b = uuidv7();
  const declared = (incidentId: string) => event(incidentId, 'incident.declared', { ...declareInput, declaredAt: AT, drill: false });
  const entries = Array.from({ length: 10 }, (_, i) =>
    event(i % 3 === 2 ? b : a, 'timeline.entry', { entryKind: i % 2 ? 'decision' : 'note', text: `Entry ${i} on edge-${i}`, occurredAt: AT + i * 60_000 }),
  );
  const e = (i: number) => entries[i]!;
  const note = event(a, 'review.note', { noteId: uuidv7(), section: 'lesson', text: 'Deploy behind a flag', cites: [] });
  return [
    declared(a),
    declared(b),
    ...entries,
    declared(a),
    event(a, 'timeline.starred', { targetId: e(0).id, starred: true, occurredAt: AT + 1 }),
    event(a, 'timeline.starred', { targetId: e(0).id, starred: false, occurredAt: AT + 2 }),
    event(a, 'timeline.corrected', { targetId: e(1).id, newText: 'Entry 1, corrected', occurredAt: AT + 3 }),
    event(a, 'timeline.corrected', { targetId: e(3).id, newOccurredAt: AT - 3_600_000, occurredAt: AT + 4 }),
    event(a, 'timeline.redacted', { targetId: e(4).id, reason: 'credential', occurredAt: AT + 5 }),
    // Named across incidents: never folded into the other incident's row.
    event(a, 'timeline.starred', { targetId: e(2).id, starred: true, occurredAt: AT + 6 }),
    event(b, 'timeline.starred', { targetId: e(5).id, starred: true, occurredAt: AT + 7 }),
    event(a, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: AT + 8 }, AT + 50_000),
    event(a, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: AT + 9 }, AT + 40_000),
    event(a, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: AT + 10 }, AT + 45_000),
    // Stamped far ahead of the laptop's clock: kept quarantined, never folded nor shown.
    event(a, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: AT + 11 }, Date.now() + 30 * 86_400_000),
    // The earliest stamp of the clock's breaches, but dated in the laptop's future: quarantined, so it must not hide the others.
    event(a, 'sla.breached', { clock: 'response', priority: 'P1', targetMs: 900_000, occurredAt: Date.now() + 30 * 86_400_000 }, AT + 30_000),
    note,
    event(a, 'review.removed', { itemId: note.payload['noteId'] }),
    event(a, 'x.from_a_newer_version', { anything: 1, occurredAt: AT + 12 }),
  ];
}

function openStore(): { store: Store; core: WarroomCore } {
  const dir = tempDir('warroom-batch-');
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  return { store, core: new WarroomCore(store, { dataDir: dir, transport: 'browser' }) };
}

/** Everything the write path leaves in the store, seq for seq. */
function contents(store: Store): Record<string, unknown[]> {
  const all = (sql: string) => store.db.prepare(sql).all();
  return {
    events: all('SELECT * FROM events ORDER BY seq'),
    rows: all('SELECT * FROM timeline_rows ORDER BY seq'),
    counts: all('SELECT * FROM timeline_shown_counts ORDER BY incident_id'),
    quarantine: all('SELECT seq, code, reason FROM quarantine ORDER BY seq'),
    incidents: all('SELECT * FROM incidents ORDER BY id'),
    pending: [store.outboxCount()],
  };
}

describe('writing a batch many rows to a statement', () => {
  it('leaves the store exactly as writing its events one at a time, whatever the order, the splits and the duplicates', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...pool().keys()], { minLength: pool().length, maxLength: pool().length }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
        fc.nat({ max: 5 }),
        (permutation, splits, repeats, storedFirst) => {
          const events = pool();
          // Any order (an annotation may come before its target), some events twice, some stored before the batch.
          const order = permutation.map((i) => events[i]!);
          for (const [at, which] of repeats) order.splice(at % (order.length + 1), 0, events[which % events.length]!);
          const before = order.slice(0, storedFirst);
          const batched = openStore();
          const single = openStore();
          try {
            for (const side of [batched, single]) for (const e of before) side.core.ingest([e]);
            for (let from = 0, k = 0; from < order.length; k++) {
              const to = Math.min(order.length, from + splits[k % splits.length]!);
              batched.core.ingest(order.slice(from, to));
              from = to;
            }
            for (const e of order) single.core.ingest([e]);
            expect(contents(batched.store)).toEqual(contents(single.store));
            // Each incident's count of shown rows (added to per statement, migration 15) is what the rows say.
            expect(shownCounts(batched.store.db).kept).toEqual(shownCounts(batched.store.db).counted);
          } finally {
            batched.store.close();
            single.store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('writes a page larger than one statement holds, with its own events coming back and the same id twice, each event once', () => {
    const { store, core } = openStore();
    try {
      const incidentId = core.handle('incident.declare', declareInput).incidentId;
      for (let i = 0; i < 5; i++) core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Typed here ${i}` });
      const own = [...store.allEvents()];
      const foreign = Array.from({ length: ROWS_PER_STATEMENT * 3 + 5 }, (_, i) =>
        event(incidentId, 'timeline.entry', { entryKind: 'note', text: `Pulled ${i}`, occurredAt: AT + i }),
      );
      // The hub hands this laptop's own events back amid the others, and one twice.
      const page = [...foreign.slice(0, 70), ...own, foreign[3]!, ...foreign.slice(70)];
      const inserted = core.ingest(page).inserted;
      expect(inserted.map((e) => e.id)).toEqual(foreign.map((e) => e.id));
      expect(store.eventCount()).toBe(own.length + foreign.length);
      const seqs = store.db.prepare<[], { seq: number; id: string }>('SELECT seq, id FROM events ORDER BY seq').all();
      expect(seqs.map((r) => r.id)).toEqual([...own, ...foreign].map((e) => e.id));
      const rows = store.db.prepare<[], { seq: number }>('SELECT seq FROM timeline_rows ORDER BY seq').all();
      expect(rows.map((r) => r.seq)).toEqual(seqs.map((r) => r.seq));
      expect(core.handle('timeline.query', { incidentId, limit: 500 }).total).toBe(own.length + foreign.length);
      // Pulled again (a failed round): nothing is written twice.
      expect(core.ingest(page).inserted).toEqual([]);
      expect(store.eventCount()).toBe(own.length + foreign.length);
    } finally {
      store.close();
    }
  });

  it('a batch that fails part-way writes nothing, not even the rows waiting to be written', () => {
    const { store, core } = openStore();
    try {
      const incidentId = core.handle('incident.declare', declareInput).incidentId;
      const before = JSON.stringify(contents(store));
      const declared = [...store.allEvents()][0]!;
      const page = Array.from({ length: ROWS_PER_STATEMENT + 10 }, (_, i) =>
        event(incidentId, 'timeline.entry', { entryKind: 'note', text: `Pulled ${i}`, occurredAt: AT + i }),
      );
      // The declaration back from the hub: the first statement's rows leave one timeline row short of a
      // statement, still waiting when the second statement fails on a payload that is no JSON.
      page.unshift(declared);
      page[ROWS_PER_STATEMENT + 5] = { ...page[ROWS_PER_STATEMENT + 5]!, payload: { toJSON: () => undefined } as unknown as Record<string, unknown> };
      expect(() => store.append(page, { builtFromValidatedInput: true })).toThrow();
      expect(JSON.stringify(contents(store))).toBe(before);
      // The store still writes afterwards, and what waited was never written outside the failed transaction.
      core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'After the failure' });
      expect(store.eventCount()).toBe(2);
      // Typed entries' rows are written after their commit (TimelineRows.settle): the declaration's, which the failed
      // transaction had written first, waits again and is written once.
      store.timelineRows.settle();
      expect(store.db.prepare('SELECT count(*) AS n FROM timeline_rows').get()).toEqual({ n: 2 });
    } finally {
      store.close();
    }
  });
});
