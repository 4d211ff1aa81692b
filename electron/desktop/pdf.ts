import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { PdfPrinter } from '../core/library/export.js';

type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => ElectronBrowserWindow;

/**
 * In Electron: a hidden window in its own in-memory session prints the page. The report is
 * written to a private temporary file (a data: URL would hit Chromium's URL length limit on a
 * long incident); the session allows that one file and nothing else, and runs no script.
 */
export function electronPdfPrinter(BrowserWindow: BrowserWindowClass): PdfPrinter {
  let counter = 0;
  return {
    async print(html) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-print-'));
      const file = path.join(dir, 'report.html');
      writeFileSync(file, html, { encoding: 'utf8', mode: 0o600 });
      const url = pathToFileURL(file).href;
      const window = new BrowserWindow({
        show: false,
        webPreferences: {
          partition: `warroom-print-${process.pid}-${++counter}`,
          javascript: false,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
          // Nothing in a report is clickable; a middle click still must not open a window.
          disableBlinkFeatures: 'Auxclick',
        },
      });
      try {
        const session = window.webContents.session;
        session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
        session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url }));
        await window.loadURL(url);
        return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        window.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    close: async () => undefined,
  };
}
