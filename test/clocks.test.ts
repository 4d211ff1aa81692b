import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SETTINGS_STREAM_ID } from '../shared/clocks/policy.js';
import { declareInput, shownCounts, tempDir } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 25, 9, 10);

/** A core whose clock the test moves, on a real SQLite file. */
function openCore(dir = tempDir()) {
  const clock = { now: T0 };
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => clock.now });
  return { store, core, clock };
}

/** Everything one laptop recorded, as the hub would hand it to another. */
function shareAll(from: Store, to: WarroomCore) {
  to.ingest([...from.allEvents()]);
}

describe('team settings are events on their own stream', () => {
  test('a policy change reaches incident.get, and the settings stream is never listed as an incident', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    expect(core.handle('incident.get', { incidentId }).slaPolicy.P1.responseMs).toBe(15 * MIN);

    core.handle('settings.setSla', { priority: 'P1', responseMs: 10 * MIN, pausable: false });
    expect(core.handle('incident.get', { incidentId }).slaPolicy.P1).toEqual({ responseMs: 10 * MIN, resolutionMs: 240 * MIN, pausable: false });
    expect(core.handle('settings.get', {}).slaPolicy.P1.responseMs).toBe(10 * MIN);
    expect(core.handle('incidents.list', {}).map((i) => i.id)).toEqual([incidentId]);
    expect(core.handle('timeline.list', { incidentId }).entries.map((e) => e.kind)).toEqual(['incident.declared']);
    expect(store.incidentEvents(SETTINGS_STREAM_ID).map((e) => e.kind)).toEqual(['settings.sla']);
    store.close();
  });

  test('records only the fields that change, refuses a change that changes nothing, and says why input is wrong', () => {
    const { store, core } = openCore();
    core.handle('settings.setSla', { priority: 'P2', responseMs: 30 * MIN, resolutionMs: 6 * 60 * MIN });
    expect(store.incidentEvents(SETTINGS_STREAM_ID).map((e) => e.payload)).toEqual([{ priority: 'P2', resolutionMs: 6 * 60 * MIN }]);
    expect(() => core.handle('settings.setSla', { priority: 'P2', responseMs: 30 * MIN })).toThrow('The P2 policy is unchanged.');
    expect(() => core.handle('settings.setSla', { priority: 'P2', responseMs: 1000 })).toThrow('responseMs: must be at least one minute');
    expect(() => core.handle('settings.setCallout', { everyMs: -1 })).toThrow(/everyMs/);
    store.close();
  });

  test('a new audience is recorded with its whole cadence; switching one off keeps it listed as inactive', () => {
    const { store, core } = openCore();
    core.handle('settings.setAudience', {
      audience: 'Regulators',
      firstMs: 60 * MIN,
      everyMs: 4 * 60 * MIN,
      longEveryMs: null,
      longAfterMs: 120 * MIN,
      active: true,
    });
    core.handle('settings.setAudience', { audience: 'executives', active: false });
    const { audiences } = core.handle('settings.get', {});
    expect(audiences.map((a) => `${a.name}:${a.active}`)).toEqual(['customers:true', 'internal:true', 'executives:false', 'Regulators:true']);
    expect(audiences[3]).toMatchObject({ firstMs: 60 * MIN, everyMs: 4 * 60 * MIN, longEveryMs: null, builtin: false });
    store.close();
  });

  test('settings pulled from another laptop apply at once', () => {
    const a = openCore();
    const b = openCore();
    b.core.handle('settings.setSla', { priority: 'P1', resolutionMs: 2 * 60 * MIN });
    b.core.handle('settings.setCallout', { everyMs: null });
    expect(a.core.handle('settings.get', {}).slaPolicy.P1.resolutionMs).toBe(4 * 60 * MIN);
    shareAll(b.store, a.core);
    expect(a.core.handle('settings.get', {})).toMatchObject({ slaPolicy: { P1: { resolutionMs: 2 * 60 * MIN } }, callout: { everyMs: null } });
    expect(a.core.handle('incidents.list', {})).toEqual([]);
    a.store.close();
    b.store.close();
  });
});

describe('SLA breaches are recorded once', () => {
  test('only the core’s clock records a breach: once, stamped when the target ran out; no channel lets a window state one', () => {
    const { store, core, clock } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    clock.now = T0 + 15 * MIN;
    expect(core.noticeBreaches()).toBe(0);
    clock.now = T0 + 16 * MIN;
    expect(core.noticeBreaches()).toBe(1);
    clock.now = T0 + 30 * MIN;
    expect(core.noticeBreaches()).toBe(0);
    // The renderer used to tell the core when its own clock saw a breach: that channel is gone.
    expect(() => core.handle('sla.noteBreach', { incidentId, clock: 'response', at: T0 + 20 * MIN })).toThrow('Unknown channel: sla.noteBreach');

    const breaches = core.handle('timeline.list', { incidentId }).entries.filter((e) => e.kind === 'sla.breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.payload).toEqual({ clock: 'response', priority: 'P1', targetMs: 15 * MIN, occurredAt: T0 + 15 * MIN });
    expect(core.handle('incident.get', { incidentId }).incident!.breaches).toMatchObject({
      response: { eventId: breaches[0]!.id, at: T0 + 15 * MIN },
      resolution: null,
    });
    store.close();
  });

  test('a pause and a resume are stamped by the core’s clock; no channel lets a window state their time', () => {
    const { store, core, clock } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    clock.now = T0 + 3 * MIN;
    core.handle('sla.pause', { incidentId, reason: 'waiting on the supplier' });
    clock.now = T0 + 7 * MIN;
    core.handle('sla.resume', { incidentId });
    const stamped = core
      .handle('timeline.list', { incidentId })
      .entries.filter((e) => e.kind.startsWith('sla.'))
      .map((e) => [e.kind, e.payload['occurredAt']]);
    expect(stamped).toEqual([
      ['sla.paused', T0 + 3 * MIN],
      ['sla.resumed', T0 + 7 * MIN],
    ]);
    // A window that sends its own time is refused, and nothing is recorded.
    const windowTime = T0 + 4 * 60 * MIN;
    expect(() => core.handle('sla.pause', { incidentId, reason: 'late window', occurredAt: windowTime } as never)).toThrow(/occurredAt/);
    expect(() => core.handle('sla.resume', { incidentId, occurredAt: windowTime } as never)).toThrow(/occurredAt/);
    expect(core.handle('timeline.list', { incidentId }).entries.filter((e) => e.kind.startsWith('sla.'))).toHaveLength(2);
    store.close();
  });

  test('the watch notices breaches against this machine’s clock, skipping paused time and closed incidents', () => {
    const { store, core, clock } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    const closed = core.handle('incident.declare', { ...declareInput, title: 'Old one' }).incidentId;
    core.handle('incident.setStatus', { incidentId: closed, status: 'closed' });
    clock.now = T0 + 5 * MIN;
    core.handle('sla.pause', { incidentId, reason: 'waiting on the supplier' });
    clock.now = T0 + 15 * MIN;
    core.handle('sla.resume', { incidentId });

    clock.now = T0 + 24 * MIN;
    expect(core.noticeBreaches()).toBe(0);
    clock.now = T0 + 26 * MIN;
    expect(core.noticeBreaches()).toBe(1);
    expect(core.noticeBreaches()).toBe(0);
    const { incident } = core.handle('incident.get', { incidentId });
    expect(incident!.breaches.response!.at).toBe(T0 + 25 * MIN);
    expect(core.handle('incident.get', { incidentId: closed }).incident!.breaches.response).toBeNull();
    store.close();
  });

  test('two laptops that both recorded a breach offline end up keeping the earliest one, on both', () => {
    const a = openCore();
    const { incidentId } = a.core.handle('incident.declare', declareInput);
    const b = openCore();
    shareAll(a.store, b.core);

    a.clock.now = T0 + 17 * MIN;
    a.core.noticeBreaches();
    b.clock.now = T0 + 16 * MIN;
    b.core.noticeBreaches();
    const earliest = b.core.handle('incident.get', { incidentId }).incident!.breaches.response!.eventId;

    shareAll(a.store, b.core);
    shareAll(b.store, a.core);
    for (const side of [a, b]) {
      const { incident } = side.core.handle('incident.get', { incidentId });
      expect(incident!.breaches.response!.eventId).toBe(earliest);
      // Both facts stay in the log; the timeline shows only the kept one, whichever arrived first.
      expect(side.core.handle('timeline.list', { incidentId }).entries.filter((e) => e.kind === 'sla.breached')).toHaveLength(2);
      const shown = side.core.handle('timeline.query', { incidentId }).rows.filter((r) => r.event.kind === 'sla.breached');
      expect(shown.map((r) => r.event.id)).toEqual([earliest]);
      side.clock.now = T0 + HOUR();
      expect(side.core.noticeBreaches()).toBe(0);
      // The kept count of shown rows (migration 14) followed the breach hidden after the fact.
      expect(shownCounts(side.store.db).kept).toEqual(shownCounts(side.store.db).counted);
    }
    a.store.close();
    b.store.close();
  });
});

const HOUR = () => 60 * MIN;

describe('wall clocks and comms context', () => {
  test('time zones are checked against the zone data and stored canonically', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('incident.setTimezones', { incidentId, zones: ['europe/paris', 'Asia/Tokyo'] });
    expect(core.handle('incident.get', { incidentId }).incident!.timezones).toEqual(['Europe/Paris', 'Asia/Tokyo']);
    expect(() => core.handle('incident.setTimezones', { incidentId, zones: ['Europe/Paris', 'Asia/Tokyo'] })).toThrow('The time zones are unchanged.');
    expect(() => core.handle('incident.setTimezones', { incidentId, zones: ['Mars/Olympus'] })).toThrow(/zones\.0: unknown time zone "Mars\/Olympus"/);
    expect(() => core.handle('incident.setTimezones', { incidentId, zones: ['UTC', 'utc'] })).toThrow(/lists a zone twice/);
    core.handle('incident.setTimezones', { incidentId, zones: [] });
    expect(core.handle('incident.get', { incidentId }).incident!.timezones).toEqual([]);
    store.close();
  });

  test('a draft learns the decisions logged since the last update sent to its audience', () => {
    const { store, core, clock } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Fail over to DC2', occurredAt: T0 + MIN });
    core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Just a note', occurredAt: T0 + 2 * MIN });
    expect(core.handle('comms.context', { incidentId, audience: 'customers' })).toMatchObject({
      lastSentAt: null,
      decisions: [{ text: 'Fail over to DC2', at: T0 + MIN }],
    });

    clock.now = T0 + 5 * MIN;
    const { draftId } = core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'status_page', body: 'We know.' });
    core.handle('comms.approve', { incidentId, draftId });
    core.handle('comms.send', { incidentId, draftId, channel: 'status_page' });
    core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Roll back v42', occurredAt: T0 + 6 * MIN });

    expect(core.handle('comms.context', { incidentId, audience: 'customers' })).toMatchObject({
      lastSentAt: T0 + 5 * MIN,
      decisions: [{ text: 'Roll back v42' }],
    });
    expect(core.handle('comms.context', { incidentId, audience: 'executives' }).decisions.map((d) => d.text)).toEqual(['Fail over to DC2', 'Roll back v42']);
    store.close();
  });

  test('a draft quotes decisions as corrected, and never the words of a redacted one', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    const typo = core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Fial over', occurredAt: T0 + MIN });
    const secret = core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Blame the vendor', occurredAt: T0 + 2 * MIN });
    core.handle('timeline.correct', { incidentId, targetId: typo.eventId, text: 'Fail over to DC2' });
    core.handle('timeline.redact', { incidentId, targetId: secret.eventId, reason: 'not for the record' });
    expect(core.handle('comms.context', { incidentId, audience: 'customers' }).decisions).toEqual([
      { eventId: typo.eventId, text: 'Fail over to DC2', at: T0 + MIN },
    ]);
    store.close();
  });
});
