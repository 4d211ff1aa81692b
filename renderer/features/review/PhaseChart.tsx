import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { format } from 'date-fns';
import { MILESTONES, type IncidentMetrics, type Milestone } from '../../../shared/review/metrics.js';
import { useDateLocale } from '../../ui/hooks.js';
import { audienceLabel } from '../timeline/timeline-text.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Axis steps to choose from, so there are at most about eight labelled ticks. */
const STEPS = [MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 7 * 24 * HOUR];

const LEFT = 96;
const RIGHT = 16;
const LABEL_ROW = 13;
const LABEL_LEVELS = 4;
const PHASES_Y = LABEL_ROW * LABEL_LEVELS + 6;
const PHASES_H = 22;
const PRIORITY_Y = PHASES_Y + PHASES_H + 5;
const PRIORITY_H = 10;
/** Two lines, one per deadline, so close deadlines never print over each other. */
const DEADLINE_Y = { response: PRIORITY_Y + PRIORITY_H + 13, resolution: PRIORITY_Y + PRIORITY_H + 25 };
const AUDIENCE_Y = DEADLINE_Y.resolution + 8;
const AUDIENCE_H = 20;

/** The phase a stretch of time belongs to, named after the milestone that starts it. */
type Phase = 'undetected' | 'detected' | 'declared' | 'responding' | 'mitigated' | 'resolved';
const PHASE_AFTER: Partial<Record<Milestone, Phase>> = {
  occurred: 'undetected',
  detected: 'detected',
  declared: 'declared',
  responded: 'responding',
  mitigated: 'mitigated',
  resolved: 'resolved',
};

/**
 * The incident's phases on a time axis (occurred → … → closed), the time spent at each
 * priority, the SLA deadlines, and every update sent as a tick per audience, with the
 * stretches where an update was overdue. Drawn by hand in SVG so it follows the theme and
 * every mark can point at its entry in the curated timeline.
 */
export function PhaseChart({ metrics, onSelect }: { metrics: IncidentMetrics; onSelect: (eventIds: string[]) => void }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(320, box.clientWidth)));
    observer.observe(box);
    setWidth(Math.max(320, box.clientWidth));
    return () => observer.disconnect();
  }, []);

  const marks = MILESTONES.map((m) => metrics.milestones[m]).filter((m): m is typeof m & { at: number } => m.at !== null);
  const sends = metrics.updates.flatMap((u) => u.sent.map((s) => s.at));
  const response = metrics.sla.response.deadline;
  const resolution = metrics.sla.resolution.deadline;
  const known = [...marks.map((m) => m.at), ...sends, metrics.end];
  let t0 = Math.min(...known);
  let t1 = Math.max(...known);
  // A far deadline (a 3-day target on a one-hour incident, a 15-minute one on a 20-second drill)
  // would squash everything else: the scale fits the incident and such a deadline is pointed at.
  const reach = t0 + 1.6 * Math.max(t1 - t0, MIN);
  const responseOnChart = response !== null && response <= reach;
  const resolutionOnChart = resolution !== null && resolution <= reach;
  if (responseOnChart) t1 = Math.max(t1, response);
  if (resolutionOnChart) t1 = Math.max(t1, resolution);
  const pad = Math.max((t1 - t0) * 0.03, MIN / 2);
  t0 -= pad;
  t1 += pad;
  const plot = width - LEFT - RIGHT;
  const x = (at: number) => LEFT + ((at - t0) / (t1 - t0)) * plot;

  const audiences = metrics.updates;
  const axisY = AUDIENCE_Y + Math.max(1, audiences.length) * AUDIENCE_H + 6;
  const height = axisY + 20;
  const time = (at: number) => format(at, 'HH:mm', { locale });

  // Phases: from each recorded milestone to the next one recorded; a stretch stamped backwards is left out.
  const segments: { phase: Phase; from: number; to: number }[] = [];
  marks.forEach((m, i) => {
    const phase = PHASE_AFTER[m.milestone];
    const to = marks[i + 1]?.at ?? (m.milestone === 'closed' ? null : metrics.end);
    if (phase && to !== null && to > m.at) segments.push({ phase, from: m.at, to });
  });

  // Milestone labels climb a level when they would overlap the previous one.
  const levelEnds = Array<number>(LABEL_LEVELS).fill(-Infinity);
  const labelled = marks.map((m) => {
    const text = `${t(`review.metrics.milestone.${m.milestone}`)} ${time(m.at)}`;
    const cx = x(m.at);
    const w = text.length * 6.4;
    let level = levelEnds.findIndex((end) => cx - w / 2 > end + 4);
    // Every level taken: the label goes on the level that ends first, moved right until it clears.
    if (level < 0) level = levelEnds.indexOf(Math.min(...levelEnds));
    // The label stays inside the chart; its line still points at the exact time.
    const tx = Math.min(width - RIGHT - w / 2, Math.max(w / 2 + 2, cx, levelEnds[level]! + 4 + w / 2));
    levelEnds[level] = tx + w / 2;
    return { ...m, text, cx, tx, level };
  });

  const step = STEPS.find((s) => (t1 - t0) / s <= 8) ?? STEPS[STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let at = Math.ceil(t0 / step) * step; at <= t1; at += step) ticks.push(at);

  const activate = (ids: (string | null)[]) => {
    const list = ids.filter((id): id is string => id !== null);
    if (list.length) onSelect(list);
  };
  const onKey = (ids: (string | null)[]) => (e: KeyboardEvent<SVGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate(ids);
    }
  };

  const deadline = (kind: 'response' | 'resolution', at: number | null, breached: boolean) => {
    if (at === null) return null;
    const label = t(`review.chart.deadline.${kind}`, { time: time(at) });
    const tone = breached ? 'breached' : 'met';
    if ((kind === 'resolution' && !resolutionOnChart) || (kind === 'response' && !responseOnChart)) {
      return (
        <text key={kind} className={`chart-deadline-label tone-${tone}`} x={width - RIGHT} y={DEADLINE_Y[kind]} textAnchor="end" data-deadline={kind}>
          {t('review.chart.offChart', { label })}
        </text>
      );
    }
    const dx = x(at);
    const nearRight = dx > width - RIGHT - 160;
    return (
      <g key={kind} data-deadline={kind} className={`chart-deadline tone-${tone}`}>
        <line x1={dx} x2={dx} y1={PHASES_Y - 4} y2={axisY} />
        <text x={nearRight ? dx - 4 : dx + 4} y={DEADLINE_Y[kind]} textAnchor={nearRight ? 'end' : 'start'}>
          {label}
        </text>
      </g>
    );
  };

  return (
    <div className="phase-chart" ref={boxRef}>
      {/* A group, not an image: an image's parts are hidden from screen readers, and its milestones are buttons. */}
      <svg width={width} height={height} role="group" aria-label={t('review.chart.label')} data-testid="phase-chart">
        <title>{t('review.chart.label')}</title>
        <text className="chart-row-label" x={8} y={PHASES_Y + 15}>
          {t('review.chart.phases')}
        </text>
        <text className="chart-row-label" x={8} y={PRIORITY_Y + 9}>
          {t('review.chart.priority')}
        </text>
        {segments.map((s) => (
          <rect
            key={`${s.phase}-${s.from}`}
            className={`chart-phase phase-${s.phase}`}
            x={x(s.from)}
            y={PHASES_Y}
            width={Math.max(1, x(s.to) - x(s.from))}
            height={PHASES_H}
            data-phase={s.phase}
          >
            <title>{`${t(`review.chart.phase.${s.phase}`)} ${time(s.from)}–${time(s.to)}`}</title>
          </rect>
        ))}
        {metrics.pauses.map((p) => (
          <rect
            key={p.eventIds[0]}
            className="chart-pause"
            x={x(p.from)}
            y={PHASES_Y}
            width={Math.max(2, x(p.to ?? metrics.end) - x(p.from))}
            height={PHASES_H}
            onClick={() => activate(p.eventIds)}
          >
            <title>{`${t('review.chart.paused')}: ${p.reason}`}</title>
          </rect>
        ))}
        {metrics.priority.spells
          .filter((s) => s.to > s.from)
          .map((s) => (
            <rect
              key={s.eventId}
              className={`chart-priority priority-${s.priority}`}
              x={x(s.from)}
              y={PRIORITY_Y}
              width={Math.max(1, x(s.to) - x(s.from))}
              height={PRIORITY_H}
              onClick={() => activate([s.eventId])}
            >
              <title>{`${s.priority} ${time(s.from)}–${time(s.to)}`}</title>
            </rect>
          ))}
        {labelled.map((m) => (
          <g
            key={m.milestone}
            className="chart-milestone"
            data-milestone={m.milestone}
            tabIndex={m.eventId ? 0 : -1}
            role="button"
            aria-label={m.text}
            onClick={() => activate([m.eventId])}
            onKeyDown={onKey([m.eventId])}
          >
            <line x1={m.cx} x2={m.cx} y1={LABEL_ROW * (m.level + 1) + 2} y2={PHASES_Y + PHASES_H} />
            <path d={`M ${m.cx} ${PHASES_Y - 6} l 5 5 l -5 5 l -5 -5 z`} />
            <text x={m.tx} y={LABEL_ROW * (m.level + 1) - 1} textAnchor="middle">
              {m.text}
            </text>
          </g>
        ))}
        {deadline('response', response, metrics.sla.response.outcome === 'breached')}
        {deadline('resolution', resolution, metrics.sla.resolution.outcome === 'breached')}
        {audiences.length === 0 && (
          <text className="chart-row-label" x={8} y={AUDIENCE_Y + 14}>
            {t('review.chart.updates')}
          </text>
        )}
        {audiences.map((u, i) => {
          const y = AUDIENCE_Y + i * AUDIENCE_H;
          return (
            <g key={u.audience} className="chart-audience" data-audience={u.audience}>
              <text className="chart-row-label" x={8} y={y + 14}>
                {audienceLabel(u.audience, t)}
              </text>
              <line className="chart-lane" x1={LEFT} x2={width - RIGHT} y1={y + 10} y2={y + 10} />
              {u.cadence.misses.map((miss) => (
                <rect
                  key={`${miss.from}-${miss.to}`}
                  className="chart-late"
                  x={x(miss.from + miss.limitMs)}
                  y={y + 3}
                  width={Math.max(1, x(miss.to) - x(miss.from + miss.limitMs))}
                  height={14}
                  onClick={() => activate([miss.eventId])}
                >
                  <title>{t('review.chart.late')}</title>
                </rect>
              ))}
              {u.sent.map((s) => (
                <line
                  key={s.eventId}
                  className="chart-tick"
                  data-event-id={s.eventId}
                  x1={x(s.at)}
                  x2={x(s.at)}
                  y1={y + 2}
                  y2={y + 18}
                  onClick={() => activate([s.eventId])}
                >
                  <title>{`${audienceLabel(u.audience, t)} ${time(s.at)}`}</title>
                </line>
              ))}
            </g>
          );
        })}
        <line className="chart-axis" x1={LEFT} x2={width - RIGHT} y1={axisY} y2={axisY} />
        {ticks.map((at) => (
          <g key={at} className="chart-axis-tick">
            <line x1={x(at)} x2={x(at)} y1={axisY} y2={axisY + 4} />
            <text x={x(at)} y={axisY + 15} textAnchor="middle">
              {time(at)}
            </text>
          </g>
        ))}
      </svg>
      <ul className="chart-legend">
        {[...new Set(segments.map((s) => s.phase))].map((phase) => (
          <li key={phase}>
            <span className={`chart-swatch phase-${phase}`} aria-hidden="true" />
            {t(`review.chart.phase.${phase}`)}
          </li>
        ))}
        {metrics.pauses.length > 0 && (
          <li>
            <span className="chart-swatch chart-pause" aria-hidden="true" />
            {t('review.chart.paused')}
          </li>
        )}
        {metrics.updates.some((u) => u.cadence.misses.length > 0) && (
          <li>
            <span className="chart-swatch chart-late" aria-hidden="true" />
            {t('review.chart.late')}
          </li>
        )}
      </ul>
    </div>
  );
}
