import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';
import { startSync } from './stores/sync.js';
import { useUi } from './stores/ui.js';
import './styles.css';

// zod compiles fast paths with `new Function`, which the window's CSP (no 'unsafe-eval') forbids.
z.config({ jitless: true });

initI18n(useUi.getState().language);
startSync();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
