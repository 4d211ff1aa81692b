import { isKnownKind, occurredAtOf, type EventEnvelope } from '../record/events.js';
import { kindSpec, shownAs } from '../record/kinds.js';
import { describeEvent } from '../record/sentences.js';
import type { IncidentView, TaskView } from '../record/fold.js';
import {
  computeMetrics,
  MILESTONES,
  type CadenceOf,
  type DurationMetric,
  type IncidentMetrics,
  type MetricProblem,
  type Milestone,
  type SlaMetric,
} from './metrics.js';
import { reportText, type ReportLanguage, type ReportText } from './report-text.js';
import { foldReview, viewReview, type ReviewView } from './review.js';
import type { SlaPolicy } from '../clocks/sla.js';
import { annotationTarget, applyAnnotation, emptyAnnotation, type Annotation } from '../timeline/timeline.js';
import { compareDrill, drillRecordOf, type ComparisonRow, type DrillRecord } from '../drills/drills.js';
import { html, lines, trustedHtml, type Html } from '../text/html.js';
import { md, mdTable, type MarkdownValue } from '../text/markdown.js';

/**
 * The post-incident report, built from the record alone: incident, review and metrics in, a
 * model out, then rendered as Markdown or as one self-contained HTML page (inline CSS and SVG,
 * no script, no request to anywhere). Markup comes only from html`` and md`` templates
 * (shared/text/html.ts, markdown.ts), which escape every value they are given, so nothing a
 * person typed can become markup.
 */

export interface ReportInput {
  view: IncidentView;
  /** Every event of the incident, in any order: the live record and the review alike. */
  events: readonly EventEnvelope[];
  policy: SlaPolicy;
  now: number;
  language: ReportLanguage;
  /** IANA zone the times are shown in: the reader's, as the console sends it. */
  timeZone: string;
  cadence?: CadenceOf;
  /** Called as timeline rows are built, for a progress bar on long incidents. */
  onProgress?: (done: number, total: number) => void;
}

export interface TimelineRow {
  id: string;
  at: number;
  actor: string;
  label: string;
  text: string;
  redacted: boolean;
  edited: boolean;
  moment: string | null;
  comments: { by: string; text: string }[];
}

export interface ReportModel {
  text: ReportText;
  language: ReportLanguage;
  timeZone: string;
  generatedAt: number;
  view: IncidentView;
  metrics: IncidentMetrics;
  review: ReviewView;
  rows: TimelineRow[];
  hiddenCount: number;
  hypotheses: { id: string; text: string; verdict: string }[];
  followups: TaskView[];
  sent: { audience: string; channel: string; at: number; by: string; body: string }[];
  drill: { record: DrillRecord; comparison: ComparisonRow[] } | null;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const PROGRESS_EVERY = 500;

/** Build everything the report shows, once, for both renderings. */
export function reportModel(input: ReportInput): ReportModel {
  const { view, events, language } = input;
  const t = reportText(language);
  const metrics = computeMetrics(view, events, { policy: input.policy, now: input.now, ...(input.cadence ? { cadence: input.cadence } : {}) });
  const review = viewReview(foldReview(events));
  const hidden = new Set(review.hidden);
  const moments = new Map(review.moments.map((m) => [m.targetId, t(`moment.${m.moment}`)]));
  const comments = new Map<string, { by: string; text: string }[]>();
  for (const c of review.comments) comments.set(c.targetId, [...(comments.get(c.targetId) ?? []), { by: c.by, text: c.text }]);

  const annotations = new Map<string, Annotation>();
  const unique = new Map<string, EventEnvelope>();
  for (const e of events) unique.set(e.id, e);
  for (const e of unique.values()) {
    const target = annotationTarget(e);
    if (target === null) continue;
    const annotation = annotations.get(target) ?? emptyAnnotation();
    applyAnnotation(annotation, e);
    annotations.set(target, annotation);
  }

  // The same rows as the console's timeline (the registry's `shown`), said with the same sentences.
  const entries = [...unique.values()].filter((e) => shownAs(e.kind) === 'row');
  const say = t.say;
  const f = formatters({ text: t, timeZone: input.timeZone });
  const at = (e: EventEnvelope) => annotations.get(e.id)?.occurredAt?.value ?? occurredAtOf(e);
  entries.sort((a, b) => at(a) - at(b) || (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  // A handful of badges label thousands of rows: each is translated once per report.
  const badgeLabels = new Map<string, string>();
  const badgeLabel = (badge: string) => {
    let label = badgeLabels.get(badge);
    if (label === undefined) badgeLabels.set(badge, (label = t.label('badge', badge)));
    return label;
  };
  const rows: TimelineRow[] = [];
  let hiddenCount = 0;
  entries.forEach((event, index) => {
    if (index % PROGRESS_EVERY === 0) input.onProgress?.(index, entries.length);
    if (hidden.has(event.id)) {
      hiddenCount++;
      return;
    }
    const said = describeEvent(event, { t: say, view, time: (ms) => f.time(ms), duration: (ms) => f.duration(ms) });
    const spec = isKnownKind(event.kind) ? kindSpec(event.kind) : null;
    const text = spec?.shown === 'row' && spec.reportDetails ? [said.text, ...said.details].join('\n') : said.text;
    const annotation = annotations.get(event.id);
    const redaction = annotation?.redaction?.value ?? null;
    const corrected = event.kind === 'timeline.entry' ? annotation?.text?.value : undefined;
    rows.push({
      id: event.id,
      at: at(event),
      actor: event.actor,
      label: badgeLabel(said.badge),
      text: redaction ? t('timeline.redacted', { reason: redaction.reason }) : (corrected ?? text),
      redacted: redaction !== null,
      edited: (annotation?.corrections.length ?? 0) > 0,
      moment: moments.get(event.id) ?? null,
      comments: comments.get(event.id) ?? [],
    });
  });
  input.onProgress?.(entries.length, entries.length);

  const verdicts = new Map(review.hypotheses.map((h) => [h.targetId, h.state]));
  const hypotheses = rows
    .filter((r) => !r.redacted && unique.get(r.id)?.kind === 'timeline.entry' && unique.get(r.id)?.payload['entryKind'] === 'hypothesis')
    .map((r) => ({ id: r.id, text: r.text, verdict: t(`hypothesis.${verdicts.get(r.id) ?? 'open'}`) }));

  const record = drillRecordOf(events);
  return {
    text: t,
    language,
    timeZone: input.timeZone,
    generatedAt: input.now,
    view,
    metrics,
    review,
    rows,
    hiddenCount,
    hypotheses,
    followups: view.tasks.filter((task) => task.kind === 'followup'),
    sent: view.comms
      .filter((d) => d.state === 'sent' && d.sentAt !== null)
      .map((d) => ({ audience: d.audience, channel: d.channel, at: d.sentAt!, by: d.sentBy ?? '', body: d.body }))
      .sort((a, b) => a.at - b.at),
    drill: record ? { record, comparison: compareDrill(view, events, record) } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting shared by both renderings.

interface Formatters {
  time(at: number | null): string;
  /** Hours and minutes only, for an axis that spans less than a day. */
  clock(at: number): string;
  duration(ms: number | null): string;
}

function formatters(model: Pick<ReportModel, 'text' | 'timeZone'>): Formatters {
  const dateTime = new Intl.DateTimeFormat(model.text.locale, {
    timeZone: model.timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const timeOnly = new Intl.DateTimeFormat(model.text.locale, { timeZone: model.timeZone, hour: '2-digit', minute: '2-digit' });
  const t = model.text;
  return {
    time: (at) => (at === null ? '—' : dateTime.format(at)),
    clock: (at) => timeOnly.format(at),
    duration(ms) {
      if (ms === null) return '—';
      const sign = ms < 0 ? '−' : '';
      const abs = Math.abs(ms);
      if (abs < 60_000) return `${sign}${Math.round(abs / 1000)} ${t('duration.s')}`;
      const minutes = Math.round(abs / 60_000);
      const d = Math.floor(minutes / 1440);
      const h = Math.floor((minutes % 1440) / 60);
      const m = minutes % 60;
      if (d > 0) return `${sign}${d} ${t('duration.d')} ${h} ${t('duration.h')}`;
      if (h > 0) return `${sign}${h} ${t('duration.h')} ${String(m).padStart(2, '0')} ${t('duration.min')}`;
      return `${sign}${m} ${t('duration.min')}`;
    },
  };
}

function problemText(problem: MetricProblem, t: ReportText): string | null {
  switch (problem.code) {
    case 'missing':
      return t('metrics.notRecorded', { milestone: t(`milestone.${problem.milestone}`) });
    case 'out_of_order':
      return t('metrics.outOfOrder', { milestone: t(`milestone.${problem.milestone}`), after: t(`milestone.${problem.after}`) });
    case 'reopened':
      return t('metrics.reopened', { count: problem.times });
    default:
      return null;
  }
}

function durationValue(metric: DurationMetric, t: ReportText, f: Formatters): string {
  if (metric.ms !== null) return f.duration(metric.ms);
  const reasons = metric.problems.map((p) => problemText(p, t)).filter((x): x is string => x !== null);
  return reasons.length ? reasons.join('; ') : '—';
}

function slaValue(metric: SlaMetric, t: ReportText, f: Formatters): string {
  const target = metric.targetMs === null ? '' : ` (${metric.priority}, ${f.duration(metric.targetMs)})`;
  switch (metric.outcome) {
    case 'met':
      return `${t('metrics.met')}${target}${metric.marginMs !== null ? ` — ${t('metrics.margin', { time: f.duration(metric.marginMs) })}` : ''}`;
    case 'breached':
      return `${t('metrics.breached')}${target}${metric.marginMs !== null ? ` ${t('metrics.over', { time: f.duration(-metric.marginMs) })}` : ''}`;
    case 'open':
      return `${t('metrics.open')}${target}`;
    case 'no_target':
      return t('metrics.noTarget');
    case 'unknown':
      return t('metrics.unknown');
  }
}

interface MetricLine {
  name: string;
  value: string;
}

function metricLines(model: ReportModel, f: Formatters): MetricLine[] {
  const { metrics: m, text: t } = model;
  return [
    { name: t('metrics.timeToDetect'), value: durationValue(m.timeToDetect, t, f) },
    { name: t('metrics.timeToRespond'), value: durationValue(m.timeToRespond, t, f) },
    { name: t('metrics.timeToMitigate'), value: durationValue(m.timeToMitigate, t, f) },
    { name: t('metrics.timeToResolve'), value: durationValue(m.timeToResolve, t, f) },
    { name: t('metrics.slaResponse'), value: slaValue(m.sla.response, t, f) },
    { name: t('metrics.slaResolution'), value: slaValue(m.sla.resolution, t, f) },
    { name: t('metrics.paused'), value: m.pausedMs > 0 ? f.duration(m.pausedMs) : t('metrics.none') },
    {
      name: t('metrics.timeAtPriority'),
      value: m.priority.totals.length ? m.priority.totals.map((p) => `${p.priority} ${f.duration(p.ms)}`).join(', ') : '—',
    },
  ];
}

interface Phase {
  from: Milestone;
  to: Milestone;
  start: number;
  end: number;
}

/** Consecutive recorded milestones in order; a milestone stamped out of order is left out rather than drawn backwards. */
function phasesOf(metrics: IncidentMetrics): Phase[] {
  const marks = MILESTONES.map((m) => metrics.milestones[m]).filter((m): m is typeof m & { at: number } => m.at !== null);
  const phases: Phase[] = [];
  let previous: (typeof marks)[number] | null = null;
  for (const mark of marks) {
    if (previous && mark.at < previous.at) continue;
    if (previous) phases.push({ from: previous.milestone, to: mark.milestone, start: previous.at, end: mark.at });
    previous = mark;
  }
  return phases;
}

function roleLines(view: IncidentView, t: ReportText): string[] {
  return Object.entries(view.roles).map(([role, person]) => `${t.label('role', role)}${t('colon')}${person}`);
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function reportMarkdown(model: ReportModel): string {
  const { view, text: t } = model;
  const f = formatters(model);
  const out: string[] = [];
  // A plain string is text, escaped like any value; markup comes only from md`` templates.
  const push = (...lines: MarkdownValue[]) => out.push(...lines.map((line) => md`${line}`.text));
  push(md`# ${t('docTitle')}${t('colon')}${view.title}`, '');
  if (view.drill) push(md`**${t('drill')}**`, '');
  push(md`_${t('generated', { at: f.time(model.generatedAt) })} — ${t('timesIn', { zone: model.timeZone })}_`, '');

  push(md`## ${t('sections.summary')}`, '');
  if (view.description) push(view.description, '');
  const facts: [string, string][] = [
    [t('fields.status'), t.label('status', view.status)],
    [
      t('fields.priority'),
      `${view.priority} (${t('fields.impact')} ${t.label('level', view.impact)}, ${t('fields.urgency')} ${t.label('level', view.urgency)})`,
    ],
    [t('fields.category'), t(`category.${view.category}`)],
    [t('fields.commander'), view.roles.commander ?? '—'],
    [t('fields.roles'), roleLines(view, t).join('; ') || '—'],
    [t('fields.detectedBy'), t.label('detectionSource', view.detectionSource)],
    [t('fields.reporter'), view.reporter || '—'],
    [t('fields.occurred'), f.time(view.occurredAt)],
    [t('fields.detected'), f.time(view.detectedAt)],
    [t('fields.declared'), f.time(view.declaredAt)],
    [t('fields.incidentId'), view.id],
  ];
  for (const [name, value] of facts) push(md`- **${name}**${t('colon')}${value}`);
  push('');

  push(md`## ${t('sections.impact')}`, '');
  push(md`- **${t('fields.services')}**${t('colon')}${view.services.join(', ') || '—'}`);
  push(md`- **${t('fields.impact')}**${t('colon')}${t.label('level', view.impact)}; **${t('fields.urgency')}**${t('colon')}${t.label('level', view.urgency)}`);
  push(
    md`- **${t('fields.priorityHistory')}**${t('colon')}${view.priorityChanges.map((c) => `${c.value} (${f.time(c.at)})`).join(' → ') || view.priority}`,
    '',
  );

  push(md`## ${t('sections.metrics')}`, '');
  push(
    mdTable(
      [t('metrics.metric'), t('metrics.value')],
      metricLines(model, f).map((l) => [l.name, l.value]),
    ),
    '',
  );
  push(md`### ${t('metrics.updates')}`, '');
  push(
    model.metrics.updates.length
      ? mdTable(
          [t('metrics.audience'), t('metrics.sent'), t('metrics.cadenceKept')],
          model.metrics.updates.map((u) => [
            t.label('audience', u.audience),
            String(u.sent.length),
            u.cadence.due ? `${u.cadence.kept}/${u.cadence.due}` : '—',
          ]),
        )
      : t('comms.none'),
    '',
  );

  push(md`## ${t('sections.chart')}`, '');
  const phases = phasesOf(model.metrics);
  push(
    mdTable(
      [t('chart.phase'), t('chart.from'), t('chart.to'), t('chart.duration')],
      phases.map((p) => [`${t(`milestone.${p.from}`)} → ${t(`milestone.${p.to}`)}`, f.time(p.start), f.time(p.end), f.duration(p.end - p.start)]),
    ),
    '',
  );
  const deadlines = [
    [t('chart.responseTarget'), model.metrics.sla.response.deadline],
    [t('chart.resolutionTarget'), model.metrics.sla.resolution.deadline],
  ] as const;
  for (const [name, at] of deadlines) if (at !== null) push(md`- ${name}${t('colon')}${f.time(at)}`);
  push('');

  if (model.drill) {
    push(md`## ${t('sections.drill')}`, '');
    push(md`- **${t('drillText.source')}**${t('colon')}${model.drill.record.sourceTitle}`);
    push(md`- **${t('drillText.speed')}**${t('colon')}${model.drill.record.speed}×`, '');
    push(
      mdTable(
        [t('metrics.metric'), t('drillText.drillTime'), t('drillText.scenarioTime'), t('drillText.original')],
        model.drill.comparison.map((row) => [comparisonName(row, t), f.duration(row.drillMs), f.duration(row.scenarioMs), f.duration(row.originalMs)]),
      ),
      '',
    );
  }

  push(md`## ${t('sections.causes')}`, '');
  push(md`### ${t('sections.hypotheses')}`, '');
  if (model.hypotheses.length) for (const h of model.hypotheses) push(md`- ${h.text} — _${h.verdict}_`);
  else push(t('causes.none'));
  push('', md`### ${t('sections.whys')}`, '');
  if (model.review.whys.length) {
    model.review.whys.forEach((w, i) => push(md`${i + 1}. **${t('causes.why')}** ${w.why} — **${t('causes.because')}** ${w.because}`));
  } else push(t('causes.none'));
  push('', md`### ${t('sections.factors')}`, '');
  if (model.review.factors.length) {
    for (const [category, items] of groupFactors(model)) {
      push(md`- **${t(`fishbone.${category}`)}**`);
      for (const item of items) push(md`  - ${item.text}`);
    }
  } else push(t('causes.none'));
  push('');

  push(md`## ${t('sections.followups')}`, '');
  push(
    model.followups.length
      ? mdTable(
          [t('followups.action'), t('followups.owner'), t('followups.due'), t('followups.status')],
          model.followups.map((task) => [
            task.title,
            task.owner || t('followups.noOwner'),
            task.dueAt === null ? t('followups.noDue') : f.time(task.dueAt),
            t.label('taskStatus', task.status),
          ]),
        )
      : t('followups.none'),
    '',
  );

  push(md`## ${t('sections.lessons')}`, '');
  for (const [section, notes] of groupNotes(model)) {
    push(md`### ${t(`lessonSection.${section}`)}`, '');
    if (notes.length) for (const n of notes) push(md`- ${n.text}`);
    else push(t('lessons.none'));
    push('');
  }

  push(md`## ${t('sections.comms')}`, '');
  if (model.sent.length) {
    for (const s of model.sent) push(md`- **${f.time(s.at)}** · ${t.label('audience', s.audience)} · ${t.label('channel', s.channel)} — ${s.body}`);
  } else push(t('comms.none'));
  push('');

  push(md`## ${t('sections.timeline')}`, '');
  if (model.hiddenCount) push(md`_${t('timeline.hiddenNote', { count: model.hiddenCount })}_`, '');
  if (model.rows.length === 0) push(t('timeline.empty'));
  for (const row of model.rows) {
    const moment = row.moment ? md` **[${row.moment}]**` : '';
    const edited = row.edited ? md` ${t('timeline.edited')}` : '';
    push(md`- **${f.time(row.at)}** · ${row.label} · ${row.actor}${moment} — ${row.text}${edited}`);
    for (const c of row.comments) push(md`  - _${t('timeline.comment')} (${c.by})_${t('colon')}${c.text}`);
  }
  push('');
  return out.join('\n');
}

function comparisonName(row: ComparisonRow, t: ReportText): string {
  return row.metric === 'respond' ? t('metrics.timeToRespond') : row.metric === 'mitigate' ? t('metrics.timeToMitigate') : t('metrics.timeToResolve');
}

function groupFactors(model: ReportModel) {
  const groups = new Map<ReviewView['factors'][number]['category'], ReviewView['factors']>();
  for (const factor of model.review.factors) groups.set(factor.category, [...(groups.get(factor.category) ?? []), factor]);
  return [...groups.entries()];
}

function groupNotes(model: ReportModel) {
  const sections = ['went_well', 'went_badly', 'lesson'] as const;
  return sections.map((section) => [section, model.review.notes.filter((n) => n.section === section)] as const);
}

// ---------------------------------------------------------------------------------------------
// HTML

/**
 * The page may not fetch anything: the policy forbids every source but its own inline
 * styles, so even a link slipped into the text could not load.
 */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 10.5pt/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1b2430; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 2.2rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; line-height: 1.25; overflow-wrap: break-word; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid #c9d3df; break-after: avoid; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
p, li { overflow-wrap: break-word; }
.meta { color: #52606d; font-size: .9rem; margin: 0 0 1rem; }
.drill { display: inline-block; background: #7a3fb8; color: #fff; font-weight: 700; padding: .15rem .6rem; border-radius: .3rem; margin: .2rem 0 .6rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .6rem 0; }
dl.facts dt { font-weight: 600; color: #3e4c59; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #dde3ea; overflow-wrap: anywhere; }
th { background: #eef2f6; font-weight: 600; }
tr { break-inside: avoid; }
table.timeline td.when { white-space: nowrap; color: #3e4c59; width: 9.5rem; }
table.timeline td.who { width: 9rem; }
table.timeline td.kind { width: 7rem; color: #52606d; }
.moment { display: inline-block; background: #fff1c2; border: 1px solid #e0b84a; border-radius: .25rem; padding: 0 .35rem; font-size: .8rem; font-weight: 600; margin-right: .3rem; }
.redacted { color: #7b8794; font-style: italic; }
.edited { color: #7b8794; font-size: .85rem; }
.comment { margin: .25rem 0 0; padding-left: .6rem; border-left: 3px solid #9fb3c8; color: #334e68; font-size: .88rem; }
.muted { color: #7b8794; }
.chart { margin: .4rem 0 .2rem; }
.chart svg { width: 100%; height: auto; }
figcaption { color: #52606d; font-size: .85rem; }
ol.whys li { margin-bottom: .3rem; }
.hidden-note { color: #52606d; font-style: italic; }
.timeline-print p { margin: 0 0 .2rem; padding-left: 1.4em; text-indent: -1.4em; }
.timeline-print p.comment { margin-left: 1.4em; text-indent: 0; }
@page { size: A4; margin: 14mm 12mm; }
@media print { main { max-width: none; padding: 0; } h2 { margin-top: 1.4rem; } }
`;

/** Only in the print layout (the HTML export stays as it was): its timeline's groups of paragraphs. */
const PRINT_STYLE = `.timeline-print .rows { content-visibility: auto; contain-intrinsic-size: auto 2300px; }`;

const PHASE_COLOURS = ['#9fb3c8', '#f0b429', '#e3342f', '#3b82f6', '#8e6bd8', '#38a169', '#52606d'];

/** The phase chart as SVG markup (for tests and any other page that embeds it). */
export function phaseChartSvg(model: ReportModel): string {
  return phaseChart(model).markup;
}

/** The phases on a time axis, SLA deadlines as dashed lines, and every sent update as a tick per audience. */
function phaseChart(model: ReportModel): Html {
  const { metrics, text: t } = model;
  const f = formatters(model);
  const phases = phasesOf(metrics);
  const audiences = metrics.updates.filter((u) => u.sent.length > 0);
  const deadlines = [
    { name: t('chart.responseTarget'), at: metrics.sla.response.deadline },
    { name: t('chart.resolutionTarget'), at: metrics.sla.resolution.deadline },
  ].filter((d): d is { name: string; at: number } => d.at !== null);
  const incidentTimes = [...phases.flatMap((p) => [p.start, p.end]), ...audiences.flatMap((a) => a.sent.map((s) => s.at)), model.view.declaredAt];
  const first = Math.min(...incidentTimes);
  const last = Math.max(...incidentTimes, first + 60_000);
  // The scale fits the incident: a target far beyond it (a 4-hour resolution target on a
  // 40-minute incident) would squash every phase into a corner; it is named at the edge instead.
  const reach = last + 0.6 * (last - first);
  const onChart = deadlines.filter((d) => d.at <= reach);
  const offChart = deadlines.filter((d) => d.at > reach);
  const start = Math.min(first, ...onChart.map((d) => d.at));
  const end = Math.max(last, ...onChart.map((d) => d.at));
  const width = 900;
  const left = 130;
  const right = 20;
  const plot = width - left - right;
  const x = (at: number) => left + ((at - start) / (end - start)) * plot;
  const barY = 52;
  const barH = 22;
  const rowsTop = barY + barH + 78;
  const rowH = 22;
  const height = rowsTop + audiences.length * rowH + 44;
  const parts: Html[] = [];
  parts.push(html`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(html`<text x="8" y="${barY + 15}" font-size="12" font-weight="600" fill="#3e4c59">${t('chart.phases')}</text>`);
  phases.forEach((p, i) => {
    const x0 = x(p.start);
    const w = Math.max(1.5, x(p.end) - x0);
    parts.push(
      html`<rect x="${x0.toFixed(1)}" y="${barY}" width="${w.toFixed(1)}" height="${barH}" fill="${PHASE_COLOURS[i % PHASE_COLOURS.length]}"><title>${`${t(`milestone.${p.from}`)} → ${t(`milestone.${p.to}`)}${t('colon')}${f.duration(p.end - p.start)}`}</title></rect>`,
    );
  });
  // Milestones close in time would print over each other: each label takes the first of four
  // lanes (two above the bar, two below) where it fits, with a leader line to its marker; when
  // none is free it slides right along the least crowded lane until it clears its neighbours.
  const lanes = [barY - 8, barY + barH + 15, barY - 22, barY + barH + 29];
  const taken: { from: number; to: number }[][] = lanes.map(() => []);
  const fits = (lane: number, from: number, w: number) => taken[lane]!.every((r) => from + w <= r.from || from >= r.to);
  for (const m of MILESTONES.map((name) => metrics.milestones[name])) {
    if (m.at === null) continue;
    const mx = x(m.at);
    const text = t(`milestone.${m.milestone}`);
    const w = text.length * 6.2 + 6;
    let from = Math.min(Math.max(mx - w / 2, 0), width - w);
    let lane = lanes.findIndex((_, i) => fits(i, from, w));
    if (lane < 0) {
      lane = taken.reduce((best, list, i) => (list.length < taken[best]!.length ? i : best), 0);
      from = Math.max(from, ...taken[lane]!.map((r) => r.to + 2));
    }
    taken[lane]!.push({ from, to: from + w });
    const ty = lanes[lane]!;
    const above = ty < barY;
    parts.push(
      html`<line x1="${mx.toFixed(1)}" y1="${above ? ty + 3 : barY - 4}" x2="${mx.toFixed(1)}" y2="${above ? barY + barH + 4 : ty - 10}" stroke="#1b2430" stroke-width="1"/>`,
    );
    parts.push(html`<text x="${(from + w / 2).toFixed(1)}" y="${ty}" font-size="10.5" text-anchor="middle" fill="#1b2430">${text}</text>`);
  }
  offChart.forEach((d, i) => {
    parts.push(
      html`<text x="${width - right}" y="${rowsTop - 22 + i * 14}" font-size="10" text-anchor="end" fill="#c53030">${`${d.name} ${f.time(d.at)} →`}</text>`,
    );
  });
  for (const d of onChart) {
    const dx = x(d.at);
    const anchor = dx > width - right - 80 ? 'end' : 'start';
    const offset = anchor === 'end' ? -4 : 4;
    parts.push(
      html`<line x1="${dx.toFixed(1)}" y1="${barY - 20}" x2="${dx.toFixed(1)}" y2="${height - 30}" stroke="#c53030" stroke-width="1.2" stroke-dasharray="5 4"/>`,
    );
    parts.push(
      html`<text x="${(dx + offset).toFixed(1)}" y="${d === onChart[0] && offChart.length === 0 ? rowsTop - 22 : rowsTop - 8}" font-size="10" text-anchor="${anchor}" fill="#c53030">${`${d.name} ${f.time(d.at)}`}</text>`,
    );
  }
  audiences.forEach((a, i) => {
    const y = rowsTop + i * rowH;
    parts.push(html`<text x="8" y="${y + 14}" font-size="11" fill="#3e4c59">${truncate(t.label('audience', a.audience), 18)}</text>`);
    parts.push(html`<line x1="${left}" y1="${y + 10}" x2="${width - right}" y2="${y + 10}" stroke="#dde3ea"/>`);
    for (const s of a.sent) {
      const sx = x(s.at).toFixed(1);
      parts.push(html`<line x1="${sx}" y1="${y + 2}" x2="${sx}" y2="${y + 18}" stroke="#2b6cb0" stroke-width="2.5"><title>${f.time(s.at)}</title></line>`);
    }
  });
  const axisY = height - 24;
  const oneDay = f.time(start).slice(0, 6) === f.time(end).slice(0, 6) && end - start < 86_400_000;
  parts.push(html`<line x1="${left}" y1="${axisY}" x2="${width - right}" y2="${axisY}" stroke="#52606d"/>`);
  for (let i = 0; i <= 4; i++) {
    const at = start + ((end - start) * i) / 4;
    const tx = x(at);
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    parts.push(html`<line x1="${tx.toFixed(1)}" y1="${axisY}" x2="${tx.toFixed(1)}" y2="${axisY + 4}" stroke="#52606d"/>`);
    parts.push(
      html`<text x="${tx.toFixed(1)}" y="${axisY + 16}" font-size="10" text-anchor="${anchor}" fill="#52606d">${oneDay ? f.clock(at) : f.time(at)}</text>`,
    );
  }
  return html`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${t('sections.chart')}">${parts}</svg>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Timeline entries per group of the print layout: a few hundred groups at most, each a screenful or more. */
const PRINT_GROUP_ROWS = 100;

/** `screen`: the timeline as a table, for reading the file; `print`: compact, for the PDF. */
export type HtmlLayout = 'screen' | 'print';

export function reportHtml(model: ReportModel, layout: HtmlLayout = 'screen'): string {
  const { view, text: t } = model;
  const f = formatters(model);
  const out: Html[] = [];
  const push = (part: Html) => out.push(part);
  push(html`<!DOCTYPE html><html lang="${model.language}"><head><meta charset="utf-8">`);
  push(html`<meta http-equiv="Content-Security-Policy" content="${trustedHtml(HTML_CSP)}">`);
  push(html`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  push(
    html`<title>${`${t('docTitle')}${t('colon')}${view.title}`}</title><style>${trustedHtml(layout === 'print' ? STYLE + PRINT_STYLE : STYLE)}</style></head><body><main>`,
  );
  push(html`<h1>${view.title}</h1>`);
  push(html`<p class="meta">${t('docTitle')} · ${t('generated', { at: f.time(model.generatedAt) })} · ${t('timesIn', { zone: model.timeZone })}</p>`);
  if (view.drill) push(html`<p class="drill">${t('drill')}</p>`);

  push(html`<h2>${t('sections.summary')}</h2>`);
  if (view.description) push(html`<p>${lines(view.description)}</p>`);
  const facts: [string, string][] = [
    [t('fields.status'), t.label('status', view.status)],
    [
      t('fields.priority'),
      `${view.priority} (${t('fields.impact')} ${t.label('level', view.impact)}, ${t('fields.urgency')} ${t.label('level', view.urgency)})`,
    ],
    [t('fields.category'), t(`category.${view.category}`)],
    [t('fields.commander'), view.roles.commander ?? '—'],
    [t('fields.roles'), roleLines(view, t).join('; ') || '—'],
    [t('fields.detectedBy'), t.label('detectionSource', view.detectionSource)],
    [t('fields.reporter'), view.reporter || '—'],
    [t('fields.occurred'), f.time(view.occurredAt)],
    [t('fields.detected'), f.time(view.detectedAt)],
    [t('fields.declared'), f.time(view.declaredAt)],
    [t('fields.incidentId'), view.id],
  ];
  push(html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`);

  push(html`<h2>${t('sections.impact')}</h2><dl class="facts">`);
  push(html`<dt>${t('fields.services')}</dt><dd>${view.services.join(', ') || '—'}</dd>`);
  push(html`<dt>${t('fields.impact')}</dt><dd>${t.label('level', view.impact)}</dd><dt>${t('fields.urgency')}</dt><dd>${t.label('level', view.urgency)}</dd>`);
  push(
    html`<dt>${t('fields.priorityHistory')}</dt><dd>${view.priorityChanges.map((c) => `${c.value} (${f.time(c.at)})`).join(' → ') || view.priority}</dd></dl>`,
  );

  push(html`<h2>${t('sections.metrics')}</h2>`);
  push(html`<table class="metrics"><thead><tr><th>${t('metrics.metric')}</th><th>${t('metrics.value')}</th></tr></thead><tbody>`);
  for (const line of metricLines(model, f)) push(html`<tr><td>${line.name}</td><td>${line.value}</td></tr>`);
  push(html`</tbody></table><h3>${t('metrics.updates')}</h3>`);
  if (model.metrics.updates.length) {
    push(html`<table><thead><tr><th>${t('metrics.audience')}</th><th>${t('metrics.sent')}</th><th>${t('metrics.cadenceKept')}</th></tr></thead><tbody>`);
    for (const u of model.metrics.updates) {
      push(
        html`<tr><td>${t.label('audience', u.audience)}</td><td>${u.sent.length}</td><td>${u.cadence.due ? `${u.cadence.kept}/${u.cadence.due}` : '—'}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  } else push(html`<p class="muted">${t('comms.none')}</p>`);

  push(html`<h2>${t('sections.chart')}</h2><figure class="chart">${phaseChart(model)}<figcaption>${t('chart.caption')}</figcaption></figure>`);
  const phases = phasesOf(model.metrics);
  if (phases.length) {
    push(
      html`<table><thead><tr><th>${t('chart.phase')}</th><th>${t('chart.from')}</th><th>${t('chart.to')}</th><th>${t('chart.duration')}</th></tr></thead><tbody>`,
    );
    for (const p of phases) {
      push(
        html`<tr><td>${`${t(`milestone.${p.from}`)} → ${t(`milestone.${p.to}`)}`}</td><td>${f.time(p.start)}</td><td>${f.time(p.end)}</td><td>${f.duration(p.end - p.start)}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  }

  if (model.drill) {
    push(html`<h2>${t('sections.drill')}</h2><dl class="facts"><dt>${t('drillText.source')}</dt><dd>${model.drill.record.sourceTitle}</dd>`);
    push(html`<dt>${t('drillText.speed')}</dt><dd>${model.drill.record.speed}×</dd></dl>`);
    push(
      html`<table><thead><tr><th>${t('metrics.metric')}</th><th>${t('drillText.drillTime')}</th><th>${t('drillText.scenarioTime')}</th><th>${t('drillText.original')}</th></tr></thead><tbody>`,
    );
    for (const row of model.drill.comparison) {
      push(
        html`<tr><td>${comparisonName(row, t)}</td><td>${f.duration(row.drillMs)}</td><td>${f.duration(row.scenarioMs)}</td><td>${f.duration(row.originalMs)}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  }

  push(html`<h2>${t('sections.causes')}</h2><h3>${t('sections.hypotheses')}</h3>`);
  push(
    model.hypotheses.length
      ? html`<ul>${model.hypotheses.map((x) => html`<li>${lines(x.text)} — <em>${x.verdict}</em></li>`)}</ul>`
      : html`<p class="muted">${t('causes.none')}</p>`,
  );
  push(html`<h3>${t('sections.whys')}</h3>`);
  push(
    model.review.whys.length
      ? html`<ol class="whys">${model.review.whys.map((w) => html`<li><strong>${t('causes.why')}</strong> ${lines(w.why)}<br><strong>${t('causes.because')}</strong> ${lines(w.because)}</li>`)}</ol>`
      : html`<p class="muted">${t('causes.none')}</p>`,
  );
  push(html`<h3>${t('sections.factors')}</h3>`);
  if (model.review.factors.length) {
    push(html`<dl class="facts">`);
    for (const [category, items] of groupFactors(model)) {
      push(html`<dt>${t(`fishbone.${category}`)}</dt><dd><ul>${items.map((i) => html`<li>${lines(i.text)}</li>`)}</ul></dd>`);
    }
    push(html`</dl>`);
  } else push(html`<p class="muted">${t('causes.none')}</p>`);

  push(html`<h2>${t('sections.followups')}</h2>`);
  if (model.followups.length) {
    push(
      html`<table class="followups"><thead><tr><th>${t('followups.action')}</th><th>${t('followups.owner')}</th><th>${t('followups.due')}</th><th>${t('followups.status')}</th></tr></thead><tbody>`,
    );
    for (const task of model.followups) {
      push(
        html`<tr><td>${task.title}</td><td>${task.owner || t('followups.noOwner')}</td><td>${task.dueAt === null ? t('followups.noDue') : f.time(task.dueAt)}</td><td>${t.label('taskStatus', task.status)}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  } else push(html`<p class="muted">${t('followups.none')}</p>`);

  push(html`<h2>${t('sections.lessons')}</h2>`);
  for (const [section, notes] of groupNotes(model)) {
    push(html`<h3>${t(`lessonSection.${section}`)}</h3>`);
    push(notes.length ? html`<ul>${notes.map((n) => html`<li>${lines(n.text)}</li>`)}</ul>` : html`<p class="muted">${t('lessons.none')}</p>`);
  }

  push(html`<h2>${t('sections.comms')}</h2>`);
  if (model.sent.length) {
    push(html`<table><tbody>`);
    for (const s of model.sent) {
      push(
        html`<tr><td class="when">${f.time(s.at)}</td><td>${t.label('audience', s.audience)} · ${t.label('channel', s.channel)}<br><span class="muted">${t('comms.sentBy', { who: s.by })}</span></td><td>${lines(s.body)}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  } else push(html`<p class="muted">${t('comms.none')}</p>`);

  push(html`<h2>${t('sections.timeline')}</h2>`);
  if (model.hiddenCount) push(html`<p class="hidden-note">${t('timeline.hiddenNote', { count: model.hiddenCount })}</p>`);
  if (model.rows.length === 0) push(html`<p class="muted">${t('timeline.empty')}</p>`);
  else if (layout === 'print') {
    // Chromium paginates thousands of table rows slowly: printed, each entry is one paragraph
    // with as few elements as possible (a 10,000-entry timeline prints in seconds, not tens).
    // The paragraphs go in groups the page skips laying out on screen (content-visibility): the
    // print lays every group out anyway, and the screen layout of all of them was wasted time.
    push(html`<div class="timeline-print">`);
    model.rows.forEach((row, i) => {
      if (i % PRINT_GROUP_ROWS === 0) push(i ? html`</div><div class="rows">` : html`<div class="rows">`);
      const head = `${f.time(row.at)} · ${row.actor} · ${row.label}${row.moment ? ` · [${row.moment}]` : ''} — `;
      const edited = row.edited ? ` ${t('timeline.edited')}` : '';
      push(html`<p${row.redacted ? html` class="redacted"` : ''}>${head}${lines(row.text)}${edited}</p>`);
      for (const c of row.comments) push(html`<p class="comment">${`${t('timeline.comment')} (${c.by})${t('colon')}`}${lines(c.text)}</p>`);
    });
    push(html`</div></div>`);
  } else {
    push(
      html`<table class="timeline"><thead><tr><th>${t('timeline.when')}</th><th>${t('timeline.who')}</th><th></th><th>${t('timeline.what')}</th></tr></thead><tbody>`,
    );
    for (const row of model.rows) {
      const moment = row.moment ? html`<span class="moment">${row.moment}</span>` : '';
      const body = row.redacted ? html`<span class="redacted">${row.text}</span>` : lines(row.text);
      const edited = row.edited ? html` <span class="edited">${t('timeline.edited')}</span>` : '';
      const comments = row.comments.map((c) => html`<p class="comment">${`${t('timeline.comment')} (${c.by})${t('colon')}`}${lines(c.text)}</p>`);
      push(
        html`<tr><td class="when">${f.time(row.at)}</td><td class="who">${row.actor}</td><td class="kind">${row.label}</td><td>${moment}${body}${edited}${comments}</td></tr>`,
      );
    }
    push(html`</tbody></table>`);
  }
  push(html`</main></body></html>`);
  return out.map((part) => part.markup).join('\n');
}
