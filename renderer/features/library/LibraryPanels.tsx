import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useIncidents } from '../incidents/store.js';
import { openLibraryPanel, useLibraryUi } from './store.js';
import { DrillDialog } from './DrillDialog.js';
import { ExportDialog } from './ExportDialog.js';
import { LibraryImport } from './LibraryImport.js';
import { LibrarySearch } from './LibrarySearch.js';
import { LibraryModal } from './LibraryModal.js';
import './Library.css';

/** The charting library is the bulk of the trends; it loads the first time they are shown. */
const TrendsCharts = lazy(() => import('./TrendsCharts.js').then((m) => ({ default: m.TrendsCharts })));

function LibraryWindow() {
  const { t } = useTranslation();
  const tab = useLibraryUi((s) => s.tab);
  const { close, setTab, open } = useLibraryUi.getState();
  const tabs = ['search', 'trends'] as const;
  return (
    <LibraryModal
      id="library"
      title={t('library.panel.title')}
      wide
      onClose={close}
      actions={
        <div className="library-head-actions">
          <div className="library-tabs" role="tablist" aria-label={t('library.panel.title')}>
            {tabs.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`library-tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`library-panel-${name}`}
                className={tab === name ? 'active' : ''}
                onClick={() => setTab(name)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                  e.preventDefault();
                  const next = tabs[(tabs.indexOf(name) + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
                  setTab(next);
                  document.getElementById(`library-tab-${next}`)?.focus();
                }}
              >
                {t(name === 'search' ? 'library.panel.searchTab' : 'library.panel.trendsTab')}
              </button>
            ))}
          </div>
          <button type="button" onClick={() => open('import')}>
            {t('library.panel.import')}
          </button>
          <button type="button" onClick={close}>
            {t('library.panel.close')}
          </button>
        </div>
      }
    >
      <div role="tabpanel" id={`library-panel-${tab}`} aria-labelledby={`library-tab-${tab}`} className="library-tabpanel">
        {tab === 'search' ? (
          <LibrarySearch />
        ) : (
          <Suspense fallback={<p className="library-status">{t('library.trends.loading')}</p>}>
            <TrendsCharts />
          </Suspense>
        )}
      </div>
    </LibraryModal>
  );
}

/** Whichever of the library's windows is open, over the console or the welcome screen. */
export function LibraryPanels() {
  const panel = useLibraryUi((s) => s.panel);
  const incidentId = useIncidents((s) => s.current?.id ?? null);
  switch (panel) {
    case 'library':
      return <LibraryWindow />;
    case 'import':
      return <LibraryImport />;
    case 'export':
      return incidentId ? <ExportDialog incidentId={incidentId} /> : null;
    case 'drill':
      return <DrillDialog />;
    default:
      return null;
  }
}

/** The header's way in: library, export and drill, each with its key. */
export function LibraryButtons() {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" title={t('library.buttons.libraryHint')} onClick={() => openLibraryPanel('library')}>
        {t('library.buttons.library')}
      </button>
      <button type="button" title={t('library.buttons.exportHint')} onClick={() => openLibraryPanel('export')}>
        {t('library.buttons.export')}
      </button>
      <button type="button" title={t('library.buttons.drillHint')} onClick={() => openLibraryPanel('drill')}>
        {t('library.buttons.drill')}
      </button>
    </>
  );
}

/** On an empty console: bring an incident in from another console, or start practising. */
export function WelcomeLibraryActions() {
  const { t } = useTranslation();
  return (
    <div className="welcome-actions">
      <button type="button" onClick={() => openLibraryPanel('import')}>
        {t('library.welcome.import')}
      </button>
      <button type="button" onClick={() => openLibraryPanel('drill')}>
        {t('library.welcome.drill')}
      </button>
    </div>
  );
}
