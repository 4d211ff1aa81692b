import { format } from 'date-fns';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CATEGORIES } from '../../../shared/record/events.js';
import { PRIORITIES } from '../../../shared/incidents/priority.js';
import type { Trends } from '../../../shared/library/trends.js';
import { api } from '../../api/client.js';
import { useDateLocale } from '../../ui/hooks.js';
import { localTimeZone } from './library-files.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

const PERIODS = [6, 12, 24] as const;
const CATEGORY_COLOURS: Record<(typeof CATEGORIES)[number], string> = {
  hardware: '#f5a524',
  software: '#4ea1ff',
  network: '#3fb950',
  security: '#e5484d',
  other: '#8b98a9',
};
const PRIORITY_COLOURS: Record<(typeof PRIORITIES)[number], string> = { P1: '#e5484d', P2: '#f76b15', P3: '#e2b714', P4: '#3e8fe8', P5: '#6b7280' };
const HOUR = 3_600_000;
const AXIS = { stroke: '#8b98a9', fontSize: 12 };
const TOOLTIP = { contentStyle: { background: '#1c2430', border: '1px solid #2a3543', color: '#e6edf3' }, labelStyle: { color: '#e6edf3' } };

/** Trends across real incidents (drills never count): by category and priority, MTTR and SLA met, recurring factors. */
export function TrendsCharts() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const [months, setMonths] = useState<(typeof PERIODS)[number]>(12);
  const [trends, setTrends] = useState<Trends | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setTrends(null);
    api
      .call('trends.get', { timeZone: localTimeZone(), months })
      .then((value) => current && setTrends(value))
      .catch((e: unknown) => current && setError(t('library.trends.failed', { message: message(e) })));
    return () => {
      current = false;
    };
  }, [months, t]);

  if (error) return <ErrorNote text={error} />;
  if (!trends) return <p className="library-status">{t('library.trends.loading')}</p>;

  const monthLabel = (key: string) => {
    const [year, month] = key.split('-').map(Number) as [number, number];
    return format(new Date(year, month - 1, 1), 'MMM yy', { locale });
  };
  const rows = trends.months.map((m) => ({
    label: monthLabel(m.month),
    ...Object.fromEntries(CATEGORIES.map((c) => [`category.${c}`, m.byCategory[c]])),
    ...Object.fromEntries(PRIORITIES.map((p) => [`priority.${p}`, m.byPriority[p]])),
    mttr: m.mttrMs === null ? null : Math.round((m.mttrMs / HOUR) * 10) / 10,
    sla: m.slaMetRate === null ? null : Math.round(m.slaMetRate * 100),
  }));
  const empty = trends.months.every((m) => m.total === 0);

  return (
    <div className="trends">
      <div className="trends-head">
        <p className="muted" data-testid="trends-summary">
          {t('library.trends.summary', { incidents: String(trends.incidents), months: String(months), drills: String(trends.drillsExcluded) })}
        </p>
        <label className="inline-field">
          <span className="label">{t('library.trends.monthsLabel')}</span>
          <select value={months} onChange={(e) => setMonths(Number(e.target.value) as (typeof PERIODS)[number])}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t('library.trends.months', { count: p })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {empty && <p className="muted">{t('library.trends.noData')}</p>}
      <div className="trends-grid">
        <figure className="trend-chart" aria-label={t('library.trends.byCategory')}>
          <figcaption>{t('library.trends.byCategory')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#2a3543" vertical={false} />
              <XAxis dataKey="label" tick={AXIS} stroke={AXIS.stroke} />
              <YAxis allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
              <Tooltip {...TOOLTIP} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {CATEGORIES.map((c) => (
                <Bar key={c} dataKey={`category.${c}`} name={t(`category.${c}`)} stackId="c" fill={CATEGORY_COLOURS[c]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="trend-chart" aria-label={t('library.trends.byPriority')}>
          <figcaption>{t('library.trends.byPriority')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#2a3543" vertical={false} />
              <XAxis dataKey="label" tick={AXIS} stroke={AXIS.stroke} />
              <YAxis allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
              <Tooltip {...TOOLTIP} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {PRIORITIES.map((p) => (
                <Bar key={p} dataKey={`priority.${p}`} name={p} stackId="p" fill={PRIORITY_COLOURS[p]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="trend-chart" aria-label={t('library.trends.mttr')}>
          <figcaption>{t('library.trends.mttr')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <ComposedChart data={rows} margin={{ top: 8, right: 0, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#2a3543" vertical={false} />
              <XAxis dataKey="label" tick={AXIS} stroke={AXIS.stroke} />
              <YAxis yAxisId="h" tick={AXIS} stroke={AXIS.stroke} />
              <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} tick={AXIS} stroke={AXIS.stroke} />
              <Tooltip {...TOOLTIP} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar yAxisId="h" dataKey="mttr" name={t('library.trends.mttrHours')} fill="#4ea1ff" isAnimationActive={false} />
              <Line yAxisId="pct" dataKey="sla" name={t('library.trends.slaMet')} stroke="#3fb950" strokeWidth={2} connectNulls isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
        <figure className="trend-chart" aria-label={t('library.trends.factors')}>
          <figcaption>{t('library.trends.factors')}</figcaption>
          {trends.factors.length === 0 ? (
            <p className="muted">{t('library.trends.noFactors')}</p>
          ) : (
            <ol className="trend-factors">
              {trends.factors.map((f) => (
                <li key={`${f.category}:${f.text}`} title={f.incidents.map((i) => i.title).join('\n')}>
                  <span className="factor-count" style={{ width: `${Math.max(8, (f.count / trends.factors[0]!.count) * 100)}%` }} />
                  <span className="factor-text">{f.text}</span>
                  <span className="muted">
                    {t(`library.trends.category.${f.category}`)} · {t('library.trends.factorCount', { count: f.count })}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </figure>
      </div>
    </div>
  );
}
