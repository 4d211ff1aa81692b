import { useTranslation } from 'react-i18next';
import { useAlerts } from './store.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { shortTime } from '../../ui/format.js';

/**
 * Under an alert's timeline entry: whether the alert still fires. The entry records the alert as
 * it was when attached; its resolution arrives later on the alerts stream and shows here.
 */
export function AlertEntryStatus({ fingerprint }: { fingerprint: string }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(60_000);
  const status = useAlerts((s) => s.alerts.find((a) => a.fingerprint === fingerprint)?.status ?? null);
  const endsAt = useAlerts((s) => s.alerts.find((a) => a.fingerprint === fingerprint)?.endsAt ?? null);
  if (status === null) return null;
  return (
    <p className={`entry-text entry-detail alert-entry-${status}`} data-alert-status={status}>
      {status === 'resolved' ? t('alerts.entryResolved', { time: endsAt === null ? '' : shortTime(endsAt, now, locale) }) : t('alerts.entryFiring')}
    </p>
  );
}
