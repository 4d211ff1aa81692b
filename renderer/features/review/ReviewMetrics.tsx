import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { computeMetrics, type DurationMetric, type IncidentMetrics, type MetricProblem, type SlaMetric } from '../../../shared/review/metrics.js';
import { cadenceOf } from '../../../shared/clocks/policy.js';
import { useFormatDuration, useNow } from '../../ui/hooks.js';
import { problemEventIds, problemText } from './review-text.js';
import { useIncidents } from '../incidents/store.js';
import { highlight, useReview } from './store.js';
import { useTeamSettings } from '../clocks/store.js';
import { audienceLabel } from '../timeline/timeline-text.js';
import { PhaseChart } from './PhaseChart.js';

/** The figures of the review, each a button that finds the entries it was computed from. */
export function ReviewMetrics() {
  const { t } = useTranslation();
  const view = useIncidents((s) => s.current);
  const policy = useIncidents((s) => s.slaPolicy);
  const entries = useReview((s) => s.entries);
  const settings = useTeamSettings((s) => s.settings);
  const now = useNow(60_000);
  // Judged against the rhythm the team promised each audience (its settings), the defaults until they load.
  const metrics = useMemo(
    () =>
      view && policy ? computeMetrics(view, entries, { policy, now, ...(settings && { cadence: (audience: string) => cadenceOf(settings, audience) }) }) : null,
    [view, policy, entries, now, settings],
  );
  if (!metrics) return null;
  return (
    <div className="review-metrics">
      <p className="hint">{t('review.metrics.linkHint')}</p>
      <PhaseChart metrics={metrics} onSelect={highlight} />
      <div className="metric-grid">
        <DurationCard name="timeToDetect" metric={metrics.timeToDetect} />
        <DurationCard name="timeToRespond" metric={metrics.timeToRespond} />
        <DurationCard name="timeToMitigate" metric={metrics.timeToMitigate} />
        <DurationCard name="timeToResolve" metric={metrics.timeToResolve} />
        <SlaCard name="slaResponse" metric={metrics.sla.response} />
        <SlaCard name="slaResolution" metric={metrics.sla.resolution} pausedMs={metrics.pausedMs} />
      </div>
      <Updates metrics={metrics} />
      <Priorities metrics={metrics} />
    </div>
  );
}

function Problems({ problems }: { problems: MetricProblem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <span className="metric-problems">
      {problems.map((p, i) => (
        <span key={i} className="metric-problem">
          {problemText(p, t)}
        </span>
      ))}
    </span>
  );
}

const withProblemIds = (ids: string[], problems: MetricProblem[]) => [...new Set([...ids, ...problems.flatMap(problemEventIds)])];

function DurationCard({ name, metric }: { name: 'timeToDetect' | 'timeToRespond' | 'timeToMitigate' | 'timeToResolve'; metric: DurationMetric }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  return (
    <button
      type="button"
      className={`metric-card${metric.problems.length ? ' has-problem' : ''}`}
      data-metric={name}
      onClick={() => highlight(withProblemIds(metric.eventIds, metric.problems))}
    >
      <span className="label">{t(`review.metrics.${name}`)}</span>
      <span className="metric-value">{metric.ms === null ? t('review.metrics.noFigure') : formatDuration(metric.ms)}</span>
      <span className="hint">
        {t('review.metrics.span', { from: t(`review.metrics.milestone.${metric.from}`), to: t(`review.metrics.milestone.${metric.to}`) })}
      </span>
      <Problems problems={metric.problems} />
    </button>
  );
}

function SlaCard({ name, metric, pausedMs }: { name: 'slaResponse' | 'slaResolution'; metric: SlaMetric; pausedMs?: number }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const margin = metric.marginMs === null ? '' : formatDuration(Math.abs(metric.marginMs));
  return (
    <button
      type="button"
      className={`metric-card sla-${metric.outcome}`}
      data-metric={name}
      data-outcome={metric.outcome}
      onClick={() => highlight(withProblemIds(metric.eventIds, metric.problems))}
    >
      <span className="label">{t(`review.metrics.${name}`)}</span>
      <span className="metric-value">{t(`review.metrics.outcome.${metric.outcome}`, { time: margin })}</span>
      {metric.targetMs !== null && (
        <span className="hint">{t('review.metrics.target', { time: formatDuration(metric.targetMs), priority: metric.priority })}</span>
      )}
      {pausedMs !== undefined && pausedMs > 0 && <span className="hint">{t('review.metrics.paused', { time: formatDuration(pausedMs) })}</span>}
      <Problems problems={metric.problems.filter((p) => p.code !== 'no_target')} />
    </button>
  );
}

function Updates({ metrics }: { metrics: IncidentMetrics }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  return (
    <section className="review-block" aria-labelledby="review-updates">
      <h3 id="review-updates">{t('review.metrics.updates')}</h3>
      {metrics.updates.length === 0 ? (
        <p className="empty">{t('review.metrics.noUpdates')}</p>
      ) : (
        <table className="review-table" data-testid="updates-table">
          <thead>
            <tr>
              <th scope="col">{t('review.metrics.audience')}</th>
              <th scope="col">{t('review.metrics.sent')}</th>
              <th scope="col">{t('review.metrics.cadence')}</th>
              <th scope="col">{t('review.metrics.longestLate')}</th>
            </tr>
          </thead>
          <tbody>
            {metrics.updates.map((u) => {
              const worst = u.cadence.misses.reduce((max, m) => Math.max(max, m.gapMs), 0);
              return (
                <tr key={u.audience} data-audience={u.audience}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      onClick={() => highlight([...u.eventIds, ...u.cadence.misses.flatMap((m) => (m.eventId ? [m.eventId] : []))])}
                    >
                      {audienceLabel(u.audience, t)}
                    </button>
                  </th>
                  <td>{u.sent.length}</td>
                  <td className={u.cadence.misses.length ? 'tone-breached' : undefined}>
                    {u.cadence.due === 0
                      ? t('review.metrics.noCadence')
                      : t('review.metrics.cadenceValue', { kept: String(u.cadence.kept), due: String(u.cadence.due) })}
                  </td>
                  <td>{worst ? formatDuration(worst) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {metrics.updates.map((u) => (u.problems.length ? <Problems key={u.audience} problems={u.problems} /> : null))}
    </section>
  );
}

function Priorities({ metrics }: { metrics: IncidentMetrics }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  return (
    <section className="review-block" aria-labelledby="review-priorities">
      <h3 id="review-priorities">{t('review.metrics.priority')}</h3>
      <div className="priority-times">
        {metrics.priority.totals.map((p) => (
          <button key={p.priority} type="button" className="priority-time" data-priority={p.priority} onClick={() => highlight(p.eventIds)}>
            <span className={`priority-badge priority-${p.priority}`}>{p.priority}</span> {formatDuration(p.ms)}
          </button>
        ))}
      </div>
      <Problems problems={metrics.priority.problems} />
    </section>
  );
}
