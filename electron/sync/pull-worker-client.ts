import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventEnvelope } from '../../shared/record/events.js';
import type { QuarantineReason } from '../../shared/record/untrusted.js';
import type { ArrivedSealed } from '../../shared/sync/sealing.js';
import type { PullWorkerReply, PullWorkerRequest } from './pull-worker-protocol.js';

declare const __dirname: string | undefined;

type PageReply = Extract<PullWorkerReply, { type: 'page' }>;

/** This module's folder, bundled (the core's CommonJS bundle defines import.meta.url) or from source. */
function moduleDir(): string {
  const url = (import.meta as { url?: string }).url;
  if (url) return path.dirname(fileURLToPath(url));
  if (typeof __dirname === 'string') return __dirname;
  throw new Error('Cannot locate the pull worker: no module URL and no __dirname');
}

/**
 * A build ships pull-worker.cjs beside the core's bundle (scripts/build.mjs), unpacked from
 * app.asar like it (electron-builder.yml). From source (tests, benchmarks) the TypeScript is
 * loaded through tsx's loader, registered inside the thread, as electron/host/host.ts does for the core.
 */
function spawn(): Worker {
  const dir = moduleDir().replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  const bundled = path.join(dir, 'pull-worker.cjs');
  if (existsSync(bundled)) return new Worker(bundled, { execArgv: [] });
  const source = pathToFileURL(path.join(dir, 'pull-worker.ts')).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * The core's side of the pull worker: one thread per process, started when a sealed team's engine
 * is made or any team first pulls (a start from source takes a second under load; a page asked for
 * before it is ready is pulled, and opened, on the core's thread, as without it). A thread that
 * fails or exits answers every page it held with null, and the next one starts on the next pull.
 */
class PullWorkerClient {
  private readonly worker: Worker;
  private ready = false;
  private dead = false;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: PageReply | null) => void>();
  readonly started: Promise<boolean>;

  constructor() {
    this.worker = spawn();
    // Not a reason to keep a process alive, except while it holds a page the core waits for.
    this.worker.unref();
    this.started = new Promise((resolve) => {
      this.worker.on('message', (reply: PullWorkerReply) => {
        if (reply.type === 'ready') {
          this.ready = true;
          resolve(true);
          return;
        }
        const answer = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (this.pending.size === 0) this.worker.unref();
        answer?.(reply);
      });
      const end = () => {
        this.dead = true;
        if (current === this) current = null;
        resolve(false);
        for (const answer of this.pending.values()) answer(null);
        this.pending.clear();
      };
      this.worker.on('error', end);
      this.worker.on('exit', end);
    });
  }

  /** The page, or null when this thread cannot answer it (not started yet, gone, or the page was not one to open here). */
  pull(request: Omit<PullWorkerRequest, 'id'>): Promise<PageReply | null> {
    if (!this.ready || this.dead) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.ref();
      this.worker.postMessage({ ...request, id } satisfies PullWorkerRequest);
    });
  }

  /** For the tests: the thread ends as if it had crashed. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}

let current: PullWorkerClient | null = null;

/** The process's pull worker, started now if it is not running. */
export function pullWorker(): PullWorkerClient {
  current ??= new PullWorkerClient();
  return current;
}

/** Pages pulled (and opened) by the pull worker in this process, and those it left to the core's thread (figures for tests and benches). */
export const pullWorkerStats = { pages: 0, here: 0 };

/** A page the pull worker read and admitted, as the core's thread writes it. */
export interface WorkerPage {
  events: EventEnvelope[];
  /** Each event's payload as JSON (AppendOptions.payloadJson). */
  payloadJson: string[];
  quarantine: Map<string, QuarantineReason>;
  /** With `keepArrived`: each event's sealed form as it arrived, or null (AppendOptions.sealedAsArrived). */
  arrived?: (ArrivedSealed | null)[];
  lastId: string | null;
  cursor: number;
  more: boolean;
  epoch: string;
  cursorId: string | null | undefined;
}

/**
 * One page through the process's pull worker, for the hub's sync engine and for room peers alike:
 * the page; 'timed_out' when no answer came in time (the caller says so rather than wait as long
 * again); or null for anything else (not started yet, gone, a page out of shape), which the caller
 * asks for on its own thread, and which says why.
 */
export async function pullOffThread(request: Omit<PullWorkerRequest, 'id'>): Promise<WorkerPage | 'timed_out' | null> {
  const reply = await pullWorker().pull(request);
  if (!reply?.ok) {
    if (reply?.timedOut) return 'timed_out';
    pullWorkerStats.here++;
    return null;
  }
  pullWorkerStats.pages++;
  return {
    events: JSON.parse(reply.events) as EventEnvelope[],
    payloadJson: reply.payloads,
    quarantine: new Map(reply.quarantine),
    ...(reply.arrived ? { arrived: reply.arrived } : {}),
    lastId: reply.lastId,
    cursor: reply.cursor,
    more: reply.more,
    epoch: reply.epoch,
    cursorId: reply.cursorId,
  };
}
