import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../shared/record/fold.js';
import { useAlerts } from './store.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { shortTime } from '../../ui/format.js';

/**
 * Under an alert's timeline entry: whether the alert still fires. The entry records the alert as
 * it was when attached; its resolution is in the incident's own record (alert.resolved, folded
 * into the view's resolvedAlerts), so a console that holds the incident without the alerts
 * stream (an imported archive, a laptop that joined later) says it too. The inbox adds only what
 * the record cannot: that the alert fires (again, when it started after the recorded resolution).
 */
export function AlertEntryStatus({ fingerprint, view }: { fingerprint: string; view: IncidentView | null }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(60_000);
  const resolvedAt = view?.resolvedAlerts.find((r) => r.fingerprint === fingerprint)?.endsAt ?? null;
  const firingSince = useAlerts((s) => {
    const alert = s.alerts.find((a) => a.fingerprint === fingerprint);
    return alert && alert.status !== 'resolved' ? alert.startsAt : null;
  });
  const status = firingSince !== null && (resolvedAt === null || firingSince > resolvedAt) ? 'firing' : resolvedAt !== null ? 'resolved' : null;
  if (status === null) return null;
  return (
    <p className={`entry-text entry-detail alert-entry-${status}`} data-alert-status={status}>
      {status === 'resolved' ? t('alerts.entryResolved', { time: shortTime(resolvedAt!, now, locale) }) : t('alerts.entryFiring')}
    </p>
  );
}
