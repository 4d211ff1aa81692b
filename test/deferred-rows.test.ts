import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { declareInput, farEvent, tempDir, unlessRefused } from './helpers.js';

/**
 * An entry typed here is committed alone (its event: the write the person waits on) and its
 * timeline row written right after, by the next write or read, or derived at the next open when
 * the process died first (TimelineRows' deferred rows, issue #11). Whatever happens in between,
 * the console must show exactly what a store built from the same log shows.
 */

const AT = Date.UTC(2026, 10, 25, 10, 0);
let wall = AT;
const EVERYTHING = { text: '', kinds: [], actors: [], starred: false };

type Step =
  | { kind: 'note' | 'pull'; count: number }
  | { kind: 'correct' | 'redact' | 'star' | 'history'; pick: number }
  | { kind: 'query' | 'turn' | 'crash' | 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('note' as const), count: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 250, max: 270 })) }),
  },
  fc.record({ kind: fc.constant('pull' as const), count: fc.integer({ min: 1, max: 5 }) }),
  ...(['correct', 'redact', 'star', 'history'] as const).map((kind) => fc.record({ kind: fc.constant(kind), pick: fc.nat() })),
  ...(['query', 'turn', 'turn', 'crash', 'restart'] as const).map((kind) => fc.record({ kind: fc.constant(kind) })),
);

/** What the console shows of the incident, every row, a window at a time. */
function shown(core: WarroomCore, incidentId: string) {
  const rows: unknown[] = [];
  for (let offset = 0; ; offset += 1000) {
    const window = core.handle('timeline.query', { incidentId, filter: EVERYTHING, offset, limit: 1000, fromEnd: false });
    rows.push(...window.rows);
    if (offset + 1000 >= window.total) return { total: window.total, all: window.all, rows };
  }
}

/** The same incident as a store built from the log alone shows it. */
function fromTheLog(store: Store, incidentId: string) {
  const fresh = Store.open(':memory:');
  try {
    const core = new WarroomCore(fresh, { dataDir: tempDir(), transport: 'browser' });
    core.ingest([...store.allEvents()]);
    return shown(core, incidentId);
  } finally {
    fresh.close();
  }
}

describe('the rows of entries typed here, written after their commit', () => {
  it('show what the log says after any mix of typing, annotations, pulls, reads, turns, restarts and kill -9', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const dir = tempDir('warroom-deferred-');
        const file = path.join(dir, STORE_FILE_NAME);
        let store = Store.open(file);
        let core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
        const incidentId = core.handle('incident.declare', declareInput).incidentId;
        const entries: string[] = [];
        const open = () => {
          store = Store.open(file);
          core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
        };
        try {
          for (const s of steps) {
            switch (s.kind) {
              case 'note':
                // More than the rows left for later at most: a burst with no turn between writes them in its course.
                for (let i = 0; i < s.count; i++) entries.push(core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Typed ${i}` }).eventId);
                break;
              case 'pull': {
                const page: EventEnvelope[] = Array.from({ length: s.count }, (_, i) =>
                  farEvent(incidentId, 'timeline.entry', { entryKind: 'note', text: `Pulled ${i}`, occurredAt: AT - i }, (wall += 1000)),
                );
                // A teammate's annotation of the newest entry typed here, which may still wait for its row.
                const last = entries[entries.length - 1];
                if (last) {
                  const at = (wall += 1000);
                  page.push(farEvent(incidentId, 'timeline.starred', { targetId: last, starred: true, occurredAt: at }, at));
                }
                core.ingest(page);
                break;
              }
              case 'correct':
              case 'redact':
              case 'star':
              case 'history': {
                const targetId = entries[s.pick % Math.max(1, entries.length)];
                if (!targetId) break;
                // Already redacted or starred: refused, nothing written.
                unlessRefused(() => {
                  if (s.kind === 'correct') core.handle('timeline.correct', { incidentId, targetId, text: `Corrected ${s.pick}` });
                  if (s.kind === 'redact') core.handle('timeline.redact', { incidentId, targetId, reason: 'wrong incident' });
                  if (s.kind === 'star') core.handle('timeline.star', { incidentId, targetId, starred: true });
                  if (s.kind === 'history') expect(core.handle('timeline.history', { incidentId, targetId }).row.event.id).toBe(targetId);
                });
                break;
              }
              case 'query':
                // The timeline read in between (its index then kept in memory, read from disk a slice a turn).
                shown(core, incidentId);
                break;
              case 'turn':
                await new Promise((resolve) => setImmediate(resolve));
                break;
              case 'crash':
                // kill -9: the connection ends with nothing more written, whatever waited in memory.
                store.db.close();
                open();
                break;
              case 'restart':
                store.close();
                open();
                break;
            }
            expect(shown(core, incidentId)).toEqual(fromTheLog(store, incidentId));
          }
          store.db.close();
          open();
          expect(shown(core, incidentId)).toEqual(fromTheLog(store, incidentId));
        } finally {
          store.close();
        }
      }),
      { numRuns: 12 },
    );
  });

  it('a store found damaged while a row waits still answers the timeline, and the row is derived at the next open', () => {
    const dir = tempDir('warroom-deferred-');
    const file = path.join(dir, STORE_FILE_NAME);
    let store = Store.open(file);
    try {
      let core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
      const incidentId = core.handle('incident.declare', declareInput).incidentId;
      const { eventId } = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Typed just before the damage was found' });
      // SQLite refuses every write from now on: the row cannot be written.
      store.markDamaged('a page failed its check');
      expect(() => shown(core, incidentId)).not.toThrow();
      store.close();
      store = Store.open(file);
      core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
      expect(shown(core, incidentId).rows.map((r) => (r as { event: { id: string } }).event.id)).toContain(eventId);
    } finally {
      store.close();
    }
  });
  it('a burst of entries with no turn in between writes the waiting rows a few at a time, never hundreds in one append', async () => {
    const dir = tempDir('warroom-deferred-');
    const store = Store.open(path.join(dir, STORE_FILE_NAME));
    try {
      const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
      const incidentId = core.handle('incident.declare', declareInput).incidentId;
      const rowsOnDisk = () => store.db.prepare('SELECT count(*) FROM timeline_rows WHERE incident_id = ?').pluck().get(incidentId) as number;
      const events = () => store.db.prepare('SELECT count(*) FROM events WHERE incident_id = ?').pluck().get(incidentId) as number;
      let before = rowsOnDisk();
      const written: number[] = [];
      for (let i = 0; i < 700; i++) {
        core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Typed ${i}` });
        const now = rowsOnDisk();
        written.push(now - before);
        before = now;
        // At most 256 rows wait for their write, whatever the length of the burst.
        expect(events() - now).toBeLessThanOrEqual(256);
      }
      // Each append writes at most 16 rows of earlier entries (and never its own, which waits).
      expect(Math.max(...written)).toBeLessThanOrEqual(16);
      await new Promise((resolve) => setImmediate(resolve));
      // On the next turn every row is written, in order, as a store built from the log shows them.
      expect(rowsOnDisk()).toBe(events());
      expect(shown(core, incidentId)).toEqual(fromTheLog(store, incidentId));
    } finally {
      store.close();
    }
  });
  it("every write the person waits on commits with synchronous=FULL, before and after the rows' own write, and when that write fails", async () => {
    const dir = tempDir('warroom-deferred-');
    const store = Store.open(path.join(dir, STORE_FILE_NAME));
    try {
      const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
      const incidentId = core.handle('incident.declare', declareInput).incidentId;
      const synchronous = () => store.db.pragma('synchronous', { simple: true });
      const rowsOnDisk = () => store.db.prepare('SELECT count(*) FROM timeline_rows WHERE incident_id = ?').pluck().get(incidentId) as number;
      core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'First' });
      expect(synchronous()).toBe(2);
      const before = rowsOnDisk();
      await new Promise((resolve) => setImmediate(resolve));
      // The rows were written on the turn (derived data, their commit does not wait for the disk)…
      expect(rowsOnDisk()).toBeGreaterThan(before);
      // …and the next entry is committed as durably as ever.
      expect(synchronous()).toBe(2);
      core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Second' });
      // SQLite refuses writes from now on: the rows' own write fails, the setting is still put back.
      store.markDamaged('a page failed its check');
      expect(() => shown(core, incidentId)).not.toThrow();
      expect(synchronous()).toBe(2);
    } finally {
      store.close();
    }
  });
});
