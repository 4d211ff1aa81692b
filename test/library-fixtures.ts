import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import type { ChannelOutput } from '../shared/api/api.js';
import { HlcClock } from '../shared/record/hlc.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { declareInput } from './helpers.js';

/** Shared by the report, archive, library and drill tests: real cores on real SQLite files. */

export const HOSTILE = '<img src=x onerror=alert(1)>';

export function openCore(dir: string, now?: () => number) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  return { store, core: new WarroomCore(store, { dataDir: dir, transport: 'browser', ...(now ? { now } : {}) }) };
}

/** Many entries in one transaction, as a long bridge call synced from another laptop would arrive. */
export function bulkEntries(core: WarroomCore, incidentId: string, count: number): void {
  const clock = new HlcClock('bulk-laptop', Date.now);
  const start = Date.now() - count * 1000;
  const events = Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    incidentId,
    kind: 'timeline.entry',
    payload: { entryKind: i % 7 === 0 ? 'finding' : 'note', text: `Bridge note ${i}: load balancer pool checked`, occurredAt: start + i * 1000 },
    actor: 'Scribe',
    deviceId: 'bulk-laptop',
    hlc: clock.tick(),
    recordedAt: start + i * 1000,
  }));
  core.ingest(events);
}

export const decodeFile = (file: ChannelOutput<'export.report'>) => Buffer.from(file.base64, 'base64');
export const fileText = (file: ChannelOutput<'export.report'>) => decodeFile(file).toString('utf8');

export interface ReviewedIncident {
  incidentId: string;
  followups: string[];
  hiddenText: string;
  lesson: string;
  factor: string;
}

/**
 * An incident worked through to resolution and reviewed: entries (one hidden by the review,
 * one carrying hostile markup), follow-ups with owners and dates, 5 whys, factors and lessons.
 */
export function reviewedIncident(
  core: WarroomCore,
  options: { title?: string; category?: 'hardware' | 'software' | 'network' | 'security' | 'other'; factor?: string; entries?: number } = {},
): ReviewedIncident {
  const { incidentId } = core.handle('incident.declare', {
    ...declareInput,
    title: options.title ?? `Checkout down ${HOSTILE}`,
    category: options.category ?? 'software',
  });
  core.handle('incident.setStatus', { incidentId, status: 'investigating' });
  const hiddenText = 'Coffee machine is broken again';
  const hidden = core.handle('timeline.log', { incidentId, entryKind: 'note', text: hiddenText });
  core.handle('timeline.log', { incidentId, entryKind: 'finding', text: `Error rate at 60% ${HOSTILE}` });
  core.handle('timeline.log', { incidentId, entryKind: 'hypothesis', text: 'Bad deploy of v42' });
  if (options.entries) bulkEntries(core, incidentId, options.entries);
  const { draftId } = core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'status_page', body: `Payments failing ${HOSTILE}` });
  core.handle('comms.approve', { incidentId, draftId });
  core.handle('comms.send', { incidentId, draftId, channel: 'status_page' });
  core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
  core.handle('incident.setStatus', { incidentId, status: 'resolved' });
  const followups = [`Add a canary stage ${HOSTILE}`, 'Alert on the checkout error rate', 'Write the rollback runbook'];
  for (const [i, title] of followups.entries()) {
    core.handle('task.create', { incidentId, title, owner: i === 2 ? 'Bo' : 'Chloé', kind: 'followup', dueAt: Date.UTC(2026, 11, 1 + i) });
  }
  core.handle('review.hide', { incidentId, targetId: hidden.eventId, hidden: true });
  core.handle('review.saveWhy', { incidentId, why: 'Why did checkout fail?', because: 'v42 broke the card form', cites: [] });
  const factor = options.factor ?? 'No canary stage before production';
  core.handle('review.saveFactor', { incidentId, category: 'process', text: factor, cites: [] });
  const lesson = 'Ship every deploy through a canary';
  core.handle('review.saveNote', { incidentId, section: 'lesson', text: lesson, cites: [] });
  core.handle('review.saveNote', { incidentId, section: 'went_well', text: 'Rollback took seven minutes', cites: [] });
  return { incidentId, followups, hiddenText, lesson, factor };
}
