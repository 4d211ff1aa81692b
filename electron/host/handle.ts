import type { Worker } from 'node:worker_threads';
import type { ChangeNotice, ChannelName, ChannelOutput, TokenKeyring, TokenStore } from '../../shared/api/api.js';
import type { SyncTiming } from '../sync/sync.js';
import type { RoomTiming } from '../sync/room-engine.js';

/**
 * What a transport adapter (Electron IPC, browser-mode HTTP) holds: the core, running
 * off the main thread. `call` validates the input against the channel's schema and
 * rejects with an ApiError (shared/api/api.ts) carrying a clear reason; change notices are
 * delivered only after the transaction that caused them has committed.
 */
export interface CoreHandle {
  call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>>;
  onChange(listener: (notice: ChangeNotice) => void): () => void;
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Folder holding warroom.sqlite; created if missing. */
  dataDir: string;
  transport: 'electron' | 'browser';
  /** Absolute path to an Electron-ABI build of better-sqlite3, when running inside Electron. */
  nativeBinding?: string;
  /** Overrides for the sync engine's timers (tests, benchmarks). */
  syncTiming?: Partial<SyncTiming>;
  /** Overrides for room sync's timers (tests). */
  roomTiming?: Partial<RoomTiming>;
  /**
   * Stores up to this size (bytes) are checked for damage at open, before the core starts;
   * larger ones on a thread of their own while the first screen is answered, writes held until
   * the check passes. Default INTEGRITY_CHECK_AT_OPEN_UP_TO (electron/store/store.ts); tests set 0.
   */
  integrityCheckAtOpenUpTo?: number;
  /** Told of each worker thread started (the first and every restart); for diagnostics and tests. */
  onWorker?: (worker: Worker) => void;
}

/** One secret kept by the host: load, save (atomically), forget. */
export interface SecretSlot {
  load(): string | null;
  save(secret: string): void;
  clear(): void;
}

/** Where the hub token lives: the OS keychain in Electron, a private file in browser mode. Never the SQLite file. */
export interface SecretStore extends SecretSlot {
  /** Where the token is kept, so the settings can tell the user the truth. */
  readonly kind: TokenStore;
  /** Which keyring sealed it, or why none did (Electron only). */
  readonly keyring?: TokenKeyring;
  /** The team keyring (shared/sync/team-key.ts), kept the same way in its own file. */
  readonly teamKey: SecretSlot;
}
