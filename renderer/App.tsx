import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from './i18n/index.js';
import { useGlobalShortcuts } from './shortcuts.js';
import { useIncidents } from './stores/incidents.js';
import { refreshCurrent, refreshList } from './stores/sync.js';
import { useUi } from './stores/ui.js';
import { CommandView } from './components/CommandView.js';
import { DeclareForm } from './components/DeclareForm.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { Palette } from './components/Palette.js';
import { RolesOverlays } from './components/RolesHeader.js';
import { SyncSettings } from './components/SyncSettings.js';
import { LibraryPanels } from './components/LibraryPanels.js';
import { Welcome } from './components/Welcome.js';

export function App() {
  const { t } = useTranslation();
  const listLoaded = useIncidents((s) => s.listLoaded);
  const loadError = useIncidents((s) => s.loadError);
  const connected = useIncidents((s) => s.connected);
  const hasIncidents = useIncidents((s) => s.list.length > 0);
  const declareOpen = useUi((s) => s.declareOpen);
  const helpOpen = useUi((s) => s.helpOpen);
  const language = useUi((s) => s.language);
  useGlobalShortcuts();

  useEffect(() => {
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    document.title = t('app.name');
  }, [t]);

  let page;
  if (!listLoaded) {
    page = loadError ? (
      <main className="welcome">
        <div className="welcome-card">
          <p className="error-note" role="alert">
            {t('app.loadFailed', { message: loadError })}
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => {
              void refreshList();
              void refreshCurrent();
            }}
          >
            {t('app.retry')}
          </button>
        </div>
      </main>
    ) : (
      <p className="loading">{t('app.loading')}</p>
    );
  } else if (!hasIncidents) {
    page = declareOpen ? <DeclareForm asDialog={false} /> : <Welcome />;
  } else {
    page = (
      <>
        <CommandView />
        {declareOpen && <DeclareForm asDialog />}
      </>
    );
  }

  return (
    <>
      {!connected && (
        <p className="connection-banner" role="status">
          {t('app.reconnecting')}
        </p>
      )}
      {page}
      {helpOpen && <HelpOverlay />}
      <RolesOverlays />
      <Palette />
      <SyncSettings />
      <LibraryPanels />
    </>
  );
}
