import type { SyncStatus } from '../../../shared/api/api.js';

/**
 * What the header says about sync, before translation. It follows the engine's state with one
 * correction: while the engine retries an unreachable hub it reports `syncing` with nothing
 * moved yet, which would flash "Syncing…" at every retry of an outage; that is still offline.
 */
export type SyncDisplay =
  | { state: 'disabled' }
  | { state: 'offline'; since: number | null; pending: number; retrying: boolean; reason: string | null }
  | { state: 'syncing'; pulled: number; pushed: number }
  | { state: 'up_to_date'; at: number | null; pending: number }
  | { state: 'error'; reason: string; pending: number };

export function describeSync(status: SyncStatus): SyncDisplay {
  switch (status.state) {
    case 'disabled':
      return { state: 'disabled' };
    case 'offline':
      return { state: 'offline', since: status.offlineSince, pending: status.pending, retrying: false, reason: status.error };
    case 'syncing': {
      const pulled = status.progress?.pulled ?? 0;
      const pushed = status.progress?.pushed ?? 0;
      if (status.offlineSince !== null && pulled + pushed === 0) {
        return { state: 'offline', since: status.offlineSince, pending: status.pending, retrying: true, reason: status.error };
      }
      return { state: 'syncing', pulled, pushed };
    }
    case 'up_to_date':
      return { state: 'up_to_date', at: status.lastSyncedAt, pending: status.pending };
    case 'error':
      return { state: 'error', reason: status.error ?? '', pending: status.pending };
  }
}

/** Device ids are 12 random characters; six tell a team's laptops apart and fit in a timeline row. */
export function shortDeviceId(deviceId: string): string {
  return deviceId.slice(0, 6);
}

/** Whole minutes, at least one: the engine only warns past a minute of skew. */
export function skewMinutes(aheadMs: number): number {
  return Math.max(1, Math.round(aheadMs / 60_000));
}

/**
 * The checkbox's starting value. The status cannot say "enabled but missing a token" apart
 * from "turned off", so a console still being set up starts with sync on: that is why the
 * user opened the settings.
 */
export function initialEnabled(status: SyncStatus | null): boolean {
  if (!status) return true;
  if (status.state !== 'disabled') return true;
  return status.hubUrl === '' || !status.hasToken;
}
