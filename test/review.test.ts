import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { tempDir } from './helpers.js';

/** The review through the real core on a real SQLite file: what a facilitator's commands record, and what they refuse. */

function openCore(dir: string) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  return { store, core: new WarroomCore(store, { dataDir: dir, transport: 'browser' }) };
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.body.code, message: error.body.message };
    throw error;
  }
  throw new Error('expected the core to refuse');
}

/** The sample drill, resolved: what a review starts from. */
function resolvedDrill(core: WarroomCore) {
  const { incidentId } = core.handle('incident.openSampleDrill', {});
  const entries = core.handle('timeline.query', { incidentId }).rows.map((r) => r.event);
  const entryOf = (kind: string, text?: string) => entries.find((e) => e.kind === kind && (text === undefined || String(e.payload['text']).includes(text)))!.id;
  return {
    incidentId,
    declared: entryOf('incident.declared'),
    hypothesis: entryOf('timeline.entry', 'load balancer health checks'),
    bridge: entryOf('timeline.entry', 'Bridge opened'),
    failover: entryOf('timeline.entry', 'DC1 pool drained'),
    resolve: () => core.handle('incident.setStatus', { incidentId, status: 'resolved' }),
  };
}

describe('the post-incident review', () => {
  test('opens only once the incident is resolved, with the reason', () => {
    const { store, core } = openCore(tempDir());
    const drill = resolvedDrill(core);
    expect(refusal(() => core.handle('review.hide', { incidentId: drill.incidentId, targetId: drill.bridge, hidden: true }))).toEqual({
      code: 'conflict',
      message: 'The review opens once the incident is resolved; it is mitigated.',
    });
    expect(refusal(() => core.handle('review.complete', { incidentId: drill.incidentId })).code).toBe('conflict');
    drill.resolve();
    core.handle('review.hide', { incidentId: drill.incidentId, targetId: drill.bridge, hidden: true });
    expect(core.handle('review.get', { incidentId: drill.incidentId }).hidden).toEqual([drill.bridge]);
    store.close();
  });

  test('curation is recorded beside the incident and never changes it', () => {
    const dir = tempDir();
    let { store, core } = openCore(dir);
    const drill = resolvedDrill(core);
    drill.resolve();
    const { incidentId } = drill;
    const before = core.handle('incident.get', { incidentId });
    const rowsBefore = core.handle('timeline.query', { incidentId, limit: 1000 }).rows;

    core.handle('review.hide', { incidentId, targetId: drill.bridge, hidden: true });
    core.handle('review.setMoment', { incidentId, targetId: drill.declared, moment: 'detection' });
    core.handle('review.setMoment', { incidentId, targetId: drill.failover, moment: 'repair' });
    const { commentId } = core.handle('review.comment', {
      incidentId,
      targetId: drill.hypothesis,
      text: 'Right from the start, and nobody checked it for 30 minutes',
    });
    core.handle('review.setHypothesisState', { incidentId, targetId: drill.hypothesis, state: 'confirmed' });
    const first = core.handle('review.saveWhy', { incidentId, why: 'Why did payments fail?', because: 'DC1 lost power', cites: [drill.declared] });
    const second = core.handle('review.saveWhy', { incidentId, why: 'Why no failover?', because: 'Health checks saw the VIPs up', cites: [drill.hypothesis] });
    core.handle('review.saveWhy', {
      incidentId,
      whyId: second.whyId,
      order: 0,
      why: 'Why no failover?',
      because: 'Health checks probe the VIP, not the nodes',
      cites: [drill.hypothesis],
    });
    const factor = core.handle('review.saveFactor', { incidentId, category: 'technology', text: 'Generator never load-tested', cites: [] });
    core.handle('review.saveNote', { incidentId, section: 'went_well', text: 'Manual failover took nine minutes', cites: [drill.failover] });
    core.handle('review.saveNote', { incidentId, section: 'lesson', text: 'Test failover monthly', cites: [] });
    core.handle('review.remove', { incidentId, itemId: factor.factorId });
    const followup = core.handle('task.create', {
      incidentId,
      title: 'Load-test the DC1 generator',
      owner: 'Omar Haddad',
      kind: 'followup',
      dueAt: Date.UTC(2026, 11, 1),
    });

    // The record of the incident reads exactly as before; only the follow-up task is new.
    const after = core.handle('incident.get', { incidentId });
    expect({ ...after.incident, tasks: after.incident!.tasks.filter((t) => t.id !== followup.taskId) }).toEqual(before.incident);
    // The live timeline shows no review event: its rows are those of before, plus the follow-up's creation.
    const rowsAfter = core.handle('timeline.query', { incidentId, limit: 1000 }).rows;
    expect(rowsAfter.filter((r) => r.event.kind !== 'task.created' || r.event.payload['taskId'] !== followup.taskId)).toEqual(rowsBefore);

    // …and the review survives a restart, from the file.
    store.close();
    ({ store, core } = openCore(dir));
    const review = core.handle('review.get', { incidentId });
    expect(review.hidden).toEqual([drill.bridge]);
    expect(review.moments).toEqual(
      expect.arrayContaining([
        { targetId: drill.declared, moment: 'detection' },
        { targetId: drill.failover, moment: 'repair' },
      ]),
    );
    expect(review.comments).toEqual([expect.objectContaining({ id: commentId, targetId: drill.hypothesis, by: expect.any(String) })]);
    expect(review.hypotheses).toEqual([{ targetId: drill.hypothesis, state: 'confirmed' }]);
    expect(review.whys.map((w) => [w.id, w.because])).toEqual([
      [second.whyId, 'Health checks probe the VIP, not the nodes'],
      [first.whyId, 'DC1 lost power'],
    ]);
    expect(review.factors).toEqual([]);
    expect(review.notes.map((n) => [n.section, n.text])).toEqual([
      ['went_well', 'Manual failover took nine minutes'],
      ['lesson', 'Test failover monthly'],
    ]);
    store.close();
  });

  test('refuses what would make no sense, saying why', () => {
    const { store, core } = openCore(tempDir());
    const drill = resolvedDrill(core);
    drill.resolve();
    const { incidentId } = drill;
    const stranger = '01890000-0000-7000-8000-000000000001';
    expect(refusal(() => core.handle('review.hide', { incidentId, targetId: stranger, hidden: true }))).toEqual({
      code: 'not_found',
      message: `No timeline entry with id ${stranger} in this incident.`,
    });
    expect(refusal(() => core.handle('review.setHypothesisState', { incidentId, targetId: drill.bridge, state: 'confirmed' }))).toMatchObject({
      code: 'invalid_input',
      message: 'targetId: only a hypothesis can be confirmed or ruled out',
    });
    expect(refusal(() => core.handle('review.setHypothesisState', { incidentId, targetId: drill.hypothesis, state: 'open' }))).toMatchObject({
      code: 'conflict',
    });
    expect(refusal(() => core.handle('review.saveFactor', { incidentId, category: 'people', text: 'x', cites: [drill.bridge, stranger] }))).toMatchObject({
      code: 'invalid_input',
      message: `cites.1: no timeline entry with id ${stranger} in this incident`,
    });
    expect(refusal(() => core.handle('review.saveFactor', { incidentId, category: 'weather', text: 'x' })).code).toBe('invalid_input');
    expect(refusal(() => core.handle('review.saveWhy', { incidentId, why: ' ', because: '' }))).toMatchObject({ code: 'invalid_input' });
    core.handle('review.hide', { incidentId, targetId: drill.bridge, hidden: true });
    expect(refusal(() => core.handle('review.hide', { incidentId, targetId: drill.bridge, hidden: true }))).toEqual({
      code: 'conflict',
      message: 'This entry is already hidden.',
    });
    const note = core.handle('review.saveNote', { incidentId, section: 'went_badly', text: 'Slow to call facilities' });
    core.handle('review.remove', { incidentId, itemId: note.noteId });
    expect(refusal(() => core.handle('review.remove', { incidentId, itemId: note.noteId })).code).toBe('not_found');
    expect(refusal(() => core.handle('review.saveNote', { incidentId, noteId: note.noteId, section: 'lesson', text: 'again' })).code).toBe('not_found');
    // A review event cannot be a target: it is not part of the incident's record.
    const comment = core.handle('review.comment', { incidentId, targetId: drill.bridge, text: 'noise' });
    expect(refusal(() => core.handle('review.hide', { incidentId, targetId: comment.eventId, hidden: true })).code).toBe('not_found');
    store.close();
  });

  test('marking the review done makes the incident reviewed, once', () => {
    const { store, core } = openCore(tempDir());
    const drill = resolvedDrill(core);
    drill.resolve();
    core.handle('incident.setStatus', { incidentId: drill.incidentId, status: 'closed' });
    const done = core.handle('review.complete', { incidentId: drill.incidentId });
    const { incident } = core.handle('incident.get', { incidentId: drill.incidentId });
    expect(incident!.status).toBe('reviewed');
    expect(incident!.statusChanges.at(-1)).toMatchObject({ eventId: done.eventId, value: 'reviewed' });
    expect(refusal(() => core.handle('review.complete', { incidentId: drill.incidentId }))).toEqual({
      code: 'conflict',
      message: 'This incident is already reviewed.',
    });
    // Curation goes on after the meeting (a late comment, a follow-up's outcome).
    core.handle('review.comment', { incidentId: drill.incidentId, targetId: drill.failover, text: 'Runbook written since' });
    store.close();
  });
});
