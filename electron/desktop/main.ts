import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { ApiError, isChannelName, type ApiErrorBody, type ChangeNotice } from '../../shared/api/api.js';
import { message, parseCli, PRODUCT_NAME, storeProblemMessage } from '../cli/cli.js';
import { StoreOpenError } from '../store/store-problems.js';
import type { CoreHandle } from '../host/handle.js';
import { startCore } from '../host/host.js';
import { acquireDataLock, DataDirBusyError, type DataLock } from '../store/data-lock.js';
import { electronPdfPrinter } from './pdf.js';
import { keychainSecretStore } from '../host/secrets.js';
import { hardenContents, hardenSession, isAppUrl, windowOptions } from './window.js';
import { message as errorMessage } from '../../shared/text/errors.js';

/**
 * The Electron adapter: one window, the core in a worker, and exactly one IPC channel that
 * carries the API of shared/api/api.ts. This file is bundled to dist/electron/main.cjs.
 */

const INDEX_HTML = path.join(__dirname, '..', 'renderer', 'index.html');
const APP_URL = pathToFileURL(INDEX_HTML).href;
const PRELOAD = path.join(__dirname, 'preload.cjs');
/** The project root in development (dist/electron → ..), where scripts/start.mjs caches the Electron build of better-sqlite3. */
const PROJECT_DIR = path.resolve(__dirname, '..', '..');

type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

const NativeBindingSchema = z
  .string()
  .refine((file) => path.isAbsolute(file) && file.endsWith('.node'), 'must be the absolute path of a .node file')
  .refine((file) => existsSync(file), 'no such file');

/** Under Electron, better-sqlite3 must be the build for Electron's ABI, never the one the Node tests use. */
function nativeBinding(): string | undefined {
  const fromEnv = process.env.WARROOM_NATIVE_BINDING;
  if (fromEnv !== undefined) {
    const parsed = NativeBindingSchema.safeParse(fromEnv);
    if (!parsed.success) throw new Error(`WARROOM_NATIVE_BINDING ${parsed.error.issues.map((i) => i.message).join(', ')}: ${fromEnv}`);
    return parsed.data;
  }
  // A packaged app carries the copy electron-builder rebuilt for this Electron.
  if (app.isPackaged) return undefined;
  const cached = path.join(PROJECT_DIR, '.cache', 'electron-native', process.versions.electron, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(cached) ? cached : undefined;
}

/** Only the app's own top-level page may call the core; not a frame, not a page it was tricked into loading. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url, APP_URL);
}

function errorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { code: 'internal', message: errorMessage(error) };
}

let core: CoreHandle | undefined;
let lock: DataLock | undefined;
let window: BrowserWindow | undefined;

function createWindow(): void {
  // The options come from windowOptions(), which the static checker cannot follow into; test/security.test.ts scans their actual values.
  const created = new BrowserWindow(windowOptions(PRELOAD)); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  window = created;
  created.once('ready-to-show', () => created.show());
  created.on('closed', () => {
    if (window === created) window = undefined;
  });
  void created.loadFile(INDEX_HTML);
}

async function start(dataDir: string): Promise<void> {
  hardenSession(session.defaultSession, APP_URL);
  const binding = nativeBinding();
  lock = acquireDataLock(dataDir, { nativeBinding: binding });
  core = await startCore({
    dataDir,
    transport: 'electron',
    nativeBinding: binding,
    // safeStorage is usable only once the app is ready, which start() runs after.
    secrets: keychainSecretStore(dataDir, safeStorage),
    // Report PDFs are printed by Chromium inside Electron, in a hidden window of their own.
    pdf: electronPdfPrinter(BrowserWindow),
  });
  const running = core;
  running.onChange((notice: ChangeNotice) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send('warroom:change', notice);
  });
  ipcMain.handle('warroom:call', async (event, channel: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(event)) throw new Error('Refused: the call did not come from the Warroom window.');
    if (!isChannelName(channel)) return { ok: false, error: { code: 'unknown_channel', message: `There is no channel named "${String(channel)}".` } };
    try {
      return { ok: true, value: await running.call(channel, input) };
    } catch (error) {
      return { ok: false, error: errorBody(error) };
    }
  });
  createWindow();
}

function main(): void {
  const parsed = parseCli(process.argv.slice(app.isPackaged ? 1 : 2), { env: process.env, allowUnknown: true });
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    app.exit(0);
    return;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    app.exit(2);
    return;
  }
  app.setName(PRODUCT_NAME);
  // userData is the data folder, so the single-instance lock below guards exactly one store.
  app.setPath('userData', parsed.options.dataDir);
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, APP_URL));
  app.on('window-all-closed', () => app.quit());

  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('before-quit', (event) => {
    if (!core || closed) return;
    // Let the worker finish its transaction and close the store before the process ends.
    event.preventDefault();
    closing ??= core.close().finally(() => {
      lock?.release();
      closed = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(() => start(parsed.options.dataDir))
    .catch((error: unknown) => {
      lock?.release();
      const locale = app.getLocale().toLowerCase().startsWith('fr') ? 'fr' : 'en';
      const reason =
        error instanceof DataDirBusyError
          ? message(locale, 'dataDirBusy', { pid: error.pid, dir: error.dataDir })
          : error instanceof StoreOpenError
            ? storeProblemMessage(locale, error)
            : error instanceof Error
              ? error.message
              : String(error);
      dialog.showErrorBox(PRODUCT_NAME, message(locale, 'startFailed', { reason }));
      app.exit(1);
    });
}

main();
