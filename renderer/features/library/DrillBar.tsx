import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrillStatus } from '../../../shared/library/channels.js';
import { api } from '../../api/client.js';
import { describeDuration } from '../clocks/duration-text.js';
import { useFormatDuration, useNow } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

/** Under the header of a drill: what it replays, how many injects have come and when the next one is due, and how the team compares. */
export function DrillBar() {
  const incidentId = useIncidents((s) => (s.current?.drill ? s.current.id : null));
  if (!incidentId) return null;
  return <DrillStatusBar key={incidentId} incidentId={incidentId} />;
}

function DrillStatusBar({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const [drill, setDrill] = useState<DrillStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .call('drill.status', { incidentId })
      .then((status) => setDrill(status.drill))
      .catch((e: unknown) => setError(message(e)));
  }, [incidentId]);

  useEffect(() => {
    load();
    return api.onChange((notice) => {
      if (notice.incidentIds.includes(incidentId)) load();
    });
  }, [incidentId, load]);

  if (!drill) return <ErrorNote text={error} />;

  const stop = async () => {
    setError(null);
    try {
      await command('drill.stop', { incidentId });
      load();
    } catch (e) {
      setError(t('library.bar.stopFailed', { message: message(e) }));
    }
  };

  const running = !drill.stopped && drill.pending > 0;
  let progress: ReactNode = null;
  if (drill.stopped) progress = <span className="muted">{t('library.bar.stopped')}</span>;
  else if (running && drill.nextDueAt !== null) progress = <NextInject at={drill.nextDueAt} />;
  else if (drill.delivered >= drill.total) progress = <span className="muted">{t('library.bar.allDelivered')}</span>;
  else if (!drill.local) progress = <span className="muted">{t('library.bar.remote')}</span>;
  return (
    <section className="drill-bar" aria-label={t('library.bar.label')} data-testid="drill-bar">
      <span className="drill-badge">{t('library.bar.label')}</span>
      <span>{t('library.bar.replay', { source: drill.sourceTitle, speed: String(drill.speed) })}</span>
      <span className="drill-injects" data-testid="drill-injects">
        {t('library.bar.injects', { delivered: String(drill.delivered), total: String(drill.total) })}
      </span>
      {progress}
      {running && (
        <button type="button" onClick={() => void stop()}>
          {t('library.bar.stop')}
        </button>
      )}
      <Comparison drill={drill} />
      <ErrorNote text={error} />
    </section>
  );
}

function NextInject({ at }: { at: number }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const formatDuration = useFormatDuration();
  return <span className="muted">{t('library.bar.next', { time: formatDuration(Math.max(0, at - now)) })}</span>;
}

function Comparison({ drill }: { drill: DrillStatus }) {
  const { t } = useTranslation();
  const known = drill.comparison.filter((row) => row.scenarioMs !== null || row.originalMs !== null);
  if (known.length === 0) return null;
  // A drill at 10× often answers within the minute: seconds say more than "0 min".
  const span = (ms: number) => (ms < 60_000 ? t('library.bar.seconds', { count: Math.round(ms / 1000) }) : describeDuration(ms, t));
  const time = (ms: number | null, fallback: string) => (ms === null ? fallback : span(ms));
  return (
    <dl className="drill-compare" aria-label={t('library.bar.compare')} title={t('library.bar.compare')}>
      {known.map((row) => (
        <div key={row.metric} data-testid={`drill-compare-${row.metric}`}>
          <dt>{t(`library.bar.metric.${row.metric}`)}</dt>
          <dd>
            {t('library.bar.vs', { drill: time(row.scenarioMs, t('library.bar.notYet')), original: time(row.originalMs, t('library.bar.unknown')) })}
            {row.deltaMs !== null && row.deltaMs !== 0 && (
              <span className={row.deltaMs < 0 ? 'delta better' : 'delta worse'}>
                {' '}
                ({t(row.deltaMs < 0 ? 'library.bar.faster' : 'library.bar.slower', { time: span(Math.abs(row.deltaMs)) })})
              </span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
