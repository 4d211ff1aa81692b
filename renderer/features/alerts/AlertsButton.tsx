import { useTranslation } from 'react-i18next';
import { useAlerts, useNewAlertCount } from './store.js';

/**
 * The header's way into the alert inbox, with the number of alerts nobody has looked at yet.
 * A button (Tab, Enter) like the key a and the palette's entry; the count is in its name, so a
 * screen reader says "Alerts, 3 new" and not a bare figure.
 */
export function AlertsButton() {
  const { t } = useTranslation();
  const fresh = useNewAlertCount();
  return (
    <button
      type="button"
      className="alerts-button"
      data-testid="alerts-button"
      aria-keyshortcuts="a"
      aria-label={fresh > 0 ? t('alerts.buttonNew', { count: fresh }) : t('alerts.button')}
      title={t('alerts.buttonHint')}
      onClick={() => useAlerts.getState().setOpen(true)}
    >
      {t('alerts.button')}
      {fresh > 0 && (
        <span className="alerts-badge" data-testid="alerts-badge" aria-hidden="true">
          {fresh}
        </span>
      )}
    </button>
  );
}
