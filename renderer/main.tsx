// First, before any module that builds a schema.
import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';
import { startSync } from './stores/sync.js';
import { applyAppearance } from './theme.js';
import { startSyncStatus } from './stores/syncStatus.js';
import { startTeamSettings } from './stores/teamSettings.js';
import { useUi } from './stores/ui.js';
import './styles.css';

initI18n(useUi.getState().language);
applyAppearance();
startSync();
startSyncStatus();
startTeamSettings();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
