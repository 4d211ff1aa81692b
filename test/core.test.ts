import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ChangeNotice } from '../shared/api/api.js';
import { encodeHlc } from '../shared/record/hlc.js';
import { WarroomCore } from '../electron/core/core.js';
import { startCore } from '../electron/host/host.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput, tempDir } from './helpers.js';

function openCore(dir: string) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  return { store, core: new WarroomCore(store, { dataDir: dir, transport: 'browser' }) };
}

describe('commands become timeline entries', () => {
  test('status and priority changes, tasks and sent updates all appear on the timeline with who and when', () => {
    const { store, core } = openCore(tempDir());
    core.handle('settings.setActor', { actor: 'Bob' });
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    core.handle('incident.setPriority', { incidentId, impact: 'medium', urgency: 'high' });
    const { taskId } = core.handle('task.create', { incidentId, title: 'Roll back deploy', owner: 'Carol' });
    core.handle('task.move', { incidentId, taskId, status: 'doing' });
    const { draftId } = core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'status_page', body: 'We are investigating.' });
    core.handle('comms.approve', { incidentId, draftId });
    core.handle('comms.send', { incidentId, draftId, channel: 'status_page' });

    const { entries } = core.handle('timeline.list', { incidentId });
    expect(entries.map((e) => e.kind)).toEqual([
      'incident.declared',
      'incident.status',
      'incident.priority',
      'task.created',
      'task.moved',
      'comms.drafted',
      'comms.approved',
      'comms.sent',
    ]);
    expect(entries.every((e) => e.actor === 'Bob' && e.deviceId === core.deviceId)).toBe(true);
    const { incident } = core.handle('incident.get', { incidentId });
    expect(incident).toMatchObject({ status: 'investigating', priority: 'P2', roles: { commander: 'Alice' } });
    expect(incident!.tasks).toEqual([expect.objectContaining({ title: 'Roll back deploy', owner: 'Carol', status: 'doing' })]);
    expect(incident!.comms[0]).toMatchObject({ state: 'sent', sentBy: 'Bob', channel: 'status_page' });
    store.close();
  });

  test('an update must be approved before it is sent, and a sent update cannot be edited', () => {
    const { store, core } = openCore(tempDir());
    const { incidentId } = core.handle('incident.declare', declareInput);
    const { draftId } = core.handle('comms.draft', { incidentId, audience: 'executives', channel: 'email', body: 'Status' });
    expect(() => core.handle('comms.send', { incidentId, draftId, channel: 'email' })).toThrow(/Approve this update/);
    core.handle('comms.approve', { incidentId, draftId });
    core.handle('comms.send', { incidentId, draftId, channel: 'email' });
    expect(() => core.handle('comms.edit', { incidentId, draftId, body: 'changed' })).toThrow(/cannot be edited/);
    expect(() => core.handle('comms.send', { incidentId, draftId, channel: 'email' })).toThrow(/already sent/);
    store.close();
  });

  test('listeners hear about a change only once it is committed to disk', () => {
    const dir = tempDir();
    const { store, core } = openCore(dir);
    const seenOnDisk: boolean[] = [];
    const reader = new Database(path.join(dir, STORE_FILE_NAME), { readonly: true });
    core.onChange((notice: ChangeNotice) => {
      for (const id of notice.eventIds) seenOnDisk.push(reader.prepare('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined);
    });
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'Fail over to region B' });
    expect(seenOnDisk).toEqual([true, true]);
    reader.close();
    store.close();
  });

  test('a change notice carries the new view and list entry of an incident whose state changed, and nothing more for a timeline entry', () => {
    const { store, core } = openCore(tempDir());
    const notices: ChangeNotice[] = [];
    core.onChange((notice) => notices.push(notice));
    const { incidentId } = core.handle('incident.declare', declareInput);
    core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Checked the load balancer' });
    const [declared, status, note] = notices;
    expect(declared!.changed).toEqual([
      {
        incidentId,
        incident: expect.objectContaining({ title: declareInput.title }),
        summary: expect.objectContaining({ id: incidentId, title: declareInput.title }),
      },
    ]);
    // What the panes would have fetched: the same view and the same list entry.
    expect(status!.changed).toEqual([
      { incidentId, incident: core.handle('incident.get', { incidentId }).incident, summary: core.handle('incidents.list', {})[0] },
    ]);
    expect(note).toMatchObject({ incidentIds: [incidentId], changed: [] });
    // A team setting changes every incident's clocks: the notice names it without views, and the panes read again.
    core.handle('settings.setSla', { priority: 'P1', responseMs: 10 * 60_000, pausable: false });
    expect(notices.at(-1)!.changed).toBeUndefined();
    store.close();
  });

  test('a change notice carries the timeline rows it added or changed, as timeline.query gives them; none when that is not all it did', () => {
    const { store, core } = openCore(tempDir());
    const notices: ChangeNotice[] = [];
    core.onChange((notice) => notices.push(notice));
    const { incidentId } = core.handle('incident.declare', declareInput);
    const { eventId } = core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'Checked the load balancer' });
    const shown = () => core.handle('timeline.query', { incidentId }).rows;
    expect(notices.at(-1)!.timeline).toEqual({ added: [shown().find((r) => r.event.id === eventId)], updated: [] });
    core.handle('timeline.star', { incidentId, targetId: eventId, starred: true });
    const starred = shown().find((r) => r.event.id === eventId)!;
    expect(starred.starred).toBe(true);
    expect(notices.at(-1)!.timeline).toEqual({ added: [], updated: [starred] });
    core.handle('timeline.redact', { incidentId, targetId: eventId, reason: 'wrong incident' });
    const redacted = notices.at(-1)!.timeline!.updated[0]!;
    // The words never travel in a notice either.
    expect([redacted.text, redacted.event.payload]).toEqual([null, {}]);
    // An event kept but not shown (a second declaration of the incident, quarantined) leaves the timeline to be read again.
    const declared = [...store.allEvents()].find((e) => e.kind === 'incident.declared')!;
    const later = Date.now() + 60_000;
    core.ingest([
      {
        ...declared,
        id: '0190a0b0-0000-7000-8000-0000000000aa',
        deviceId: 'other-laptop',
        hlc: encodeHlc({ wall: later, counter: 0, node: 'other-laptop' }),
        recordedAt: later,
      },
    ]);
    expect(core.handle('quarantine.list', {})).toMatchObject({ total: 1, events: [{ code: 'second_declaration' }] });
    expect(notices.at(-1)!.eventIds).toEqual(['0190a0b0-0000-7000-8000-0000000000aa']);
    expect(notices.at(-1)!.timeline).toBeUndefined();
    store.close();
  });

  test('a pull that changes many incidents at once names them in its notice, without their views', () => {
    const source = openCore(tempDir());
    const ids = Array.from({ length: 25 }, (_, i) => source.core.handle('incident.declare', { ...declareInput, title: `Outage ${i}` }).incidentId);
    const { store, core } = openCore(tempDir());
    const notices: ChangeNotice[] = [];
    core.onChange((notice) => notices.push(notice));
    core.ingest([...source.store.allEvents()]);
    expect(notices).toHaveLength(1);
    expect(new Set(notices[0]!.incidentIds)).toEqual(new Set(ids));
    expect(notices[0]!.changed).toBeUndefined();
    expect(notices[0]!.timeline).toBeUndefined();
    // A smaller one carries them.
    const more = source.core.handle('incident.declare', { ...declareInput, title: 'One more' });
    core.ingest([...source.store.allEvents()]);
    expect(notices[1]!.changed).toEqual([
      { incidentId: more.incidentId, incident: expect.objectContaining({ title: 'One more' }), summary: expect.objectContaining({ title: 'One more' }) },
    ]);
    source.store.close();
    store.close();
  });

  test('the device keeps its id and its clock moves forward across restarts', () => {
    const dir = tempDir();
    const first = openCore(dir);
    first.core.handle('settings.setActor', { actor: 'Dana' });
    const { incidentId } = first.core.handle('incident.declare', declareInput);
    const deviceId = first.core.deviceId;
    const lastHlc = first.store.maxHlc()!;
    first.store.close();
    const second = openCore(dir);
    expect(second.core.deviceId).toBe(deviceId);
    expect(second.core.handle('app.info', {}).actor).toBe('Dana');
    second.core.handle('timeline.log', { incidentId, entryKind: 'note', text: 'after restart' });
    expect(second.store.maxHlc()! > lastHlc).toBe(true);
    second.store.close();
  });
});

describe('the core off the main thread', () => {
  test('startCore runs the core in a worker; data survives a restart', async () => {
    const dir = tempDir();
    const first = await startCore({ dataDir: dir, transport: 'browser' });
    const notices: ChangeNotice[] = [];
    first.onChange((n) => notices.push(n));
    const { incidentId } = await first.call('incident.declare', declareInput);
    await first.call('timeline.log', { incidentId, entryKind: 'finding', text: 'DB pool exhausted' });
    await expect(first.call('timeline.log', { incidentId, entryKind: 'finding', text: '' })).rejects.toThrow(/text/);
    expect(notices.flatMap((n) => n.incidentIds)).toEqual([incidentId, incidentId]);
    await first.close();

    const second = await startCore({ dataDir: dir, transport: 'browser' });
    const { entries } = await second.call('timeline.list', { incidentId });
    expect(entries.map((e) => e.payload['text'] ?? e.payload['title'])).toEqual(['Checkout API returns 502', 'DB pool exhausted']);
    await second.close();
  });

  test('startCore refuses a store written by a newer version with the reason', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, STORE_FILE_NAME));
    db.pragma('user_version = 999');
    db.close();
    await expect(startCore({ dataDir: dir, transport: 'browser' })).rejects.toThrow(/newer version of Warroom/);
  });
});
