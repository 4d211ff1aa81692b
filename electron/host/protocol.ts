import type { ApiErrorBody, ChangeNotice } from '../../shared/api/api.js';
import type { StoreProblem } from '../store/store-problems.js';
import type { TeamKeyring } from '../../shared/sync/team-key.js';

/** Messages between the main thread (core-host) and the core worker. */
export type WorkerRequest =
  | { type: 'call'; id: number; channel: string; input: unknown }
  | { type: 'close' }
  /** The team keyring changed on the host side (created, imported, rotated, paired): the core holds it in memory only. */
  | { type: 'teamKey'; keyring: TeamKeyring | null };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string; problem?: { kind: StoreProblem; file: string; detail: string } }
  | { type: 'closed' }
  | { type: 'change'; notice: ChangeNotice }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody };
