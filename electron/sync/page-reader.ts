import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SyncReason } from '../../shared/sync/sync-reasons.js';
import { message } from '../../shared/text/errors.js';
import { SyncError } from './hub-request.js';
import type { PulledPage, PullRequest } from './pull-page.js';

/** A page to read, by the name of the cipher opening its sealed events (the reader's thread holds its own). */
export interface ReaderRequest {
  id: number;
  pull: PullRequest;
  cipher: string;
}

export type ReaderReply =
  | { ready: true }
  | { id: number; page: PulledPage | null }
  | { id: number; error: { reason: SyncReason; offline: boolean; retryAfterMs: number | null } }
  | { id: number; failure: string };

/** A thread that has read no page for this long ends (polling rounds read their one page on the core's thread). */
const IDLE_MS = 60_000;

/** The folder of this module, whether it runs bundled (the core worker's CJS bundle) or from source. */
function moduleDir(): string {
  // import.meta.url is defined in every bundle that holds this module (scripts/build.mjs); __dirname where it is not.
  const url = (import.meta as { url?: string }).url;
  if (url) return path.dirname(fileURLToPath(url));
  if (typeof __dirname === 'string') return __dirname;
  throw new Error('Cannot locate the page reader: no module URL and no __dirname');
}

/**
 * The pull side of a catch-up on a thread of its own (issue #11): fetching the next page,
 * decompressing, parsing and admitting its events (about 10 µs an event with a team key, to open
 * it) took 35–50 ms a page on the core's thread, in series with the SQLite writes of the page
 * before. Here they run on the other core while the core writes; the core gets the page as it
 * writes it (one structured clone, a few ms a page). Every check is the same code
 * (pull-page.ts); the reader is ours, so the core does not check its answer a second time.
 *
 * A build ships page-reader.mjs beside the core's bundle (scripts/build.mjs, unpacked beside
 * app.asar: electron-builder.yml); from source (tests, benchmarks) the TypeScript is bundled by
 * esbuild inside the thread as it starts. The thread is started when a round finds more
 * than one page waiting (one page alone has nothing to overlap with), ends after a minute without
 * pages, and does not keep the process alive while no page is being read.
 */
export class PageReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (page: PulledPage | null) => void; reject: (error: unknown) => void }>();
  private closed = false;
  private started: { promise: Promise<void>; resolve: () => void } | null = null;

  /** Start the thread ahead of the first page (its start overlaps whatever comes before the pull). */
  warm(): void {
    if (!this.closed) this.thread();
  }

  /**
   * The thread has loaded and reads pages. Until then (its first start takes a few tens of ms
   * bundled, more from source) the engine reads a page on its own thread rather than wait.
   */
  get ready(): boolean {
    return this.worker !== null && this.isReady;
  }

  private isReady = false;

  /** Resolves once a thread has loaded (for tests that must see pages go through it). */
  whenReady(): Promise<void> {
    this.warm();
    return this.started?.promise ?? Promise.resolve();
  }

  read(pull: PullRequest, cipher: string): Promise<PulledPage | null> {
    if (this.closed) return Promise.reject(new Error('the page reader is closed'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, pull, cipher } satisfies ReaderRequest);
    });
  }

  /** For tests: stop the thread as a crash would, with whatever page it is reading. */
  stopThreadForTests(): Promise<number> | null {
    return this.worker?.terminate() ?? null;
  }

  close(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the page reader is closed'));
    void worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn();
    worker.unref();
    this.isReady = false;
    let resolve = () => {};
    this.started = { promise: new Promise<void>((r) => (resolve = r)), resolve };
    worker.on('message', (reply: ReaderReply) => {
      if ('ready' in reply) {
        if (this.worker === worker) this.isReady = true;
        resolve();
      } else this.answer(reply);
    });
    // A thread that failed (an error it did not catch, stopped, a file that would not load) ends
    // the pages it was reading with a reason; the next round starts a new one, and reads its
    // pages here until that one has loaded.
    const failed = (detail: string) => {
      resolve();
      if (this.worker === worker) this.worker = null;
      this.failAll(new SyncError({ code: 'page_reader_failed', params: { detail } }, false));
    };
    worker.on('error', (error) => failed(message(error)));
    worker.on('messageerror', (error) => failed(message(error)));
    worker.on('exit', (code) => failed(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private answer(reply: Exclude<ReaderReply, { ready: true }>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) {
      this.worker?.unref();
      this.idleLater();
    }
    if ('page' in reply) waiting.resolve(reply.page);
    else waiting.reject(readerError(reply));
  }

  /** Idle for a while (a catch-up is over): the thread ends; the next catch-up starts another. */
  private idleLater(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = null;
      void worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }

  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  private failAll(error: unknown): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(error);
  }
}

/** The thread's failure as the engine's: the hub's reason as it was, anything else the reader's own. */
function readerError(reply: Exclude<ReaderReply, { ready: true } | { page: PulledPage | null }>): SyncError {
  if ('error' in reply) {
    const { reason, offline, retryAfterMs } = reply.error;
    return new SyncError(reason, offline, retryAfterMs);
  }
  return new SyncError({ code: 'page_reader_failed', params: { detail: reply.failure } }, false);
}

/**
 * No resourceLimits: a thread that reaches its heap limit can abort the whole process while it is
 * torn down (a fatal out-of-memory in its cleanup, seen on Node 20), and a page is already bounded
 * (8 MiB, hub-request.ts) before it is parsed.
 */
function spawn(): Worker {
  // Packaged: the reader is unpacked beside app.asar, as the core's worker is.
  const dir = moduleDir().replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  const bundled = path.join(dir, 'page-reader.mjs');
  if (existsSync(bundled)) return new Worker(bundled, { execArgv: [] });
  // From source: esbuild (a dev dependency, as tsx is) bundles the thread's few modules in one go,
  // ~0.1 s; tsx's loader took ~2 s to start a thread on a busy machine, longer than a catch-up's first pages.
  const source = path.join(dir, 'page-reader-worker.ts');
  const bootstrap = `
    const req = require('node:module').createRequire(${JSON.stringify(source)});
    const built = req('esbuild').buildSync({ entryPoints: [${JSON.stringify(source)}], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'error' });
    const module = { exports: {} };
    new Function('require', 'module', 'exports', built.outputFiles[0].text)(req, module, module.exports);`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

let shared: PageReader | null = null;

/**
 * The process's one page reader: every sync engine of a process (one in the console; several in
 * a test or a benchmark) hands its pages to the same thread, started once.
 */
export function sharedPageReader(): PageReader {
  shared ??= new PageReader();
  return shared;
}
