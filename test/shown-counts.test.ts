import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { TimelineRows } from '../electron/store/timeline-rows.js';
import { SLA_CLOCKS, type SlaClockName } from '../shared/record/events.js';
import type { QuarantineReason } from '../shared/record/untrusted.js';
import { declareInput, farEvent, shownCounts, tempDir, unlessRefused } from './helpers.js';

/**
 * The number of rows an incident's timeline shows, as the console gets it before the incident's
 * index is in memory (the first window's total, TimelineRows.windowFromDisk), is kept without a
 * write per append (migration 16: counts up to a marker, the rows after it counted when read).
 * Whatever happens to the rows, it must stay what a plain count of them says.
 */

const AT = Date.UTC(2026, 10, 25, 10, 0);
let wall = AT;

const pulled = (incidentId: string, kind: string, payload: Record<string, unknown>, at = (wall += 1000)) => farEvent(incidentId, kind, payload, at);

type Step =
  | { kind: 'note' | 'pull'; incident: number; count: number }
  | { kind: 'correct' | 'redact' | 'star' | 'quarantine'; pick: number }
  | { kind: 'breaches'; incident: number; clock: SlaClockName }
  | { kind: 'restart' | 'rebuild' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), incident: fc.nat({ max: 1 }), count: fc.integer({ min: 1, max: 4 }) }),
  // Now and then a page large enough to take the rows past the marker's fold (a thousand).
  fc.record({
    kind: fc.constant('pull' as const),
    incident: fc.nat({ max: 1 }),
    count: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 900, max: 1200 })),
  }),
  fc.record({ kind: fc.constantFrom('correct' as const, 'redact' as const, 'star' as const, 'quarantine' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('breaches' as const), incident: fc.nat({ max: 1 }), clock: fc.constantFrom(...SLA_CLOCKS) }),
  fc.record({ kind: fc.constantFrom('restart' as const, 'rebuild' as const) }),
);

const EVERYTHING = { text: '', kinds: [], actors: [], starred: false };

describe('the shown count of each incident', () => {
  it('stays what a plain count of the rows says after new entries, corrections, redactions, stars, pulls, breaches, quarantine, restarts and rebuilds', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
        const dir = tempDir('warroom-counts-');
        const file = path.join(dir, STORE_FILE_NAME);
        let store = Store.open(file);
        let core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
        const incidents = [core.handle('incident.declare', declareInput).incidentId, core.handle('incident.declare', declareInput).incidentId];
        const entries: { incidentId: string; id: string }[] = [];
        const reopen = () => {
          store.close();
          store = Store.open(file);
          core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
        };
        try {
          for (const s of steps) {
            switch (s.kind) {
              case 'note':
                for (let i = 0; i < s.count; i++) {
                  const incidentId = incidents[s.incident]!;
                  entries.push({ incidentId, id: core.handle('timeline.log', { incidentId, entryKind: 'note', text: `Typed ${i}` }).eventId });
                }
                break;
              case 'pull': {
                const incidentId = incidents[s.incident]!;
                const page = Array.from({ length: s.count }, (_, i) =>
                  pulled(incidentId, 'timeline.entry', { entryKind: 'note', text: `Pulled ${i}`, occurredAt: AT + i }),
                );
                core.ingest(page);
                for (const e of page) entries.push({ incidentId, id: e.id });
                break;
              }
              case 'breaches': {
                // Two laptops' breaches of one clock, the earlier stamp arriving last: only the earliest of the clock's is shown.
                const incidentId = incidents[s.incident]!;
                const clock = s.clock;
                const breach = (at: number) => pulled(incidentId, 'sla.breached', { clock, priority: 'P1', targetMs: 900_000, occurredAt: at }, at);
                core.ingest([breach(wall + 5000)]);
                core.ingest([breach(wall + 1000)]);
                wall += 6000;
                break;
              }
              case 'correct':
              case 'redact':
              case 'star':
              case 'quarantine': {
                const target = entries[s.pick % Math.max(1, entries.length)];
                if (!target) break;
                // Already redacted, already starred, quarantined: refused, nothing written.
                unlessRefused(() => {
                  if (s.kind === 'correct') core.handle('timeline.correct', { incidentId: target.incidentId, targetId: target.id, occurredAt: AT - s.pick });
                  if (s.kind === 'redact') core.handle('timeline.redact', { incidentId: target.incidentId, targetId: target.id, reason: 'wrong incident' });
                  if (s.kind === 'star') core.handle('timeline.star', { incidentId: target.incidentId, targetId: target.id, starred: true });
                });
                if (s.kind === 'quarantine')
                  store.quarantineStored(
                    new Map<string, QuarantineReason>([[target.id, { code: 'invalid_payload', reason: 'refused by the hub' }]]),
                    Date.now(),
                  );
                break;
              }
              case 'restart':
                reopen();
                break;
              case 'rebuild':
                store.db.prepare("DELETE FROM meta WHERE key = 'timeline.rowsVersion'").run();
                reopen();
                break;
            }
            for (const incidentId of incidents) {
              // Read first: rows of entries typed here are written after their commit, before anything reads them.
              const shown = store.timelineRows.shownCount(incidentId);
              const counted = store.db.prepare('SELECT count(*) FROM timeline_rows WHERE incident_id = ? AND shown = 1').pluck().get(incidentId);
              expect(shown).toBe(counted);
              expect(shownCounts(store.db).kept).toEqual(shownCounts(store.db).counted);
              // As the console asks it when the incident opens: the newest window, from disk.
              const fresh = new TimelineRows(store.db);
              const window = fresh.query({ incidentId, filter: EVERYTHING, offset: 0, limit: 60, fromEnd: true });
              const filtered = fresh.query({ incidentId, filter: { ...EVERYTHING, text: 'zz-none' }, offset: 0, limit: 60, fromEnd: true });
              fresh.forget();
              expect({ total: window.total, all: window.all, allFiltered: filtered.all }).toEqual({ total: counted, all: counted, allFiltered: counted });
            }
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
