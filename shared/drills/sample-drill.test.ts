import { describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope } from '../record/events.js';
import { compareTimeline, foldIncident, viewIncident } from '../record/fold.js';
import { HlcClock } from '../record/hlc.js';
import { sampleDrillEvents } from './sample-drill.js';
import { DEFAULT_SLA_POLICY, slaClocks } from '../clocks/sla.js';

const NOW = Date.UTC(2025, 9, 7, 10, 30, 0);
const MIN = 60_000;
const randomUUID = () => crypto.randomUUID();
const INCIDENT = randomUUID();

/** A clock that stamps each event at the moment it is said to have happened. */
function drill(now = NOW, incidentId = INCIDENT, newId: () => string = randomUUID): EventEnvelope[] {
  let wall = now;
  const hlc = new HlcClock('laptop-1', () => wall);
  return sampleDrillEvents({
    incidentId,
    newId,
    deviceId: 'laptop-1',
    actor: 'Sam Okafor',
    now,
    clock: (offsetMs) => {
      wall = now + offsetMs;
      return hlc.tick();
    },
  });
}

describe('sample drill', () => {
  const events = drill();

  it('is made of valid events, unchanged by validation', () => {
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(events.length).toBeLessThanOrEqual(35);
    for (const event of events) expect(parseEvent(event)).toEqual(event);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.every((e) => e.incidentId === INCIDENT && e.deviceId === 'laptop-1' && e.actor === 'Sam Okafor')).toBe(true);
  });

  it('spreads over the last fifty minutes or so, in causal order, nothing in the future', () => {
    const times = events.map((e) => e.recordedAt);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - 55 * MIN);
    expect(Math.min(...times)).toBeLessThanOrEqual(NOW - 45 * MIN);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    for (let i = 1; i < events.length; i++) expect(events[i]!.hlc > events[i - 1]!.hlc).toBe(true);
    // Recorded in the order things happened, so the timeline reads in the same order.
    expect([...events].sort(compareTimeline).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('folds to a P1 hardware drill, mitigated, with its team, tasks and comms', () => {
    const view = viewIncident(foldIncident(INCIDENT, events))!;
    expect(view).toMatchObject({
      title: expect.stringMatching(/^Drill: /),
      drill: true,
      priority: 'P1',
      impact: 'high',
      urgency: 'high',
      category: 'hardware',
      detectionSource: 'monitoring',
      status: 'mitigated',
      declaredBy: 'Sam Okafor',
    });
    expect(view.occurredAt).toBeLessThan(view.detectedAt);
    expect(view.detectedAt).toBeLessThan(view.declaredAt);
    expect(view.services.length).toBeGreaterThan(0);
    expect(view.reporter).not.toBe('');
    expect(view.roles).toMatchObject({ commander: 'Sam Okafor', scribe: expect.any(String), comms_lead: expect.any(String), ops_lead: expect.any(String) });
    expect(view.statusChanges.map((c) => c.value)).toEqual(['declared', 'investigating', 'mitigated']);

    const byStatus = (status: string) => view.tasks.filter((t) => t.status === status).length;
    expect(view.tasks.length).toBeGreaterThanOrEqual(3);
    expect(byStatus('done')).toBeGreaterThan(0);
    expect(byStatus('doing')).toBeGreaterThan(0);
    expect(byStatus('todo')).toBeGreaterThan(0);
    expect(view.tasks.every((t) => t.title !== '' && t.createdAt !== null)).toBe(true);

    const sent = view.comms.filter((c) => c.state === 'sent');
    const drafts = view.comms.filter((c) => c.state === 'draft');
    expect(sent).toEqual([expect.objectContaining({ audience: 'customers', channel: 'status_page', approvedBy: 'Sam Okafor', sentBy: 'Sam Okafor' })]);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body).not.toBe('');

    const entryKinds = new Set(events.filter((e) => e.kind === 'timeline.entry').map((e) => e.payload['entryKind']));
    expect([...entryKinds].sort()).toEqual(['action', 'decision', 'finding', 'hypothesis', 'note']);
  });

  it('shows a met response clock and a running resolution clock when opened', () => {
    const clocks = slaClocks(viewIncident(foldIncident(INCIDENT, events))!, DEFAULT_SLA_POLICY, NOW);
    expect(clocks.response.phase).toBe('met');
    expect(clocks.resolution).toMatchObject({ phase: 'running', breached: false });
  });

  it('folds the same whatever clock stamps it, e.g. one that just ticks at the time of opening', () => {
    const counterIds = () => {
      let n = 0;
      return () => `00000000-0000-7000-8000-${(++n).toString(16).padStart(12, '0')}`;
    };
    const stampedWhenHappened = drill(NOW, INCIDENT, counterIds());
    const ticking = new HlcClock('laptop-1', () => NOW);
    const stampedAtOpening = sampleDrillEvents({
      incidentId: INCIDENT,
      newId: counterIds(),
      deviceId: 'laptop-1',
      actor: 'Sam Okafor',
      now: NOW,
      clock: () => ticking.tick(),
    });
    for (const event of stampedAtOpening) expect(parseEvent(event)).toEqual(event);
    const withoutStamps = (events: EventEnvelope[]) => {
      const view = viewIncident(foldIncident(INCIDENT, events))!;
      const strip = <T extends { hlc: string }>({ hlc: _hlc, ...rest }: T) => rest;
      return { ...view, statusChanges: view.statusChanges.map(strip), priorityChanges: view.priorityChanges.map(strip) };
    };
    expect(withoutStamps(stampedAtOpening)).toEqual(withoutStamps(stampedWhenHappened));
  });
});
