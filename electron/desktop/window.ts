import type { BrowserWindowConstructorOptions } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/csp.js';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#10151c',
    title: 'Warroom',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      // A middle click would otherwise open links in a new window behind the open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/**
 * True when `url` is the app itself. For a file:// app the page is one file, so only that file
 * (with any query or fragment) counts; for an http(s) origin, any path on the same origin does.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return target.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname;
  return target.origin === app.origin;
}

/** What Chromium builds in memory, and DevTools; everything else must be one of the app's own files. */
const IN_MEMORY_SCHEMES = new Set(['data:', 'blob:', 'devtools:']);

/** True for the app's page and the files beside it (its scripts, styles and images); nothing remote, nothing elsewhere on disk. */
export function isAppResource(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (IN_MEMORY_SCHEMES.has(target.protocol)) return true;
  if (app.protocol === 'file:') {
    const folder = app.pathname.slice(0, app.pathname.lastIndexOf('/') + 1);
    return target.protocol === 'file:' && target.host === app.host && target.pathname.startsWith(folder);
  }
  return target.origin === app.origin;
}

type ResponseHeaders = Record<string, string | string[]>;

/** The parts of Electron's Session that hardening touches; Electron's own object satisfies it. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: ResponseHeaders },
        callback: (response: { cancel?: boolean; responseHeaders?: ResponseHeaders }) => void,
      ) => void,
    ): void;
  };
}

interface NavigationEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents that hardening touches. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Writing plain text to the clipboard is how a commander copies an update into the chat or the
 * status page; it reads nothing. Every other permission, reading the clipboard included, is denied.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Deny every other permission, refuse remote loads and stamp the CSP on every response the session sees. */
export function hardenSession(session: HardenableSession, appUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAppResource(details.url, appUrl) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: ResponseHeaders = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/** The window stays on the app: no navigation elsewhere, no pop-ups, no embedded guests. */
export function hardenContents(contents: HardenableContents, appUrl: string): void {
  const stayOnApp = (event: NavigationEvent & { url: string }) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
