import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { initI18n } from '../renderer/i18n/index.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * The core decides what time it is (issue #10, item 3): a time typed in the console ("14:32",
 * "-5m", "2026-03-14 17:00") reaches the core as typed and is read on the core's clock, in its
 * time zone. A wall time its zone shows twice (the clocks go back) or never (they go forward) is
 * refused with a stable reason, said in English and French, and nothing is recorded. Real store,
 * real core; its clock and zone are given so the test knows what "now" is.
 */
const PARIS = 'Europe/Paris';

function openAt(now: { at: number }) {
  const dir = tempDir();
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => now.at, timeZone: PARIS });
  const { incidentId } = core.handle('incident.declare', { ...declareInput, occurredAt: now.at - 3_600_000, detectedAt: now.at - 3_000_000 });
  return { store, core, incidentId };
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.body;
    throw error;
  }
  throw new Error('not refused');
};

describe('typed times, read by the core', () => {
  it('a check-back "14:32" is the next 14:32 on the core’s clock in its zone, whatever the caller thinks the time is', () => {
    // 13:00 in Paris (UTC+1 in December).
    const now = { at: Date.UTC(2026, 11, 3, 12, 0) };
    const { store, core, incidentId } = openAt(now);
    const { taskId } = core.handle('task.create', { incidentId, title: 'Call the bank back', owner: 'Gus', checkBackWhen: '14:32' });
    const task = () => core.handle('incident.get', { incidentId }).incident!.tasks.find((t) => t.id === taskId)!;
    expect(task().checkBackAt).toBe(Date.UTC(2026, 11, 3, 13, 32));
    // Past 14:32 by the core's clock: tomorrow's.
    now.at = Date.UTC(2026, 11, 3, 14, 0);
    core.handle('task.checkBack', { incidentId, taskId, when: '14h32' });
    expect(task().checkBackAt).toBe(Date.UTC(2026, 11, 4, 13, 32));
    core.handle('task.setDue', { incidentId, taskId, dueWhen: '2026-12-05' });
    expect(task().dueAt).toBe(Date.UTC(2026, 11, 5, 22, 59));
    store.close();
  });

  it('a corrected "23:50" typed at 00:10 is yesterday’s, on the core’s clock', () => {
    const now = { at: Date.UTC(2026, 11, 3, 23, 10) }; // 00:10 on the 4th in Paris
    const { store, core, incidentId } = openAt(now);
    const { eventId } = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Failover started' });
    core.handle('timeline.correct', { incidentId, targetId: eventId, occurredAtWhen: '23:50' });
    const row = core.handle('timeline.history', { incidentId, targetId: eventId }).row;
    expect(row.occurredAt).toBe(Date.UTC(2026, 11, 3, 22, 50));
    store.close();
  });

  it('a declaration’s times typed in the form are read in the core’s zone; left untouched they are the core’s now; one still to come is refused', () => {
    const now = { at: Date.UTC(2026, 11, 3, 12, 0) }; // 13:00 in Paris
    const { store, core } = openAt(now);
    const declared = (input: Record<string, unknown>) => {
      const { incidentId } = core.handle('incident.declare', { ...declareInput, occurredAt: undefined, detectedAt: undefined, ...input });
      return core.handle('incident.get', { incidentId }).incident!;
    };
    const typed = declared({ occurredAtWhen: '2026-12-03 12:30', detectedAtWhen: 'now' });
    expect([typed.occurredAt, typed.detectedAt]).toEqual([Date.UTC(2026, 11, 3, 11, 30), now.at]);
    // The form sends "now" for a field left as pre-filled, whatever the window's clock showed in it.
    const untouched = declared({ occurredAtWhen: 'now', detectedAtWhen: 'now' });
    expect([untouched.occurredAt, untouched.detectedAt]).toEqual([now.at, now.at]);

    const before = store.eventCount();
    const ahead = refusal(() => declared({ occurredAtWhen: '2026-12-03 17:00', detectedAtWhen: 'now' }));
    expect(ahead).toMatchObject({ code: 'invalid_input', reason: 'time_not_past', params: { value: '2026-12-03 17:00' } });
    const reversed = refusal(() => declared({ occurredAtWhen: 'now', detectedAtWhen: '2026-12-03 12:30' }));
    expect(reversed).toMatchObject({ reason: 'detected_before_occurred' });
    // Both forms of the same time, or neither, is a malformed call, refused by the schema.
    const both = refusal(() => declared({ occurredAt: now.at, occurredAtWhen: 'now', detectedAtWhen: 'now' }));
    expect(both).toMatchObject({ code: 'invalid_input', issues: [expect.objectContaining({ path: 'occurredAt' })] });
    expect(refusal(() => declared({ detectedAtWhen: 'now' }))).toMatchObject({ code: 'invalid_input' });
    expect(store.eventCount()).toBe(before);
    const i18n = initI18n('en');
    expect(i18n.t('record.errors.reason.time_not_past', { lng: 'fr', value: '17:00' })).toMatch(/^17:00 est encore à venir/);
    store.close();
  });

  it('refuses a time the zone shows twice or never, and one it cannot read, with reasons said in English and French, recording nothing', () => {
    // 25 October 2026, 06:00 in Paris: 02:00–03:00 happened twice (summer time ended at 03:00).
    const now = { at: Date.UTC(2026, 9, 25, 5, 0) };
    const { store, core, incidentId } = openAt(now);
    const { eventId } = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'DNS answered again' });
    const before = store.eventCount();
    const twice = refusal(() => core.handle('timeline.correct', { incidentId, targetId: eventId, occurredAtWhen: '02:30' }));
    expect(twice).toMatchObject({ code: 'invalid_input', reason: 'ambiguous_time', params: { value: '02:30' } });
    // 02:30 on the night summer time starts (29 March 2027, clocks 02:00 → 03:00) never happens.
    now.at = Date.UTC(2027, 2, 27, 12, 0);
    const never = refusal(() => core.handle('task.create', { incidentId, title: 'Check the batch', checkBackWhen: '2027-03-28 02:30' }));
    expect(never).toMatchObject({ reason: 'skipped_time' });
    const unreadable = refusal(() => core.handle('task.create', { incidentId, title: 'Check the batch', checkBackWhen: '25:99' }));
    expect(unreadable).toMatchObject({ reason: 'unreadable_time' });
    expect(store.eventCount()).toBe(before);

    const i18n = initI18n('en');
    const say = i18n.t.bind(i18n) as (key: string, options: Record<string, unknown>) => string;
    for (const body of [twice, never, unreadable]) {
      for (const lng of ['en', 'fr']) {
        const text = say(`record.errors.reason.${body.reason}`, { lng, fallbackLng: [], ...body.params });
        expect(text, `${lng} ${body.reason}`).toContain(String(body.params!['value']));
      }
    }
    expect(i18n.t('record.errors.reason.ambiguous_time', { lng: 'fr', value: '02:30' })).toMatch(/revient deux fois/);
    store.close();
  });
});
