import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBrowserServer, type BrowserServer } from './server.js';
import { writeLauncher } from './launcher.js';
import { consoleLocale, message, parseCli, storeProblemMessage } from '../cli/cli.js';
import { StoreOpenError } from '../store/store-problems.js';
import type { CoreHandle } from '../host/handle.js';
import { startCore } from '../host/host.js';
import { acquireDataLock, DataDirBusyError, type DataLock } from '../store/data-lock.js';
import { privateFileSecretStore } from '../host/secrets.js';

/**
 * Browser mode: the console where Electron is not installed, for a room screen, and for the
 * end-to-end tests. Prints exactly one line with the URL to open on stdout.
 */

const locale = consoleLocale(process.env);

/** Bundled, this file is dist/electron/browser.mjs beside dist/renderer; run from source, the built UI is still in dist/. */
function rendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.basename(path.dirname(here)) === 'dist';
  const dir = bundled ? path.resolve(here, '..', 'renderer') : path.resolve(here, '..', '..', 'dist', 'renderer');
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(message(locale, 'rendererMissing', { file: index }));
  return dir;
}

const LAUNCHER_LIFETIME_MS = 5 * 60_000;

/** Best effort: a console without a desktop browser still prints the URL. */
function openInBrowser(target: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', target]] : ['xdg-open', [target]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2), { env: process.env });
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    process.exitCode = 2;
    return;
  }
  const { dataDir, port, portExplicit, open } = parsed.options;

  let lock: DataLock | undefined;
  let core: CoreHandle | undefined;
  let server: BrowserServer | undefined;
  let launcher: ReturnType<typeof writeLauncher> | undefined;
  try {
    const dir = rendererDir();
    lock = acquireDataLock(dataDir);
    core = await startCore({ dataDir, transport: 'browser', secrets: privateFileSecretStore(dataDir) });
    server = await startBrowserServer({ core, port, rendererDir: dir, portFallback: !portExplicit, onLaunchTokenUsed: () => launcher?.remove() });
  } catch (error) {
    await core?.close();
    lock?.release();
    const reason =
      error instanceof DataDirBusyError
        ? message(locale, 'dataDirBusy', { pid: error.pid, dir: error.dataDir })
        : error instanceof StoreOpenError
          ? storeProblemMessage(locale, error)
          : error instanceof Error
            ? error.message
            : String(error);
    console.error(message(locale, 'startFailed', { reason }));
    process.exitCode = 1;
    return;
  }

  // A large store is checked after it opened: damaged, it is said here as at a refused start (and in the window).
  core.onChange((notice) => {
    if (notice.storeDamaged) console.error(storeProblemMessage(locale, { problem: 'damaged', ...notice.storeDamaged }));
  });
  if (port !== 0 && server.port !== port) console.error(message(locale, 'portTaken', { port, actual: server.port }));
  console.log(message(locale, 'browserUrl', { url: server.url }));
  // Only a person at a terminal wants a browser tab; a test harness or a service reads the URL instead.
  if (open && process.stdout.isTTY) {
    launcher = writeLauncher(server.url);
    setTimeout(() => launcher?.remove(), LAUNCHER_LIFETIME_MS).unref();
    openInBrowser(pathToFileURL(launcher.file).href);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // The server first, so no request reaches a core that is shutting down.
    launcher?.remove();
    await server.close();
    await core.close();
    lock.release();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());
}

await main();
