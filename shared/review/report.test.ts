import { describe, expect, test } from 'vitest';
import { parseEvent, type EventEnvelope } from '../record/events.js';
import { foldIncident, viewIncident } from '../record/fold.js';
import { HlcClock } from '../record/hlc.js';
import { phaseChartSvg, reportHtml, reportMarkdown, reportModel, type ReportInput } from './report.js';
import { DEFAULT_SLA_POLICY } from '../clocks/sla.js';
import { escapeMarkdown } from '../text/markdown.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const INCIDENT = '0190a0b0-0000-7000-8000-000000000001';
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 25, 9, 0);

let counter = 0;
const uuid = () => `0190a0b0-0000-7000-8000-${String(++counter).padStart(12, '0')}`;

/** A resolved incident with a review: curation, causes, follow-ups and lessons, and hostile text everywhere a person types. */
function reviewedIncident() {
  const clock = new HlcClock('dev-a', () => T0);
  let wall = T0;
  const events: EventEnvelope[] = [];
  const add = (minutes: number, kind: string, payload: Record<string, unknown>, actor = 'Ana') => {
    wall = T0 + minutes * MIN;
    const event = parseEvent({ id: uuid(), incidentId: INCIDENT, kind, payload, actor, deviceId: 'dev-a', hlc: clock.tick(), recordedAt: wall });
    events.push(event);
    // The clock reads a fixed time; tick() still orders the stamps.
    return event;
  };
  const at = (minutes: number) => T0 + minutes * MIN;
  add(0, 'incident.declared', {
    title: `Checkout down ${HOSTILE}`,
    description: `Card payments fail ${HOSTILE}`,
    occurredAt: at(-10),
    detectedAt: at(-4),
    declaredAt: at(0),
    services: ['checkout', `payments ${HOSTILE}`],
    reporter: 'noc@example.com',
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'high',
    urgency: 'high',
    commander: 'Ana',
    drill: false,
  });
  add(3, 'incident.status', { status: 'investigating', occurredAt: at(3) });
  const noise = add(4, 'timeline.entry', { entryKind: 'note', text: 'Coffee machine is broken again', occurredAt: at(4) });
  const finding = add(6, 'timeline.entry', { entryKind: 'finding', text: `Error rate 60% ${HOSTILE}`, occurredAt: at(6) });
  const hypothesis = add(7, 'timeline.entry', { entryKind: 'hypothesis', text: 'Bad deploy of v42', occurredAt: at(7) });
  const secret = add(8, 'timeline.entry', { entryKind: 'note', text: 'db password is hunter2', occurredAt: at(8) });
  add(9, 'timeline.redacted', { targetId: secret.id, reason: 'credential', occurredAt: at(9) });
  add(10, 'timeline.entry', { entryKind: 'decision', text: 'Roll back to v41', occurredAt: at(10) });
  const draftId = uuid();
  add(11, 'comms.drafted', { draftId, audience: 'customers', channel: 'status_page', body: 'Payments failing', occurredAt: at(11) });
  add(12, 'comms.approved', { draftId, occurredAt: at(12) });
  add(13, 'comms.sent', { draftId, channel: 'status_page', body: `Payments failing; rolling back ${HOSTILE}`, occurredAt: at(13) });
  add(20, 'incident.status', { status: 'mitigated', occurredAt: at(20) });
  add(40, 'incident.status', { status: 'resolved', occurredAt: at(40) });
  const followups = [`Add a canary stage ${HOSTILE}`, 'Alert on checkout error rate', 'Write the rollback runbook'];
  followups.forEach((title, i) =>
    add(50 + i, 'task.created', { taskId: uuid(), title, owner: i === 2 ? 'Bo' : 'Chloé', kind: 'followup', dueAt: at(7 * 24 * 60), occurredAt: at(50 + i) }),
  );
  add(60, 'review.hidden', { targetId: noise.id, hidden: true });
  add(60, 'review.moment', { targetId: finding.id, moment: 'detection' });
  add(61, 'review.comment', { commentId: uuid(), targetId: finding.id, text: `Seen late ${HOSTILE}` });
  add(61, 'review.hypothesis_state', { targetId: hypothesis.id, state: 'confirmed' });
  add(62, 'review.why', { whyId: uuid(), order: 1, why: 'Why did checkout fail?', because: `v42 broke the card form ${HOSTILE}`, cites: [] });
  add(62, 'review.why', { whyId: uuid(), order: 2, why: 'Why was v42 shipped?', because: 'No canary stage', cites: [] });
  add(63, 'review.factor', { factorId: uuid(), category: 'process', text: 'No canary stage', cites: [] });
  add(63, 'review.factor', { factorId: uuid(), category: 'technology', text: `Card form has no tests ${HOSTILE}`, cites: [] });
  add(64, 'review.note', { noteId: uuid(), section: 'went_well', text: 'Rollback took 7 minutes', cites: [] });
  add(64, 'review.note', { noteId: uuid(), section: 'lesson', text: `Canary every deploy ${HOSTILE}`, cites: [] });
  const view = viewIncident(foldIncident(INCIDENT, events))!;
  return { view, events, followups, noise, secret };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const { view, events } = reviewedIncident();
  return { view, events, policy: DEFAULT_SLA_POLICY, now: T0 + 2 * 60 * MIN, language: 'en', timeZone: 'Europe/Paris', ...overrides };
}

describe('Markdown report', () => {
  test('lists every follow-up with its owner, and every section', () => {
    const { followups } = reviewedIncident();
    const md = reportMarkdown(reportModel(input()));
    for (const title of followups) expect(md).toContain(escapeMarkdown(title));
    expect(md).toContain('| Write the rollback runbook | Bo |');
    for (const heading of ['Summary', 'Impact', 'Timeline', 'Metrics', 'Phases', 'Causes and contributing factors', 'Follow-up actions', 'Lessons']) {
      expect(md).toMatch(new RegExp(`^## ${heading}$`, 'm'));
    }
    expect(md).toContain('Why did checkout fail?');
    expect(md).toContain('Rollback took 7 minutes');
    expect(md).toContain('Bad deploy of v42 — _confirmed_');
  });

  test('leaves hidden entries out of the curated timeline and never shows redacted words', () => {
    const md = reportMarkdown(reportModel(input()));
    expect(md).not.toContain('Coffee machine');
    expect(md).toContain('One entry hidden by the review is left out.');
    expect(md).not.toContain('hunter2');
    expect(md).toContain('\\[redacted: credential\\]');
  });

  test('escapes markup a person typed: no raw HTML reaches a Markdown viewer', () => {
    const md = reportMarkdown(reportModel(input()));
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('speaks French when asked, with times in the reader’s zone', () => {
    const md = reportMarkdown(reportModel(input({ language: 'fr' })));
    expect(md).toMatch(/^# Rapport post-incident/);
    expect(md).toContain('## Actions de suivi');
    expect(md).toContain('## Chronologie');
    // 09:00 UTC is 10:00 in Paris in November.
    expect(md).toContain('25 nov. 2026, 10:00');
  });
});

test('every word comes from the catalogue in both languages: no key is left showing', () => {
  for (const language of ['en', 'fr'] as const) {
    const model = reportModel(input({ language }));
    for (const text of [reportMarkdown(model), reportHtml(model), reportHtml(model, 'print')]) {
      expect(text).not.toMatch(/\b(report|label|kind)\.[a-zA-Z]+/);
      expect(text).not.toContain('{{');
    }
  }
});

describe('HTML report', () => {
  test('is one self-contained page: no script, no external reference, a policy that forbids loading anything', () => {
    const html = reportHtml(reportModel(input()));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg viewBox');
  });

  test('escapes everything a person typed', () => {
    const html = reportHtml(reportModel(input()));
    expect(html).not.toContain('<img');
    expect(html.match(/&lt;img src=x onerror=alert\(1\)&gt;/g)!.length).toBeGreaterThanOrEqual(8);
  });

  test('shows the curated timeline, the chart with the SLA targets, the follow-ups and lessons', () => {
    const { followups } = reviewedIncident();
    const html = reportHtml(reportModel(input()));
    expect(html).not.toContain('Coffee machine');
    expect(html).not.toContain('hunter2');
    expect(html).toContain('<span class="moment">Detection</span>');
    expect(html).toContain('Review comment (Ana)');
    expect(html).toContain('response target');
    expect(html).toContain('resolution target');
    for (const title of followups) expect(html).toContain(title.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).toContain('Canary every deploy');
    expect(html).toMatch(/Response SLA<\/td><td>met \(P1, 15 min\)/);
  });

  test('the phase chart: its scale fits the incident, a far target is named at the edge, no two labels overlap', () => {
    const svg = phaseChartSvg(reportModel(input()));
    // 50 minutes of incident against a 4-hour resolution target: the target is pointed at, not drawn to scale.
    expect(svg).toMatch(/resolution target [^<]* →<\/text>/);
    const phaseWidths = [...svg.matchAll(/<rect x="[\d.]+" y="52" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(phaseWidths.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.6 * 750);
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="10.5" text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map((m) => {
      const w = m[3]!.length * 6.2 + 6;
      return { y: m[2], from: Number(m[1]) - w / 2, to: Number(m[1]) + w / 2 };
    });
    expect(labels.length).toBeGreaterThanOrEqual(5);
    for (const a of labels) for (const b of labels) if (a !== b && a.y === b.y) expect(a.to <= b.from + 0.2 || b.to <= a.from + 0.2).toBe(true);
  });

  test('the print layout (what a PDF is printed from) keeps every entry, one escaped paragraph each', () => {
    const model = reportModel(input());
    const html = reportHtml(model, 'print');
    expect(html).not.toContain('<table class="timeline">');
    const rows = html.slice(html.indexOf('<div class="timeline-print">')).match(/<p(?: class="redacted")?>/g) ?? [];
    expect(rows).toHaveLength(model.rows.length);
    expect(html).toContain('· Finding · [Detection] — Error rate 60% &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('hunter2');
  });

  test('printed, a long timeline goes in groups of 100 entries the screen need not lay out; the HTML export has none of that', () => {
    const model = reportModel(input());
    const many = { ...model, rows: Array.from({ length: 250 }, (_, i) => ({ ...model.rows[i % model.rows.length]!, id: `row-${i}` })) };
    const html = reportHtml(many, 'print');
    const timeline = html.slice(html.indexOf('<div class="timeline-print">'));
    const groups = timeline.split('<div class="rows">').slice(1);
    expect(groups.map((g) => (g.match(/<p(?: class="redacted")?>/g) ?? []).length)).toEqual([100, 100, 50]);
    expect(timeline.match(/<\/div>/g)).toHaveLength(4);
    expect(html).toContain('.timeline-print .rows { content-visibility: auto;');
    const screen = reportHtml(many);
    expect(screen).not.toContain('content-visibility');
    expect(screen).not.toContain('<div class="rows">');
  });

  test('reports progress while building a long timeline', () => {
    const calls: [number, number][] = [];
    reportModel(input({ onProgress: (done, total) => calls.push([done, total]) }));
    expect(calls.at(-1)?.[0]).toBe(calls.at(-1)?.[1]);
    expect(calls[0]).toEqual([0, calls[0]![1]]);
  });
});
