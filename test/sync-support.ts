import path from 'node:path';
import { foldIncident, viewIncident } from '../shared/record/fold.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SyncEngine, type SyncTiming } from '../electron/sync/sync.js';
import { hubCli, startHub, type HubProcess } from '../hub/test/support.js';
import { tempDir } from './helpers.js';
import type { TeamKeyring } from '../shared/sync/team-key.js';
import type { SealCipher } from '../shared/sync/seal-cipher.js';

/** Timers short enough for tests, long enough not to spin. */
export const FAST: Partial<SyncTiming> = { pushDelayMs: 5, pollMs: 60_000, backoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 3_000 };

export interface Device {
  dir: string;
  store: Store;
  core: WarroomCore;
  sync: SyncEngine;
  close(): void;
}

/** A laptop: a real store on disk, the real core and the real sync engine, in this process. */
export function openDevice(
  options: {
    dir?: string;
    hubUrl?: string;
    token?: string | null;
    timing?: Partial<SyncTiming>;
    fetch?: typeof fetch;
    now?: () => number;
    /** The team keyring (shared/sync/team-key.ts): this laptop seals what it sends and opens what it pulls. */
    keyring?: TeamKeyring | null;
    /** The XChaCha20-Poly1305 implementation (default: the core's choice, Node's where it has it). */
    cipher?: SealCipher;
  } = {},
): Device {
  const dir = options.dir ?? tempDir('warroom-device-');
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  // `now`: this laptop's wall clock (a laptop whose clock is wrong, in the clock tests).
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser', ...(options.now ? { now: options.now } : {}) });
  const sync = new SyncEngine(core, store, {
    token: options.token ?? null,
    timing: options.timing ?? FAST,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    keyring: options.keyring ?? null,
    ...(options.cipher ? { cipher: options.cipher } : {}),
  });
  core.attachSync(sync);
  if (options.hubUrl && options.token) sync.configure({ hubUrl: options.hubUrl, enabled: true });
  return {
    dir,
    store,
    core,
    sync,
    close() {
      sync.stop();
      store.close();
    },
  };
}

/** A real hub process on 127.0.0.1 with a SQLite file, and a team token for it. */
export async function startTestHub(dbFile = path.join(tempDir('warroom-hub-'), 'hub.sqlite')): Promise<HubProcess & { token: string; dbFile: string }> {
  const created = await hubCli(['token', 'create', 'ops', '--db', dbFile]);
  if (created.code !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const hub = await startHub({ args: ['--db', dbFile], env: {} });
  return { ...hub, token: created.stdout.trim(), dbFile };
}

/** Everything a user could see of one incident on this device: the folded view and the timeline order. */
export function visibleRecord(device: Device, incidentId: string) {
  const { entries } = device.store.timeline(incidentId, 0, 1_000_000);
  return {
    view: viewIncident(foldIncident(incidentId, entries)),
    projection: viewIncident(device.store.incidentState(incidentId)),
    timeline: entries.map((e) => e.id),
  };
}

/** Sync until nothing is waiting anywhere, or give up after `rounds`. */
export async function syncAll(devices: Device[], rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    for (const d of devices) {
      d.sync.syncNow();
      await d.sync.idle();
      await new Promise((r) => setTimeout(r, 10));
      await d.sync.idle();
    }
  }
}
