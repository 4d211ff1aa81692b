import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The renderer bundle. `base: './'` keeps asset URLs relative so the same build loads from
 * file:// inside Electron and from the loopback server in browser mode. No inline script or
 * style is emitted, so the strict CSP needs no 'unsafe-inline'.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Vite would otherwise inline small assets as data: URLs, which the CSP may not allow.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One bundle loaded from disk or loopback: splitting it to stay under the web default buys nothing.
    chunkSizeWarningLimit: 1024,
  },
});
