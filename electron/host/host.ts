import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  ApiError,
  channels,
  describeIssues,
  type ChangeNotice,
  type ChannelName,
  type ChannelOutput,
  type TokenKeyring,
  type TokenStore,
} from '../../shared/api/api.js';
import type { CoreHandle, CoreOptions, SecretStore } from './handle.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { StoreOpenError } from '../store/store-problems.js';
import { chromiumPdfPrinter, printReport, type PdfPrinter } from '../core/library/export.js';
import { exportArchiveOffCore } from '../core/library/archive-export.js';
import { STORE_FILE_NAME } from '../store/store.js';
import { teamKeyHost, type TeamKeyChannel } from './team-key.js';
import type { TeamKeyring } from '../../shared/sync/team-key.js';

const isTeamKeyChannel = (channel: string): channel is TeamKeyChannel => channel.startsWith('teamKey.');

declare const __dirname: string | undefined;

/** A core that dies this many times within the window is left stopped. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** The folder of this module, whether it runs bundled (CJS main, ESM browser mode) or from source. */
function moduleDir(): string {
  // import.meta is empty in the CommonJS bundle (Electron main), where __dirname is right instead.
  const url = (import.meta as { url?: string }).url;
  if (url) return path.dirname(fileURLToPath(url));
  if (typeof __dirname === 'string') return __dirname;
  throw new Error('Cannot locate the core worker: no module URL and no __dirname');
}

/**
 * Bundled builds ship core-worker.mjs beside the entry. From source (tests, benchmarks) the
 * TypeScript worker is loaded through tsx's loader, registered inside the worker thread itself.
 */
function spawnWorker(
  options: CoreOptions & { hubToken: string | null; tokenStore: TokenStore; tokenKeyring?: TokenKeyring; teamKeyring: TeamKeyring | null },
  workerFile?: string,
): Worker {
  // The benchmark starts the bundled worker that ships from source code.
  // Without this process's own flags: run from source, they register tsx's loader, whose hooks
  // would then resolve every module of the bundle too, which no shipped console does.
  if (workerFile) return new Worker(workerFile, { workerData: options, execArgv: [] });
  // Packaged: the worker is unpacked beside app.asar (see electron-builder.yml asarUnpack).
  const dir = moduleDir().replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  const bundled = path.join(dir, 'core-worker.mjs');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: options });
  const source = pathToFileURL(path.join(dir, 'worker.ts')).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: options });
}

/**
 * Start the core in a worker thread and resolve once its store is open (or reject with the
 * reason it could not be). `pdf` prints report PDFs: Electron passes its own (a hidden window);
 * elsewhere the system's Chromium is driven through playwright-core, found at the first PDF.
 */
export function startCore(options: CoreOptions & { secrets?: SecretStore; pdf?: PdfPrinter; workerFile?: string }): Promise<CoreHandle> {
  const { secrets, pdf, onWorker, workerFile, ...workerOptions } = options;
  const printer = pdf ?? chromiumPdfPrinter();
  /** The handle, once made: pairing asks the core where the hub is. */
  let self: CoreHandle | null = null;
  const teamKeys = teamKeyHost({
    slot: secrets?.teamKey ?? null,
    storedIn: secrets?.kind ?? 'none',
    // Messages reach the worker in order: a call made after this sees the new keyring.
    hand: async (keyring) => worker.postMessage({ type: 'teamKey', keyring } satisfies WorkerRequest),
    hub: async () => {
      const token = secrets?.load() ?? null;
      const hubUrl = self ? (await self.call('sync.status', {})).hubUrl : '';
      return token && hubUrl ? { url: hubUrl, token } : null;
    },
  });
  const spawnCore = () => {
    const keyring = secrets?.keyring ? { tokenKeyring: secrets.keyring } : {};
    const spawned = spawnWorker(
      { ...workerOptions, hubToken: secrets?.load() ?? null, tokenStore: secrets?.kind ?? 'none', ...keyring, teamKeyring: teamKeys.load() },
      workerFile,
    );
    onWorker?.(spawned);
    return spawned;
  };
  let worker = spawnCore();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Set<(notice: ChangeNotice) => void>();
  let nextId = 1;
  let closed = false;
  let exitError: Error | null = null;
  /** While a dead worker is being replaced: calls wait for the new one instead of failing. */
  let restarting: Promise<void> | null = null;
  const restarts: number[] = [];

  const failPending = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const failAll = (error: Error) => {
    exitError = error;
    failPending(error);
  };

  return new Promise<CoreHandle>((resolveStart, rejectStart) => {
    let started = false;
    let onClosed: (() => void) | null = null;
    const attach = (current: Worker, onReady: () => void, onFailed: (error: Error) => void) => {
      current.on('message', (reply: WorkerReply) => {
        switch (reply.type) {
          case 'ready':
            onReady();
            return;
          case 'failed':
            onFailed(reply.problem ? new StoreOpenError(reply.problem.kind, reply.problem.file, reply.problem.detail) : new Error(reply.message));
            return;
          case 'closed':
            onClosed?.();
            return;
          case 'change':
            for (const listener of listeners) listener(reply.notice);
            return;
          case 'result': {
            const p = pending.get(reply.id);
            if (!p) return;
            pending.delete(reply.id);
            if (reply.ok) p.resolve(reply.value);
            else p.reject(new ApiError(reply.error));
          }
        }
      });
      current.on('error', (error) => {
        if (!started) rejectStart(error);
        failPending(error);
      });
      current.on('exit', (code) => {
        if (current !== worker) return;
        if (closed || !started) {
          const error = new Error(closed ? 'The core is closed.' : `The core stopped unexpectedly (exit code ${code}).`);
          if (!started) rejectStart(error);
          failAll(error);
          onClosed?.();
          return;
        }
        restart(code);
      });
    };

    /**
     * A worker that dies mid-incident (a native crash, an out-of-memory) is replaced: the calls it
     * had not answered fail with a reason, the next ones go to the new worker, and the window
     * carries on. Every write was committed before it was acknowledged, so the new core starts
     * from the same record. A core that keeps dying is left stopped rather than restarted forever.
     */
    const restart = (code: number) => {
      const now = Date.now();
      while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        failAll(new Error(`The core stopped unexpectedly (exit code ${code}) ${MAX_RESTARTS} times within a minute; restart Warroom.`));
        return;
      }
      restarts.push(now);
      failPending(
        new ApiError({
          code: 'internal',
          message: 'The core stopped unexpectedly and was restarted; this action may not have been saved: check and try again.',
        }),
      );
      worker = spawnCore();
      restarting = new Promise<void>((resolve) => {
        attach(
          worker,
          () => {
            restarting = null;
            resolve();
            // Tell every window: views refetch, and the console says what happened.
            for (const listener of listeners) listener({ incidentIds: [], eventIds: [], coreRestarted: true });
          },
          (error) => {
            restarting = null;
            failAll(error);
            resolve();
          },
        );
      });
    };

    attach(
      worker,
      () => {
        started = true;
        self = handle;
        resolveStart(handle);
      },
      rejectStart,
    );

    const send = async <C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>> => {
      if (restarting) await restarting;
      if (exitError) throw exitError;
      const id = nextId++;
      return new Promise<ChannelOutput<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ type: 'call', id, channel, input } satisfies WorkerRequest);
      });
    };

    const handle: CoreHandle = {
      call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>> {
        if (exitError) return Promise.reject(exitError);
        if (channel === 'sync.configure') {
          // The token goes to the keychain here, on the main side; the worker keeps it in memory only.
          const parsed = channels['sync.configure'].input.safeParse(input);
          if (!parsed.success) return Promise.reject(new ApiError(describeIssues(parsed.error)));
          const token = parsed.data.token;
          if (token !== undefined && !secrets) return Promise.reject(new ApiError({ code: 'conflict', message: 'This console cannot store a hub token.' }));
          // The worker decides first (it refuses a URL the token may not go to, and forgets the
          // token when the hub's origin changes); what is kept follows what it accepted.
          return send('sync.configure', parsed.data).then((status) => {
            if (token !== undefined) secrets!.save(token);
            else if (!status.hasToken) secrets?.clear();
            return status as ChannelOutput<C>;
          });
        }
        if (isTeamKeyChannel(channel)) {
          // The keyring is kept on this side, like the token; the worker gets it in memory after each change.
          const parsed = channels[channel].input.safeParse(input);
          if (!parsed.success) return Promise.reject(new ApiError(describeIssues(parsed.error)));
          return teamKeys.handle(channel, parsed.data as never) as Promise<ChannelOutput<C>>;
        }
        if (channel === 'export.report' && (input as { format?: unknown } | null)?.format === 'pdf') {
          // The worker builds the HTML; printing needs a browser, which lives on this side.
          const publish = (notice: ChangeNotice) => listeners.forEach((listener) => listener(notice));
          return printReport(input, (html) => handle.call('export.report', html), printer, publish) as Promise<ChannelOutput<C>>;
        }
        if (channel === 'archive.export') {
          // Read on this side, on a snapshot of its own: the core worker keeps recording meanwhile.
          const parsed = channels['archive.export'].input.safeParse(input);
          if (!parsed.success) return Promise.reject(new ApiError(describeIssues(parsed.error)));
          const file = path.join(workerOptions.dataDir, STORE_FILE_NAME);
          const binding = workerOptions.nativeBinding ? { nativeBinding: workerOptions.nativeBinding } : {};
          return exportArchiveOffCore({ file, exportedAt: Date.now(), ...binding }, parsed.data) as Promise<ChannelOutput<C>>;
        }
        return send(channel, input);
      },
      onChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close() {
        if (closed) return Promise.resolve();
        closed = true;
        return new Promise<void>((resolve) => {
          onClosed = () => resolve();
          if (exitError) resolve();
          else worker.postMessage({ type: 'close' } satisfies WorkerRequest);
        })
          .then(() => worker.terminate())
          .then(() => printer.close());
      },
    };
  });
}
