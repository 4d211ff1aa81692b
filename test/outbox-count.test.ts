import fc from 'fast-check';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { describe, expect, test } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { encodeHlc } from '../shared/record/hlc.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * The sync status says how many entries wait for the hub on every change notice, so the outbox
 * count is kept from one count to the next instead of scanning every waiting event each time.
 * Whatever happens to the outbox (entries typed here, events pulled from the hub, the hub
 * acknowledging, refusing one, a new hub history, a write rolled back), the count shown must be
 * the number of events that really leave on the next push.
 */
type Step =
  | { type: 'typed'; n: number }
  | { type: 'pulled'; n: number }
  | { type: 'acknowledged'; n: number }
  | { type: 'refused'; index: number }
  | { type: 'newHubHistory' }
  | { type: 'rolledBack'; n: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('typed' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ type: fc.constant('pulled' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ type: fc.constant('acknowledged' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ type: fc.constant('refused' as const), index: fc.nat({ max: 20 }) }),
  fc.record({ type: fc.constant('newHubHistory' as const) }),
  fc.record({ type: fc.constant('rolledBack' as const), n: fc.integer({ min: 1, max: 3 }) }),
);

describe('outbox count', () => {
  test('the pending count always equals what the next push would send', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const dir = tempDir();
        const store = Store.open(path.join(dir, STORE_FILE_NAME));
        try {
          const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
          const { incidentId } = core.handle('incident.declare', declareInput);
          let clock = Date.UTC(2026, 10, 25, 10, 0);
          const entries = (n: number, deviceId: string): EventEnvelope[] =>
            Array.from({ length: n }, () => {
              clock += 1000;
              return {
                id: uuidv7(),
                incidentId,
                kind: 'timeline.entry',
                payload: { entryKind: 'note', text: `Entry at ${clock}`, occurredAt: clock },
                actor: 'Alice',
                deviceId,
                hlc: encodeHlc({ wall: clock, counter: 0, node: deviceId }),
                recordedAt: clock,
              };
            });
          const waiting = () => store.outboxBatch(1_000_000);
          expect(store.outboxCount()).toBe(waiting().length);
          for (const s of steps) {
            if (s.type === 'typed') store.append(entries(s.n, core.deviceId), { outbox: true, now: clock });
            else if (s.type === 'pulled') store.append(entries(s.n, 'hub-peer'), { outbox: false, now: clock });
            else if (s.type === 'acknowledged') store.acknowledge(store.outboxBatch(s.n).map((w) => w.event.id));
            else if (s.type === 'refused') {
              const all = waiting();
              if (all.length)
                store.quarantineStored(new Map([[all[s.index % all.length]!.event.id, { code: 'refused_by_hub', reason: 'refused by the hub' }]]), clock);
            } else if (s.type === 'newHubHistory') store.restartHubHistory(null);
            else {
              // Counted inside a write that is then undone: the undone entries never count.
              expect(() =>
                store.db.transaction(() => {
                  store.append(entries(s.n, core.deviceId), { outbox: true, now: clock });
                  store.outboxCount();
                  throw new Error('undone');
                })(),
              ).toThrow('undone');
              // The seqs of the undone entries go to the next events stored: pulled ones, which never wait.
              store.append(entries(s.n + 1, 'hub-peer'), { outbox: false, now: clock });
            }
            expect(store.outboxCount()).toBe(waiting().length);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
