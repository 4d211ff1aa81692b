import type { QuarantineReason } from '../../shared/record/untrusted.js';
import type { ArrivedSealed } from '../../shared/sync/sealing.js';
import type { TeamKeyring } from '../../shared/sync/team-key.js';
import type { SealCipherKind } from '../../shared/sync/team-key-channels.js';

/**
 * The messages between the core's thread and the pull worker (electron/sync/pull-worker.ts), which
 * pulls a page (and opens what is sealed in it) while the core writes the page before it: from the
 * hub, or from a room peer (issue #14), which serves the same pull protocol.
 */
export interface PullWorkerRequest {
  id: number;
  /** The hub's URL, checked by the core before, or a room peer's (http://host:port). */
  hubUrl: string;
  /** `/v1/events?after=…&limit=…` */
  limit: number;
  /** The limit the core asks the next pages with: the worker asks for the next page ahead with it. */
  nextLimit: number;
  /**
   * The hub's `Bearer <token>` (in memory only, like the keyring), or a room peer's: each request
   * signed with the team key (room-auth.ts) by the worker itself, the page asked for ahead included.
   */
  auth: { bearer: string } | { room: true };
  timeoutMs: number;
  /** The cursor asked for: a page whose cursor is behind it is not used. */
  after: number;
  /** This laptop's clock, for the checks on arrival (a stamp too far ahead) and a room request's timestamp. */
  now: number;
  /** The team keyring, in memory only (never written to a file or an event); null for a team in clear. */
  ring: TeamKeyring | null;
  /** Hand back each opened event's sealed form as it arrived (PulledOptions.keepArrived): a room peer's page, relayed to the hub. */
  keepArrived?: boolean;
}

export type PullWorkerReply =
  | { type: 'ready'; cipher: SealCipherKind }
  | {
      type: 'page';
      id: number;
      ok: true;
      cursor: number;
      more: boolean;
      epoch: string;
      cursorId: string | null | undefined;
      lastId: string | null;
      /** The admitted events (opened, or kept unopened as they came) as one JSON text: one copy between threads, not 5,000 objects. */
      events: string;
      /** Each of those events' payload as JSON, in order: the log stores it as it is, so the core's thread need not make it again. */
      payloads: string[];
      quarantine: [string, QuarantineReason][];
      /** With `keepArrived`: each event's sealed form as it arrived, or null (PulledBatch.arrived). */
      arrived?: (ArrivedSealed | null)[];
    }
  /**
   * Anything but a page (the hub unreachable or refusing, a page out of shape): the core asks for
   * it itself, and says why; `timedOut`: no answer in time, which the core says without asking again.
   */
  | { type: 'page'; id: number; ok: false; timedOut?: boolean };
