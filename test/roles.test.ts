import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { audienceClock, DEFAULT_CADENCES } from '../shared/comms/cadence.js';
import { BriefingSchema } from '../shared/record/events.js';
import { buildBriefing } from '../shared/roles/handoff.js';
import { DEFAULT_SLA_POLICY } from '../shared/clocks/sla.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, tempDir } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 25, 9, 10);

/** A core on a real SQLite file, with a clock the test moves. */
function openCore(dir = tempDir()) {
  let now = T0;
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => now });
  return { dir, store, core, advance: (ms: number) => (now += ms) };
}

function apiError(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('people directory (device-local)', () => {
  test('adds, edits, lists by name and removes people; nothing of it enters the event log or the outbox', () => {
    const { store, core } = openCore();
    const ana = core.handle('people.save', { name: '  Ana Costa ', team: 'Network', contact: '+33 6 12 34 56 78' });
    expect(ana).toMatchObject({ name: 'Ana Costa', team: 'Network', contact: '+33 6 12 34 56 78', updatedAt: T0 });
    const bo = core.handle('people.save', { name: 'Bo Lind' });
    expect(core.handle('people.list', {}).map((p) => p.name)).toEqual(['Ana Costa', 'Bo Lind']);

    const edited = core.handle('people.save', { id: ana.id, name: 'Ana Costa', team: 'Network', contact: 'ana@example.org' });
    expect(edited.id).toBe(ana.id);
    expect(core.handle('people.list', {}).find((p) => p.id === ana.id)?.contact).toBe('ana@example.org');

    expect(core.handle('people.remove', { id: bo.id })).toEqual({ id: bo.id });
    expect(core.handle('people.list', {}).map((p) => p.name)).toEqual(['Ana Costa']);
    expect(store.eventCount()).toBe(0);
    expect(store.outboxCount()).toBe(0);
    store.close();
  });

  test('one entry per person: another spelling of a name already there is refused, naming the entry', () => {
    const { store, core } = openCore();
    core.handle('people.save', { name: 'Élodie Martin' });
    const error = apiError(() => core.handle('people.save', { name: 'élodie martin ', team: 'Security' }));
    expect(error.body).toMatchObject({ code: 'conflict', message: 'Élodie Martin is already in the directory: edit that entry instead.' });
    // Renaming someone to their own name in another case is an edit, not a duplicate.
    const [elodie] = core.handle('people.list', {});
    expect(core.handle('people.save', { id: elodie!.id, name: 'ÉLODIE MARTIN' }).name).toBe('ÉLODIE MARTIN');
    store.close();
  });

  test('refuses bad input with the field and the reason, and unknown ids', () => {
    const { store, core } = openCore();
    expect(apiError(() => core.handle('people.save', { name: '' })).body).toMatchObject({ code: 'invalid_input', message: 'name: Name is required' });
    expect(apiError(() => core.handle('people.save', { name: 'Ana\nCosta' })).body.message).toBe('name: Name cannot contain line breaks or control characters');
    expect(apiError(() => core.handle('people.save', { name: 'Ana', contact: 'x'.repeat(201) })).body.message).toBe(
      'contact: Contact is at most 200 characters',
    );
    const ghost = '01900000-0000-7000-8000-000000000000';
    expect(apiError(() => core.handle('people.save', { id: ghost, name: 'Ana' })).body.code).toBe('not_found');
    expect(apiError(() => core.handle('people.remove', { id: ghost })).body.code).toBe('not_found');
    store.close();
  });

  test('the directory survives a restart of the console on the same data folder', () => {
    const first = openCore();
    first.core.handle('people.save', { name: 'Priya Nair', team: 'Ops' });
    first.store.close();
    const second = openCore(first.dir);
    expect(second.core.handle('people.list', {})).toEqual([expect.objectContaining({ name: 'Priya Nair', team: 'Ops' })]);
    second.store.close();
  });
});

describe('roles and experts', () => {
  test('several experts with specialities join and leave; each change is a timeline entry', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('incident.setSme', { incidentId, person: 'Bo', speciality: 'network', active: true });
    core.handle('incident.setSme', { incidentId, person: 'Chloé', speciality: 'security', active: true });
    core.handle('incident.assignRole', { incidentId, role: 'deputy', person: 'Dmitri' });
    expect(apiError(() => core.handle('incident.setSme', { incidentId, person: 'bo', speciality: 'network', active: true })).body.code).toBe('conflict');
    core.handle('incident.setSme', { incidentId, person: 'Bo', speciality: '', active: false });
    expect(apiError(() => core.handle('incident.setSme', { incidentId, person: 'Bo', speciality: '', active: false })).body.message).toBe(
      'Bo is not an expert on this incident.',
    );

    const { incident } = core.handle('incident.get', { incidentId });
    expect(incident!.smes).toEqual([{ person: 'Chloé', speciality: 'security' }]);
    expect(incident!.roles).toMatchObject({ commander: 'Alice', deputy: 'Dmitri' });
    const { entries } = core.handle('timeline.list', { incidentId });
    expect(entries.filter((e) => e.kind === 'incident.sme').map((e) => [e.payload['person'], e.payload['active']])).toEqual([
      ['Bo', true],
      ['Chloé', true],
      ['Bo', false],
    ]);
    store.close();
  });
});

describe('hand-off of command', () => {
  function briefingFor(core: WarroomCore, incidentId: string, now: number) {
    const view = core.handle('incident.get', { incidentId }).incident!;
    const { entries } = core.handle('timeline.list', { incidentId });
    return buildBriefing({
      view,
      entries,
      policy: DEFAULT_SLA_POLICY,
      now,
      note: 'Roll-back is the plan',
      nextUpdateDue: (audience) => audienceClock(view, audience, DEFAULT_CADENCES.internal, now).dueAt,
    });
  }

  test('the outgoing commander starts it with a briefing, the incoming one acknowledges and takes command; both are on the timeline', () => {
    const { store, core, advance } = openCore();
    core.handle('settings.setActor', { actor: 'Alice' });
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('timeline.log', { incidentId, entryKind: 'hypothesis', text: 'Bad deploy of v42' });
    core.handle('task.create', { incidentId, title: 'Roll back to v41', owner: 'Bo' });
    advance(5 * MIN);

    const briefing = briefingFor(core, incidentId, T0 + 5 * MIN);
    const { handoffId } = core.handle('command.startHandoff', { incidentId, to: 'Bo', briefing });
    let view = core.handle('incident.get', { incidentId }).incident!;
    expect(view.roles.commander).toBe('Alice');
    expect(view.pendingHandoffId).toBe(handoffId);
    expect(core.handle('incidents.list', {})[0]!.commander).toBe('Alice');

    core.handle('settings.setActor', { actor: 'Bo' });
    advance(2 * MIN);
    core.handle('command.acknowledgeHandoff', { incidentId, handoffId });
    view = core.handle('incident.get', { incidentId }).incident!;
    expect(view.roles.commander).toBe('Bo');
    expect(view.pendingHandoffId).toBeNull();
    expect(view.handoffs).toEqual([
      expect.objectContaining({
        id: handoffId,
        from: 'Alice',
        to: 'Bo',
        startedBy: 'Alice',
        acknowledgedBy: 'Bo',
        acknowledgedAt: T0 + 7 * MIN,
        commander: 'Bo',
      }),
    ]);
    expect(core.handle('incidents.list', {})[0]!.commander).toBe('Bo');

    // The record keeps what was handed over, word for word.
    const { entries } = core.handle('timeline.list', { incidentId });
    const started = entries.find((e) => e.kind === 'command.handoff_started')!;
    const recorded = BriefingSchema.parse(started.payload['briefing']);
    expect(recorded.hypotheses.map((h) => h.text)).toEqual(['Bad deploy of v42']);
    expect(recorded.openTasks).toEqual([expect.objectContaining({ title: 'Roll back to v41', owner: 'Bo', status: 'todo' })]);
    expect(recorded.note).toBe('Roll-back is the plan');
    expect(entries.slice(-2).map((e) => [e.kind, e.actor])).toEqual([
      ['command.handoff_started', 'Alice'],
      ['command.handoff_acknowledged', 'Bo'],
    ]);
    store.close();
  });

  test('records who really held command, whatever the briefing claims', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    const briefing = { ...briefingFor(core, incidentId, T0), from: 'Mallory' };
    core.handle('command.startHandoff', { incidentId, to: 'Bo', briefing });
    expect(core.handle('incident.get', { incidentId }).incident!.handoffs[0]!.from).toBe('Alice');
    store.close();
  });

  test('a briefing built by a window whose clock runs four hours ahead is recorded with the core’s time and SLA clocks', () => {
    const { store, core, advance } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    advance(10 * MIN);
    // The window thinks the P1's four-hour resolution target ran out long ago.
    const windowNow = T0 + 10 * MIN + 4 * 60 * MIN + 5 * MIN;
    const briefing = briefingFor(core, incidentId, windowNow);
    expect(briefing.sla.resolution.phase).toBe('breached');
    core.handle('command.startHandoff', { incidentId, to: 'Bo', briefing });
    const started = core.handle('timeline.list', { incidentId }).entries.find((e) => e.kind === 'command.handoff_started')!;
    const recorded = BriefingSchema.parse(started.payload['briefing']);
    expect(recorded.generatedAt).toBe(T0 + 10 * MIN);
    expect(recorded.sla.resolution).toMatchObject({ phase: 'running', remainingMs: 4 * 60 * MIN - 10 * MIN });
    expect(recorded.note).toBe('Roll-back is the plan');
    store.close();
  });

  test('refuses a hand-off to the current commander, a malformed briefing, and stale or repeated acknowledgements', () => {
    const { store, core } = openCore();
    const { incidentId } = core.handle('incident.declare', declareInput);
    const briefing = briefingFor(core, incidentId, T0);
    expect(apiError(() => core.handle('command.startHandoff', { incidentId, to: ' alice ', briefing })).body.message).toBe(
      'alice is already the incident commander.',
    );
    const bad = apiError(() => core.handle('command.startHandoff', { incidentId, to: 'Bo', briefing: { ...briefing, status: 'on fire' } as never }));
    expect(bad.body.code).toBe('invalid_input');
    expect(bad.body.message).toMatch(/^briefing\.status: /);

    const first = core.handle('command.startHandoff', { incidentId, to: 'Bo', briefing }).handoffId;
    const second = core.handle('command.startHandoff', { incidentId, to: 'Chloé', briefing }).handoffId;
    expect(apiError(() => core.handle('command.acknowledgeHandoff', { incidentId, handoffId: first })).body.message).toMatch(/no longer current/);
    core.handle('command.acknowledgeHandoff', { incidentId, handoffId: second });
    expect(apiError(() => core.handle('command.acknowledgeHandoff', { incidentId, handoffId: second })).body.message).toMatch(/already acknowledged/);
    expect(apiError(() => core.handle('command.acknowledgeHandoff', { incidentId, handoffId: '01900000-0000-7000-8000-000000000000' })).body.code).toBe(
      'not_found',
    );
    expect(core.handle('incident.get', { incidentId }).incident!.roles.commander).toBe('Chloé');
    store.close();
  });
});
