import { describe, expect, test } from 'vitest';
import type { ChangeNotice } from '../shared/api/api.js';
import { EVENT_KINDS, type EventEnvelope, type EventKind } from '../shared/record/events.js';
import { HlcClock } from '../shared/record/hlc.js';
import { shownAs } from '../shared/record/kinds.js';
import { SETTINGS_STREAM_ID } from '../shared/clocks/policy.js';
import type { WarroomCore } from '../electron/core/core.js';
import { openCore } from './library-fixtures.js';
import { KIND_SAMPLES, SAMPLE_IDS } from './kind-samples.js';
import { declareInput, tempDir } from './helpers.js';

/**
 * The change notice carries the timeline rows its events added and changed (#11, one round trip
 * per command). A new entry's row is built from the event just written rather than read back
 * (electron/store/timeline-rows.ts): whichever way a row is made, it must be exactly the row a
 * fresh timeline.query gives, for every event kind, made here or arriving from elsewhere.
 */

const INCIDENT = SAMPLE_IDS.incident;

function listen(core: WarroomCore): ChangeNotice[] {
  const notices: ChangeNotice[] = [];
  core.onChange((notice) => notices.push(notice));
  return notices;
}

/** Every row of the notice is the row timeline.query gives now, field for field; the added ones in the timeline's order. */
function expectRowsAsQueried(core: WarroomCore, incidentId: string, notice: ChangeNotice): void {
  const rows = core.handle('timeline.query', { incidentId, limit: 1000 }).rows;
  const byId = new Map(rows.map((row) => [row.event.id, row]));
  const { added, updated } = notice.timeline!;
  for (const row of [...added, ...updated]) expect(row, row.event.kind).toStrictEqual(byId.get(row.event.id));
  const addedIds = new Set(added.map((row) => row.event.id));
  expect(added.map((row) => row.event.id)).toEqual(rows.filter((row) => addedIds.has(row.event.id)).map((row) => row.event.id));
}

function fromElsewhere(kinds: readonly EventKind[]): EventEnvelope[] {
  const clock = new HlcClock('other-laptop', () => Date.UTC(2026, 10, 25, 9, 0));
  return kinds.map((kind, i) => ({
    id: kind === 'timeline.entry' ? SAMPLE_IDS.entry : `0190a0b0-0000-7000-8000-${String(EVENT_KINDS.indexOf(kind) + 1).padStart(12, '0')}`,
    incidentId: kind.startsWith('settings.') ? SETTINGS_STREAM_ID : INCIDENT,
    kind,
    payload: KIND_SAMPLES[kind] as Record<string, unknown>,
    actor: `[${kind}]`,
    deviceId: 'other-laptop',
    hlc: clock.tick(),
    recordedAt: Date.UTC(2026, 10, 25, 9, 0) + i,
  }));
}

describe('the rows a change notice carries are the rows timeline.query gives', () => {
  test('every event kind arriving from elsewhere, one at a time', () => {
    const { core } = openCore(tempDir());
    const notices = listen(core);
    for (const event of fromElsewhere(EVENT_KINDS)) {
      core.ingest([event]);
      const notice = notices.at(-1)!;
      expect(notice.eventIds, event.kind).toEqual([event.id]);
      // A team setting changes every view, and a breach may hide another: the timeline is read again.
      if (event.incidentId === SETTINGS_STREAM_ID || event.kind === 'sla.breached') {
        expect(notice.timeline, event.kind).toBeUndefined();
        continue;
      }
      expect(notice.timeline, event.kind).toBeDefined();
      expect(
        notice.timeline!.added.map((row) => row.event.id),
        event.kind,
      ).toEqual(shownAs(event.kind) === 'row' ? [event.id] : []);
      expectRowsAsQueried(core, INCIDENT, notice);
    }
    // The annotations of the samples name the entry: each one's notice carried it changed.
    const starred = notices.find((n) => n.kinds?.includes('timeline.starred'))!;
    expect(starred.timeline!.updated.map((row) => [row.event.id, row.starred])).toEqual([[SAMPLE_IDS.entry, true]]);
  });

  test('an entry whose annotations arrived first, or come in the same batch, carries them', () => {
    const { core } = openCore(tempDir());
    const notices = listen(core);
    const [declared, entry, corrected, starred] = fromElsewhere(['incident.declared', 'timeline.entry', 'timeline.corrected', 'timeline.starred']);
    core.ingest([declared!]);
    // The star first, alone: the entry then arrives already starred.
    core.ingest([starred!]);
    core.ingest([entry!]);
    expect(notices.at(-1)!.timeline!.added).toMatchObject([{ starred: true }]);
    expectRowsAsQueried(core, INCIDENT, notices.at(-1)!);

    const other = openCore(tempDir());
    const theirs = listen(other.core);
    other.core.ingest([declared!]);
    // The entry, then its correction and star in the same batch: the row added is the corrected, starred one.
    other.core.ingest([entry!, corrected!, starred!]);
    expect(theirs.at(-1)!.timeline!.added).toMatchObject([{ text: 'Error rate at 61%', starred: true, edits: 1 }]);
    expectRowsAsQueried(other.core, INCIDENT, theirs.at(-1)!);
    // And in the other order.
    const third = openCore(tempDir());
    const thirds = listen(third.core);
    third.core.ingest([declared!, starred!, corrected!, entry!]);
    expect(thirds.at(-1)!.timeline!.added.map((row) => row.event.kind)).toEqual(['incident.declared', 'timeline.entry']);
    expectRowsAsQueried(third.core, INCIDENT, thirds.at(-1)!);
  });

  test('every command made here, each notice against a fresh query', () => {
    const { core } = openCore(tempDir());
    const notices = listen(core);
    const check = () => expectRowsAsQueried(core, incidentId, notices.at(-1)!);
    const { incidentId } = core.handle('incident.declare', declareInput);
    check();
    core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    check();
    core.handle('incident.setPriority', { incidentId, impact: 'medium', urgency: 'low' });
    check();
    core.handle('incident.assignRole', { incidentId, role: 'scribe', person: 'Chloé' });
    check();
    core.handle('sla.pause', { incidentId, reason: 'waiting on the provider' });
    check();
    core.handle('sla.resume', { incidentId });
    check();
    const entries = (['note', 'decision', 'action', 'finding', 'hypothesis'] as const).map((entryKind, i) => {
      const { eventId } = core.handle('timeline.log', { incidentId, entryKind, text: `${entryKind} ${i}` });
      expect(notices.at(-1)!.timeline!.added.map((row) => row.event.id)).toEqual([eventId]);
      check();
      return eventId;
    });
    // Dated before the others: still the row the timeline shows.
    core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'earlier', occurredAt: Date.now() - 3_600_000 });
    check();
    core.handle('timeline.star', { incidentId, targetId: entries[0]!, starred: true });
    expect(notices.at(-1)!.timeline!.updated.map((row) => [row.event.id, row.starred])).toEqual([[entries[0], true]]);
    check();
    core.handle('timeline.correct', { incidentId, targetId: entries[1]!, text: 'decided otherwise', occurredAt: Date.now() - 60_000 });
    check();
    core.handle('timeline.redact', { incidentId, targetId: entries[2]!, reason: 'credential' });
    expect(notices.at(-1)!.timeline!.updated).toMatchObject([{ text: null, event: { payload: {} } }]);
    check();
    const { taskId } = core.handle('task.create', { incidentId, title: 'Roll back', owner: 'Bo', checkBackInMs: 600_000 });
    check();
    core.handle('task.assign', { incidentId, taskId, owner: 'Chloé' });
    check();
    core.handle('task.rename', { incidentId, taskId, title: 'Roll back v42' });
    check();
    core.handle('task.setDue', { incidentId, taskId, dueAt: Date.now() + 3_600_000 });
    check();
    core.handle('task.checkBack', { incidentId, taskId, inMs: 300_000 });
    check();
    core.handle('task.move', { incidentId, taskId, status: 'doing' });
    check();
    const { draftId } = core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'status_page', body: 'Payments failing' });
    check();
    core.handle('comms.edit', { incidentId, draftId, body: 'Payments failing; rolling back' });
    check();
    core.handle('comms.approve', { incidentId, draftId });
    check();
    core.handle('comms.send', { incidentId, draftId, channel: 'status_page' });
    check();
    expect(notices.every((notice) => notice.timeline !== undefined)).toBe(true);
  });
});
