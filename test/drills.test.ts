import { describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { parseEvent } from '../shared/record/events.js';
import { SCENARIOS } from '../shared/drills/scenarios/index.js';
import { SCENARIO_FORMAT, ScenarioSchema } from '../shared/drills/scenarios/schema.js';
import { injectEventId, type DrillTimers } from '../electron/core/drills/drills.js';
import { tempDir } from './helpers.js';
import { openCore, reviewedIncident } from './library-fixtures.js';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 26, 9, 0);

/** A clock the test moves by hand, and timers that fire when it passes them. */
function fakeTime() {
  let now = START;
  let pending: { at: number; callback: () => void; id: number }[] = [];
  let ids = 0;
  const timers: DrillTimers = {
    setTimeout(callback, ms) {
      const id = ++ids;
      pending.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout(handle) {
      pending = pending.filter((t) => t.id !== handle);
    },
  };
  return {
    now: () => now,
    timers,
    /** Move the clock, firing every timer that falls due on the way, in order. */
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const next = pending.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        pending = pending.filter((t) => t !== next);
        now = Math.max(now, next.at);
        next.callback();
      }
      now = target;
    },
    armed: () => pending.length,
  };
}

const shortScenario = {
  format: SCENARIO_FORMAT,
  version: 1,
  id: 'short-test',
  title: { en: 'Short test drill', fr: 'Exercice court de test' },
  summary: 'Three injects, ten minutes apart.',
  incident: {
    title: { en: 'Queue backlog growing', fr: 'La file d’attente grossit' },
    description: 'Orders pile up.',
    services: ['orders'],
    reporter: 'Monitoring',
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'medium',
    urgency: 'high',
    detectedAfterMs: 5 * MIN,
  },
  injects: [
    { atMs: 0, entryKind: 'external', from: 'Queue monitor', text: { en: 'Backlog at 10,000 messages', fr: 'Retard de 10 000 messages' } },
    {
      atMs: 10 * MIN,
      entryKind: 'finding',
      from: 'Platform team',
      text: { en: 'One consumer pod is crash-looping', fr: 'Un consommateur redémarre en boucle' },
    },
    { atMs: 20 * MIN, entryKind: 'external', from: 'Customer service', text: 'Customers report late confirmations' },
  ],
  reference: { respondMs: 15 * MIN, mitigateMs: 40 * MIN, resolveMs: null },
};

const timelineTexts = (core: ReturnType<typeof openCore>['core'], incidentId: string) =>
  core
    .handle('timeline.list', { incidentId })
    .entries.filter((e) => e.kind === 'timeline.entry')
    .map((e) => [e.actor, e.payload['text'], e.recordedAt]);

describe('drill scenarios shipped with the console', () => {
  test('three scenarios, each valid, in both languages, modelled on the case studies', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual(['retail-breach-alerts', 'airline-power-outage', 'credit-bureau-unpatched']);
    for (const scenario of SCENARIOS) {
      expect(ScenarioSchema.parse(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
      for (const text of [
        scenario.title,
        scenario.summary,
        scenario.basedOn,
        scenario.incident.title,
        scenario.incident.description,
        ...scenario.injects.map((i) => i.text),
      ]) {
        expect(text).toEqual({ en: expect.any(String), fr: expect.any(String) });
      }
      expect(scenario.injects.length).toBeGreaterThanOrEqual(8);
      expect(scenario.reference?.respondMs).not.toBeNull();
    }
    expect(SCENARIOS.map((s) => s.incident.category)).toEqual(['security', 'hardware', 'security']);
  });
});

describe('drills', () => {
  test('a scenario at 10×: injects arrive on a scaled schedule, recorded when delivered, marked as a drill everywhere', () => {
    const time = fakeTime();
    const { core } = openCore(tempDir(), time.now);
    core.drills.run(time.timers);
    const { incidentId } = core.handle('drill.start', {
      source: { kind: 'file', content: JSON.stringify(shortScenario) },
      speed: 10,
      language: 'en',
      commander: 'Dana',
    });
    const { incident } = core.handle('incident.get', { incidentId });
    expect(incident).toMatchObject({
      title: 'Drill: Queue backlog growing',
      drill: true,
      declaredAt: START,
      occurredAt: START - 30_000,
      roles: { commander: 'Dana' },
    });
    expect(core.handle('incidents.list', {}).find((i) => i.id === incidentId)?.drill).toBe(true);
    // The first inject is due at once.
    expect(timelineTexts(core, incidentId)).toEqual([['Queue monitor', 'Backlog at 10,000 messages', START]]);

    time.advance(59_000);
    expect(timelineTexts(core, incidentId)).toHaveLength(1);
    time.advance(1_000);
    expect(timelineTexts(core, incidentId)).toEqual([
      ['Queue monitor', 'Backlog at 10,000 messages', START],
      ['Platform team', 'One consumer pod is crash-looping', START + MIN],
    ]);
    time.advance(5 * MIN);
    expect(timelineTexts(core, incidentId).map((t) => t[2])).toEqual([START, START + MIN, START + 2 * MIN]);
    expect(time.armed()).toBe(0);

    const status = core.handle('drill.status', { incidentId }).drill!;
    expect(status).toMatchObject({
      source: 'file',
      sourceTitle: 'Short test drill',
      speed: 10,
      total: 3,
      delivered: 3,
      pending: 0,
      local: true,
      stopped: null,
    });
    const started = core.handle('timeline.list', { incidentId }).entries.find((e) => e.kind === 'drill.started');
    expect(started && parseEvent(started).payload).toMatchObject({ source: 'file', speed: 10, injects: 3, reference: shortScenario.reference });
  });

  test('the team responds; the review compares its times with the original, on the scenario’s scale', () => {
    const time = fakeTime();
    const { core } = openCore(tempDir(), time.now);
    const { incidentId } = core.handle('drill.start', { source: { kind: 'file', content: JSON.stringify(shortScenario) }, speed: 10, language: 'fr' });
    expect(core.handle('incident.get', { incidentId }).incident?.title).toBe('Exercice : La file d’attente grossit');
    time.advance(MIN);
    core.handle('incident.setStatus', { incidentId, status: 'investigating' });
    time.advance(2 * MIN);
    core.handle('incident.setStatus', { incidentId, status: 'mitigated' });
    const comparison = core.handle('drill.status', { incidentId }).drill!.comparison;
    expect(comparison).toEqual([
      { metric: 'respond', drillMs: MIN, scenarioMs: 10 * MIN, originalMs: 15 * MIN, deltaMs: -5 * MIN },
      { metric: 'mitigate', drillMs: 3 * MIN, scenarioMs: 30 * MIN, originalMs: 40 * MIN, deltaMs: -10 * MIN },
      { metric: 'resolve', drillMs: null, scenarioMs: null, originalMs: null, deltaMs: null },
    ]);
  });

  test('a recorded incident replays its observations, not the team’s decisions, and is compared with itself', () => {
    const time = fakeTime();
    const { core, store } = openCore(tempDir(), time.now);
    const original = reviewedIncident(core);
    const { incidentId } = core.handle('drill.start', { source: { kind: 'incident', incidentId: original.incidentId }, speed: 2, language: 'en' });
    time.advance(60 * MIN);
    core.drills.deliverDue();
    const replayed = timelineTexts(core, incidentId).map((t) => t[1]);
    // Notes and findings come back; the hypothesis the team raised does not: that is for the drill team to find.
    expect(replayed).toContain('Coffee machine is broken again');
    expect(replayed.some((t) => String(t).startsWith('Error rate at 60%'))).toBe(true);
    expect(replayed).not.toContain('Bad deploy of v42');
    const status = core.handle('drill.status', { incidentId }).drill!;
    expect(status).toMatchObject({ source: 'incident', sourceId: original.incidentId, speed: 2 });
    expect(status.comparison.map((r) => r.originalMs)).toEqual([0, 0, 0]);
    // The original record is untouched by its replay.
    expect(store.incidentEvents(original.incidentId).some((e) => e.kind.startsWith('drill.'))).toBe(false);
  });

  test('stopping cancels what has not arrived yet and records it; a closed drill gets no more injects', () => {
    const time = fakeTime();
    const { core } = openCore(tempDir(), time.now);
    core.drills.run(time.timers);
    const first = core.handle('drill.start', { source: { kind: 'file', content: JSON.stringify(shortScenario) }, speed: 1, language: 'en' });
    core.handle('drill.stop', { incidentId: first.incidentId });
    time.advance(30 * MIN);
    expect(timelineTexts(core, first.incidentId)).toHaveLength(1);
    expect(core.handle('drill.status', { incidentId: first.incidentId }).drill).toMatchObject({
      delivered: 1,
      pending: 0,
      stopped: { delivered: 1, cancelled: 2 },
    });
    expect(() => core.handle('drill.stop', { incidentId: first.incidentId })).toThrow('This drill was already stopped.');

    const second = core.handle('drill.start', { source: { kind: 'scenario', scenarioId: 'retail-breach-alerts' }, speed: 10, language: 'en' });
    core.handle('incident.setStatus', { incidentId: second.incidentId, status: 'closed' });
    time.advance(3 * 60 * MIN);
    const status = core.handle('drill.status', { incidentId: second.incidentId }).drill!;
    expect(status).toMatchObject({ delivered: 1, pending: 0, total: 10, stopped: { delivered: 1, cancelled: 9 } });
  });

  test('after a restart the schedule resumes; a delivery repeated after a crash is stored once', () => {
    const time = fakeTime();
    const dir = tempDir();
    const first = openCore(dir, time.now);
    const { incidentId } = first.core.handle('drill.start', { source: { kind: 'file', content: JSON.stringify(shortScenario) }, speed: 1, language: 'en' });
    first.store.close();

    time.advance(15 * MIN);
    const second = openCore(dir, time.now);
    second.core.drills.run(time.timers);
    expect(timelineTexts(second.core, incidentId).map((t) => t[2])).toEqual([START, START + 15 * MIN]);
    // A crash between storing an inject and marking it delivered: it is due again, and is the same event.
    second.store.db.prepare(`UPDATE drill_injects SET state = 'pending' WHERE incident_id = ? AND seq = 1`).run(incidentId);
    expect(second.core.drills.deliverDue()).toEqual([]);
    expect(timelineTexts(second.core, incidentId)).toHaveLength(2);
    const ids = second.core
      .handle('timeline.list', { incidentId })
      .entries.filter((e) => e.kind === 'timeline.entry')
      .map((e) => e.id);
    expect(ids).toEqual([injectEventId(incidentId, 0), injectEventId(incidentId, 1)]);
    second.core.drills.halt();
    second.store.close();
  });

  test('a bad scenario file or an unknown source is refused with its reason', () => {
    const { core } = openCore(tempDir());
    const refusal = (input: Parameters<typeof core.handle<'drill.start'>>[1]) => {
      try {
        core.handle('drill.start', input);
      } catch (error) {
        return error instanceof ApiError ? error.message : String(error);
      }
      return 'accepted';
    };
    expect(refusal({ source: { kind: 'file', content: 'not json' }, speed: 1, language: 'en' })).toMatch(/^The scenario file is not JSON/);
    expect(refusal({ source: { kind: 'file', content: JSON.stringify({ ...shortScenario, injects: [] }) }, speed: 1, language: 'en' })).toMatch(
      /^The scenario file is not valid: injects: Too small/,
    );
    expect(refusal({ source: { kind: 'scenario', scenarioId: 'nope' }, speed: 1, language: 'en' })).toBe('No scenario named nope.');
    expect(refusal({ source: { kind: 'file', content: JSON.stringify(shortScenario) }, speed: 3 as 1, language: 'en' })).toMatch(/^speed: /);
    // Each carries a stable reason and its params, which the console says in the user's language.
    const reason = (input: Parameters<typeof core.handle<'drill.start'>>[1]) => {
      try {
        core.handle('drill.start', input);
      } catch (error) {
        return error instanceof ApiError ? [error.body.reason, error.body.params] : [String(error)];
      }
      return ['accepted'];
    };
    expect(reason({ source: { kind: 'file', content: 'not json' }, speed: 1, language: 'en' })).toEqual(['scenario_not_json', undefined]);
    expect(reason({ source: { kind: 'file', content: JSON.stringify({ ...shortScenario, injects: [] }) }, speed: 1, language: 'en' })).toEqual([
      'scenario_invalid',
      { path: 'injects' },
    ]);
    expect(reason({ source: { kind: 'scenario', scenarioId: 'nope' }, speed: 1, language: 'en' })).toEqual(['scenario_unknown', { scenario: 'nope' }]);
    expect(core.handle('incidents.list', {})).toEqual([]);
  });
});
