import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { command } from '../../app/actions.js';
import { message, refreshList } from './view-sync.js';
import { useUi } from '../../app/ui-store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { LanguageSwitch } from '../../ui/LanguageSwitch.js';
import { WelcomeLibraryActions } from '../library/LibraryPanels.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';

export function Welcome() {
  const { t } = useTranslation();
  const setDeclareOpen = useUi((s) => s.setDeclareOpen);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const openSample = async () => {
    setBusy(true);
    try {
      const { incidentId } = await command('incident.openSampleDrill', {});
      await refreshList();
      useUi.getState().selectIncident(incidentId);
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };

  return (
    <main className="welcome">
      <div className="welcome-top">
        <span className="brand">{t('app.name')}</span>
        <SyncIndicator />
        <LanguageSwitch />
      </div>
      <div className="welcome-card">
        <h1>{t('welcome.title')}</h1>
        <p className="lead">{t('welcome.lead')}</p>
        <div className="welcome-actions">
          <button type="button" className="primary big" autoFocus onClick={() => setDeclareOpen(true)}>
            {t('welcome.declare')}
          </button>
          <button type="button" className="big" disabled={busy} onClick={() => void openSample()}>
            {t('welcome.sample')}
          </button>
        </div>
        <p className="muted">{t('welcome.sampleHint')}</p>
        <WelcomeLibraryActions />
        <ErrorNote text={error} />
        <p className="hint">{t('welcome.shortcuts')}</p>
      </div>
    </main>
  );
}
