import type { ApiErrorBody, ChangeNotice } from '../../shared/api/api.js';
import type { StoreProblem } from '../store/store-problems.js';

/** Messages between the main thread (core-host) and the core worker. */
export type WorkerRequest = { type: 'call'; id: number; channel: string; input: unknown } | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string; problem?: { kind: StoreProblem; file: string; detail: string } }
  | { type: 'closed' }
  | { type: 'change'; notice: ChangeNotice }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody };
