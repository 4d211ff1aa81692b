import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, channels, refuse, type ApiErrorBody, type TokenKeyring, type TokenStore } from '../../shared/api/api.js';
import { WarroomCore } from '../core/core.js';
import type { CoreOptions } from './handle.js';
import { INTEGRITY_CHECK_AT_OPEN_UP_TO, Store, STORE_FILE_NAME } from '../store/store.js';
import { checkIntegrityOffThread, foundDamage, type IntegrityResult } from '../store/integrity-check.js';
import { asStoreOpenError, StoreOpenError } from '../store/store-problems.js';
import { SyncEngine } from '../sync/sync.js';
import { RoomEngine } from '../sync/room-engine.js';
import { plainHttpAllowed } from '../sync/hub-url.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { message } from '../../shared/text/errors.js';
import { TeamKeyringSchema, type TeamKeyring } from '../../shared/sync/team-key.js';

/**
 * The core runs here, off the main thread, so a long fold or a slow disk never freezes the
 * window or the HTTP server. Requests are handled one at a time, in arrival order, except an
 * archive import, which runs in slices with the requests that arrive meanwhile handled between
 * them (a note typed during a 20,000-event import is recorded at once, not seconds later).
 */
const port = parentPort;
if (!port) throw new Error('core-worker must run as a worker thread');

function errorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { code: 'internal', message: message(error) };
}

const options = workerData as CoreOptions & { hubToken: string | null; tokenStore: TokenStore; tokenKeyring?: TokenKeyring; teamKeyring: TeamKeyring | null };
let store: Store;
let core: WarroomCore;
let sync: SyncEngine;
let room: RoomEngine;
/** How often the core looks for SLA breaches against this machine's clock. */
const BREACH_WATCH_MS = 15_000;
/** How long a close waits for room sync's peer endpoint to shut (closeAll). */
const ROOM_STOP_AT_MOST_MS = 2_000;
let breachWatch: ReturnType<typeof setInterval> | undefined;
/**
 * Calls waiting for a deferred integrity check (Store.open): every command, any read that tried
 * to write (SQLite refuses it meanwhile), and whatever came after them, so calls are still
 * answered in the order they came. Null once the check has answered (or when there was none).
 */
let held: WorkerRequest[] | null = null;
/** Set once a close was asked: a deferred check answering after it touches nothing. */
let closing = false;

/** Work that writes on its own (sync, room sync, breach watch, drills): started once writes are allowed. */
function startBackground(): void {
  sync.start();
  room.start();
  // A breach is recorded even when no window is open to see the clock go red.
  breachWatch = setInterval(() => {
    try {
      core.noticeBreaches();
    } catch (error) {
      console.error('SLA breach watch:', error);
    }
  }, BREACH_WATCH_MS);
  // Drill injects arrive on their schedule whether or not a window is open.
  core.drills.run();
}

/**
 * The deferred check answered: writes go ahead (held calls first, in order), or the store stays
 * refused and the console is told. Once only: a read that met a damaged page may have answered first.
 */
function integrityAnswered(result: IntegrityResult): void {
  if (!held || closing) return;
  // A check that could not run (a thread that failed to start, a busy file) is run here instead.
  if (result.problems.length > 0 && !foundDamage(result)) store.checkIntegrityNow();
  else store.integrityChecked(result);
  const waiting = held;
  held = null;
  if (store.damage) tellDamaged();
  else startBackground();
  for (const request of waiting) receive(request);
}

function tellDamaged(): void {
  const { file, detail } = store.damage!;
  port!.postMessage({ type: 'change', notice: { incidentIds: [], eventIds: [], storeDamaged: { file, detail } } } satisfies WorkerReply);
}

/** SQLite said the file is damaged or is no database: SQLITE_CORRUPT (and its extended codes) or SQLITE_NOTADB. */
const isDamage = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
};

/**
 * A read met a damaged page (a large store answers reads before its check has ended, and any
 * store may go bad under a running console): the store is refused for writes from now on, as a
 * check that found it would have done, instead of answering SQLite's bare error or ending the worker.
 */
function damageFound(error: unknown): void {
  if (store.damage) return;
  store.markDamaged(error instanceof Error ? error.message : String(error));
  if (held) integrityAnswered({ problems: [store.damage!.detail], code: 'SQLITE_CORRUPT' });
  else tellDamaged();
}

try {
  const file = path.join(options.dataDir, STORE_FILE_NAME);
  store = Store.open(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    deferIntegrityCheckAbove: options.integrityCheckAtOpenUpTo ?? INTEGRITY_CHECK_AT_OPEN_UP_TO,
  });
  // The core's first start on a store writes its device id: that waits for no thread.
  if (store.integrityUnchecked && store.getMeta('deviceId') === null) store.checkIntegrityNow();
  if (store.damage) throw store.damage;
  // From here on a damaged page met while the core starts is the store's damage, said as at a refused open.
  core = new WarroomCore(store, {
    dataDir: options.dataDir,
    transport: options.transport,
    tokenStore: options.tokenStore,
    ...(options.tokenKeyring ? { tokenKeyring: options.tokenKeyring } : {}),
  });
  sync = new SyncEngine(core, store, {
    token: options.hubToken,
    // Checked again here: structured clone keeps the shape, not the promise that it is a keyring.
    keyring: TeamKeyringSchema.safeParse(options.teamKeyring).data ?? null,
    allowPlainHttp: plainHttpAllowed(process.env),
    ...(options.syncTiming ? { timing: options.syncTiming } : {}),
  });
  core.attachSync(sync);
  // Room sync (issue #14) serves this store to the team's other laptops when turned on; off by default.
  room = new RoomEngine({ core, store, keyring: () => sync.keyring(), ...(options.roomTiming ? { timing: options.roomTiming } : {}) });
  core.attachRoom(room);
  room.onStatus((status) => port.postMessage({ type: 'change', notice: { incidentIds: [], eventIds: [], room: status } } satisfies WorkerReply));
  core.onChange((notice) => port.postMessage({ type: 'change', notice: { ...notice, sync: sync.status() } } satisfies WorkerReply));
  sync.onStatus((status) => port.postMessage({ type: 'change', notice: { incidentIds: [], eventIds: [], sync: status } } satisfies WorkerReply));
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  if (store.integrityUnchecked) {
    // A large store: the first screen is answered from now on, and writes wait for the check.
    held = [];
    void checkIntegrityOffThread(file, options.nativeBinding).then(integrityAnswered);
  } else startBackground();
} catch (thrown) {
  const error = isDamage(thrown) ? asStoreOpenError(thrown, path.join(options.dataDir, STORE_FILE_NAME)) : thrown;
  const problem = error instanceof StoreOpenError ? { kind: error.problem, file: error.file, detail: error.detail } : undefined;
  port.postMessage({ type: 'failed', message: message(error), ...(problem ? { problem } : {}) } satisfies WorkerReply);
  process.exit(1);
}

/** Imports run one after another (each checks what is here before it writes), between other requests. */
let slicing: Promise<void> = Promise.resolve();

async function runInSlices(id: number, steps: Generator<void, unknown>): Promise<void> {
  try {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        port!.postMessage({ type: 'result', id, ok: true, value: step.value } satisfies WorkerReply);
        return;
      }
      // The requests that arrived meanwhile run now: two turns, so the loop polls its port in between
      // (one immediate would run the next slice before the messages that came during this one).
      await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    }
  } catch (error) {
    port!.postMessage({ type: 'result', id, ok: false, error: errorBody(error) } satisfies WorkerReply);
  }
}

const isCommand = (channel: string) => (channels as Record<string, { kind: string } | undefined>)[channel]?.kind === 'command';
/** SQLite refused a write: the store is not checked yet (or found damaged), and nothing was written. */
const writeRefused = (error: unknown) => (error as { code?: unknown } | null)?.code === 'SQLITE_READONLY';

function answer(request: Extract<WorkerRequest, { type: 'call' }>): void {
  try {
    if (store.damage && isCommand(request.channel)) throw damagedRefusal();
    const value = core.handle(request.channel, request.input);
    port!.postMessage({ type: 'result', id: request.id, ok: true, value } satisfies WorkerReply);
  } catch (error) {
    if (isDamage(error)) {
      damageFound(error);
      port!.postMessage({ type: 'result', id: request.id, ok: false, error: errorBody(damagedRefusal()) } satisfies WorkerReply);
      return;
    }
    // A read that writes on the way (the library search indexes what is missing) waits for the check too.
    if (held && writeRefused(error)) {
      held.push(request);
      return;
    }
    const refusal = store.damage && writeRefused(error) ? damagedRefusal() : error;
    port!.postMessage({ type: 'result', id: request.id, ok: false, error: errorBody(refusal) } satisfies WorkerReply);
  }
}

function damagedRefusal(): ApiError {
  const { file, detail } = store.damage!;
  return refuse('conflict', 'store_damaged', `The incident store ${file} is damaged (${detail}); nothing is written to it.`, { file });
}

/**
 * One request, in arrival order. While the check runs, a command waits (and what comes after
 * it, to keep the order), and so does a new team key, which opens sealed events into the store.
 */
function receive(request: WorkerRequest): void {
  if (request.type === 'close') {
    closing = true;
    // An import under way finishes first: it was acknowledged to nobody yet, and is whole after.
    void slicing.then(closeAll);
    return;
  }
  if (held && (held.length > 0 || request.type === 'teamKey' || isCommand(request.channel))) {
    held.push(request);
    return;
  }
  if (request.type === 'teamKey') {
    sync.setKeyring(TeamKeyringSchema.safeParse(request.keyring).data ?? null);
    room.keyringChanged();
    return;
  }
  if (request.channel === 'archive.import') {
    slicing = slicing.then(() => runInSlices(request.id, core.importArchiveInSlices(request.input)));
    return;
  }
  answer(request);
}

port.on('message', receive);

async function closeAll(): Promise<void> {
  sync.stop();
  // The peer endpoint and its connections are closed before this thread is told to end: a thread
  // terminated while its HTTP server parses a request aborts the whole process (nodejs/node#38418),
  // seen here as "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal" when one console closed while
  // another was syncing with it. Bounded, so a close never hangs on it.
  await Promise.race([room.stop().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ROOM_STOP_AT_MOST_MS).unref())]);
  clearInterval(breachWatch);
  core.drills.halt();
  core.stopBackground();
  store.close();
  port!.postMessage({ type: 'closed' } satisfies WorkerReply);
  port!.close();
}
