import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, tempDir } from './helpers.js';

/** Tasks through the real core on a real SQLite file: check-backs, due dates, kinds, titles, bulk assign. */

const NOW = Date.UTC(2026, 10, 25, 10, 0);
const MIN = 60_000;

function openCore(dir = tempDir()) {
  let now = NOW;
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', now: () => now });
  core.handle('settings.setActor', { actor: 'Ana' });
  const { incidentId } = core.handle('incident.declare', declareInput);
  const tasks = () => core.handle('incident.get', { incidentId }).incident!.tasks;
  return { dir, store, core, incidentId, tasks, advance: (ms: number) => (now += ms) };
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

describe('task channels', () => {
  test('a task created with a check-back shows it, with who asked, and the timeline records it', () => {
    const { store, core, incidentId, tasks } = openCore();
    const { taskId } = core.handle('task.create', { incidentId, title: 'Call the bank', owner: 'Bo', checkBackAt: NOW + 3 * MIN });
    expect(tasks()).toEqual([
      expect.objectContaining({ id: taskId, kind: 'response', owner: 'Bo', checkBackAt: NOW + 3 * MIN, checkBackBy: 'Ana', dueAt: null, statusAt: NOW }),
    ]);
    const created = core.handle('timeline.list', { incidentId }).entries.find((e) => e.kind === 'task.created')!;
    expect(created.payload).toEqual({ taskId, title: 'Call the bank', owner: 'Bo', kind: 'response', checkBackAt: NOW + 3 * MIN, occurredAt: NOW });
    store.close();
  });

  test('a check-back given as a delay is set on the core’s clock, whatever the window’s clock says', () => {
    const { store, core, incidentId, tasks, advance } = openCore();
    const { taskId } = core.handle('task.create', { incidentId, title: 'Call the bank', owner: 'Bo', checkBackInMs: 5 * MIN });
    expect(tasks()[0]!.checkBackAt).toBe(NOW + 5 * MIN);
    advance(10 * MIN);
    // +5 min on an expired check-back: five minutes from the core's now; on a running one, five more.
    core.handle('task.checkBack', { incidentId, taskId, extendMs: 5 * MIN });
    expect(tasks()[0]!.checkBackAt).toBe(NOW + 15 * MIN);
    core.handle('task.checkBack', { incidentId, taskId, extendMs: 5 * MIN });
    expect(tasks()[0]!.checkBackAt).toBe(NOW + 20 * MIN);
    core.handle('task.checkBack', { incidentId, taskId, inMs: 3 * MIN });
    expect(tasks()[0]!.checkBackAt).toBe(NOW + 13 * MIN);
    expect(apiError(() => core.handle('task.checkBack', { incidentId, taskId, inMs: 3 * MIN, checkBackAt: null })).body.code).toBe('invalid_input');
    expect(apiError(() => core.handle('task.checkBack', { incidentId, taskId })).body.code).toBe('invalid_input');
    store.close();
  });

  test('a check-back is extended, then cleared; clearing twice is refused as a conflict', () => {
    const { store, core, incidentId, tasks, advance } = openCore();
    const { taskId } = core.handle('task.create', { incidentId, title: 'Check the ledger', owner: 'Bo', checkBackAt: NOW + MIN });
    advance(2 * MIN);
    core.handle('task.checkBack', { incidentId, taskId, checkBackAt: NOW + 7 * MIN });
    expect(tasks()[0]!.checkBackAt).toBe(NOW + 7 * MIN);
    expect(apiError(() => core.handle('task.checkBack', { incidentId, taskId, checkBackAt: NOW + 7 * MIN })).body.code).toBe('conflict');
    core.handle('task.checkBack', { incidentId, taskId, checkBackAt: null });
    expect(tasks()[0]).toMatchObject({ checkBackAt: null, checkBackBy: null });
    const error = apiError(() => core.handle('task.checkBack', { incidentId, taskId, checkBackAt: null }));
    expect(error.body).toMatchObject({ code: 'conflict', message: 'No check-back is set on this task.' });
    const kinds = core.handle('timeline.list', { incidentId }).entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'task.check_back')).toHaveLength(2);
    store.close();
  });

  test('due dates, renames and their refusals', () => {
    const { store, core, incidentId, tasks } = openCore();
    const { taskId } = core.handle('task.create', { incidentId, title: 'Fail over', owner: '' });
    core.handle('task.setDue', { incidentId, taskId, dueAt: NOW + 30 * MIN });
    core.handle('task.rename', { incidentId, taskId, title: '  Fail over to DC2  ' });
    expect(tasks()[0]).toMatchObject({ title: 'Fail over to DC2', dueAt: NOW + 30 * MIN });
    expect(apiError(() => core.handle('task.rename', { incidentId, taskId, title: 'Fail over to DC2' })).body.code).toBe('conflict');
    expect(apiError(() => core.handle('task.rename', { incidentId, taskId, title: '   ' })).body.code).toBe('invalid_input');
    core.handle('task.setDue', { incidentId, taskId, dueAt: null });
    expect(tasks()[0]!.dueAt).toBeNull();
    const missing = '00000000-0000-7000-8000-000000000999';
    expect(apiError(() => core.handle('task.setDue', { incidentId, taskId: missing, dueAt: NOW })).body.code).toBe('not_found');
    expect(apiError(() => core.handle('task.checkBack', { incidentId, taskId, checkBackAt: -5 })).body.code).toBe('invalid_input');
    store.close();
  });

  test('a follow-up needs an owner and a due date, and keeps both', () => {
    const { store, core, incidentId, tasks } = openCore();
    const refused = apiError(() => core.handle('task.create', { incidentId, title: 'Patch the VPN', kind: 'followup' }));
    expect(refused.body.code).toBe('invalid_input');
    expect(refused.body.issues?.map((i) => i.path).sort()).toEqual(['dueAt', 'owner']);
    expect(refused.message).toMatch(/owner: a follow-up needs an owner/);
    const { taskId } = core.handle('task.create', { incidentId, title: 'Patch the VPN', kind: 'followup', owner: 'Cy', dueAt: NOW + 7 * 24 * 60 * MIN });
    expect(tasks()).toEqual([expect.objectContaining({ id: taskId, kind: 'followup', owner: 'Cy', dueAt: NOW + 7 * 24 * 60 * MIN })]);
    expect(apiError(() => core.handle('task.assign', { incidentId, taskId, owner: '' })).message).toBe('A follow-up needs an owner.');
    expect(apiError(() => core.handle('task.setDue', { incidentId, taskId, dueAt: null })).message).toBe('A follow-up needs a due date.');
    expect(apiError(() => core.handle('task.assignMany', { incidentId, taskIds: [taskId], owner: '' })).message).toBe('A follow-up needs an owner.');
    expect(apiError(() => core.handle('task.create', { incidentId, title: 'x', kind: 'later' as never })).body.code).toBe('invalid_input');
    store.close();
  });

  test('bulk assign writes one event per task whose owner changes, in one transaction', () => {
    const { store, core, incidentId, tasks } = openCore();
    const ids = ['A', 'B', 'C'].map((title) => core.handle('task.create', { incidentId, title, owner: title === 'B' ? 'Dee' : '' }).taskId);
    const heard: string[][] = [];
    core.onChange((notice) => heard.push(notice.eventIds));
    const { eventIds } = core.handle('task.assignMany', { incidentId, taskIds: [...ids, ids[0]!], owner: 'Dee' });
    // B already belongs to Dee: no event for it; A listed twice: one event.
    expect(eventIds).toHaveLength(2);
    expect(heard).toEqual([eventIds]);
    expect(tasks().map((t) => t.owner)).toEqual(['Dee', 'Dee', 'Dee']);
    const assigned = core.handle('timeline.list', { incidentId }).entries.filter((e) => e.kind === 'task.assigned');
    expect(assigned.map((e) => e.payload['taskId'])).toEqual([ids[0], ids[2]]);
    expect(apiError(() => core.handle('task.assignMany', { incidentId, taskIds: ids, owner: 'Dee' })).body.code).toBe('conflict');

    // One unknown id refuses the whole batch and writes nothing.
    const before = store.eventCount();
    const missing = '00000000-0000-7000-8000-000000000999';
    expect(apiError(() => core.handle('task.assignMany', { incidentId, taskIds: [ids[0]!, missing], owner: 'Eve' })).body.code).toBe('not_found');
    expect(store.eventCount()).toBe(before);
    expect(apiError(() => core.handle('task.assignMany', { incidentId, taskIds: [], owner: 'Eve' })).body.code).toBe('invalid_input');
    store.close();
  });

  test('everything survives a restart on the same file', () => {
    const first = openCore();
    const { taskId } = first.core.handle('task.create', { incidentId: first.incidentId, title: 'Ring the supplier', owner: 'Bo', checkBackAt: NOW + 5 * MIN });
    first.core.handle('task.setDue', { incidentId: first.incidentId, taskId, dueAt: NOW + 60 * MIN });
    first.store.close();
    const store = Store.open(path.join(first.dir, STORE_FILE_NAME));
    const core = new WarroomCore(store, { dataDir: first.dir, transport: 'browser' });
    expect(core.handle('incident.get', { incidentId: first.incidentId }).incident!.tasks[0]).toMatchObject({
      checkBackAt: NOW + 5 * MIN,
      dueAt: NOW + 60 * MIN,
      checkBackBy: 'Ana',
    });
    store.close();
  });
});
