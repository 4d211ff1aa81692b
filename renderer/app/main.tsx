// First, before any module that builds a schema.
import '../api/zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initI18n } from '../i18n/index.js';
import { startSync } from '../features/incidents/view-sync.js';
import { applyAppearance } from '../ui/theme.js';
import { startSyncStatus } from '../features/sync/store.js';
import { startTeamSettings } from '../features/clocks/store.js';
import { startAlerts } from '../features/alerts/store.js';
import { startDeliveries } from '../features/comms/deliveries-store.js';
import { useUi } from './ui-store.js';
import './styles.css';

initI18n(useUi.getState().language);
applyAppearance();
startSync();
startSyncStatus();
startTeamSettings();
startAlerts();
startDeliveries();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
