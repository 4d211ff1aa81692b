import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, type ApiErrorBody, type TokenKeyring, type TokenStore } from '../../shared/api/api.js';
import { WarroomCore } from '../core/core.js';
import type { CoreOptions } from './handle.js';
import { Store, STORE_FILE_NAME } from '../store/store.js';
import { StoreOpenError } from '../store/store-problems.js';
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
let breachWatch: ReturnType<typeof setInterval> | undefined;
try {
  store = Store.open(path.join(options.dataDir, STORE_FILE_NAME), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
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
} catch (error) {
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

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'teamKey') {
    sync.setKeyring(TeamKeyringSchema.safeParse(request.keyring).data ?? null);
    room.keyringChanged();
    return;
  }
  if (request.type === 'close') {
    // An import under way finishes first: it was acknowledged to nobody yet, and is whole after.
    void slicing.then(closeAll);
    return;
  }
  if (request.channel === 'archive.import') {
    slicing = slicing.then(() => runInSlices(request.id, core.importArchiveInSlices(request.input)));
    return;
  }
  try {
    const value = core.handle(request.channel, request.input);
    port.postMessage({ type: 'result', id: request.id, ok: true, value } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ type: 'result', id: request.id, ok: false, error: errorBody(error) } satisfies WorkerReply);
  }
});

function closeAll(): void {
  sync.stop();
  void room.stop();
  clearInterval(breachWatch);
  core.drills.halt();
  core.stopBackground();
  store.close();
  port!.postMessage({ type: 'closed' } satisfies WorkerReply);
  port!.close();
}
