import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n/index.js';
import { useGlobalShortcuts } from './shortcuts.js';
import { useIncidents } from '../features/incidents/store.js';
import { refreshCurrent, refreshList } from '../features/incidents/view-sync.js';
import { useUi } from './ui-store.js';
import { CommandView } from './CommandView.js';
import { DeclareForm } from '../features/incidents/DeclareForm.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Palette } from '../features/palette/Palette.js';
import { RolesOverlays } from '../features/roles/RolesHeader.js';
import { SyncSettings } from '../features/sync/SyncSettings.js';
import { LibraryPanels } from '../features/library/LibraryPanels.js';
import { Welcome } from '../features/incidents/Welcome.js';
import { AlertInbox } from '../features/alerts/AlertInbox.js';
import { AskName } from '../features/roles/AskName.js';

export function App() {
  const { t } = useTranslation();
  const listLoaded = useIncidents((s) => s.listLoaded);
  const loadError = useIncidents((s) => s.loadError);
  const connected = useIncidents((s) => s.connected);
  const coreRestarted = useIncidents((s) => s.coreRestarted);
  const storeDamaged = useIncidents((s) => s.info?.storeDamaged);
  const hasIncidents = useIncidents((s) => s.list.length > 0);
  const declareOpen = useUi((s) => s.declareOpen);
  const askName = useIncidents((s) => s.info !== null && !s.info.actorChosen);
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
  } else if (askName) {
    // Before anything is recorded: every entry carries its author's name, never the OS user's.
    page = <AskName />;
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
      {storeDamaged && (
        <p className="connection-banner store-damaged" role="alert" data-testid="store-damaged">
          {t('app.storeDamaged', storeDamaged)}
        </p>
      )}
      {coreRestarted && (
        <p className="connection-banner" role="status" data-testid="core-restarted">
          {t('app.coreRestarted')}{' '}
          <button type="button" onClick={() => useIncidents.setState({ coreRestarted: false })}>
            {t('app.dismiss')}
          </button>
        </p>
      )}
      {page}
      {helpOpen && <HelpOverlay />}
      <RolesOverlays />
      <Palette />
      <SyncSettings />
      <LibraryPanels />
      <AlertInbox />
    </>
  );
}
