import type { EventEnvelope } from '../../shared/record/events.js';
import type { QuarantineReason } from '../../shared/record/untrusted.js';
import { PullResponseSchema } from '../../shared/sync/hub-protocol.js';
import { admitPulled } from '../../shared/sync/sealing.js';
import type { SealCipher } from '../../shared/sync/seal-cipher.js';
import type { TeamKeyring } from '../../shared/sync/team-key.js';
import { hubRequest, SyncError, type HubTarget } from './hub-request.js';

export interface PulledPage {
  events: EventEnvelope[];
  /** Events kept but never folded (shared/record/untrusted.ts): a newer version's values, a clock too far ahead, a sealed event that does not open. */
  quarantine: Map<string, QuarantineReason>;
  /** The id of the hub's last event on this page, kept to check continuity at the next pull. */
  lastId: string | null;
  cursor: number;
  more: boolean;
  epoch: string;
  /** Id the hub holds at the cursor asked for; undefined from a hub that does not say. */
  cursorId: string | null | undefined;
}

export interface PullRequest extends HubTarget {
  cursor: number;
  limit: number;
  /** The team keyring opening sealed events; null = this laptop holds none. */
  ring: TeamKeyring | null;
  /** This laptop's wall clock when the page was asked for: the bound on stamps ahead of it. */
  now: number;
}

/**
 * One page after `cursor`, checked in full before anything is applied: the answer's shape, its
 * cursor, and every event through the one untrusted-input path (sealed ones opened first). Null
 * when the hub says the cursor is ahead of it. Runs on the page reader's thread (page-reader.ts)
 * while the core writes the page before, or on the core's own thread when the sync engine was
 * given its own fetch.
 */
export async function readPullPage(fetchImpl: typeof fetch, request: PullRequest, cipher: SealCipher): Promise<PulledPage | null> {
  let body: unknown;
  try {
    body = await hubRequest(fetchImpl, request, 'GET', `/v1/events?after=${request.cursor}&limit=${request.limit}`);
  } catch (error) {
    if (error instanceof SyncError && error.reason.code === 'cursor_ahead') return null;
    throw error;
  }
  const page = PullResponseSchema.safeParse(body);
  if (!page.success) throw new SyncError({ code: 'bad_pull_page' }, false);
  if (page.data.cursor < request.cursor) throw new SyncError({ code: 'cursor_backwards' }, false);
  // The one untrusted-input path: an event that cannot be folded is kept quarantined; one that
  // cannot even be kept (a hub not applying the shared limits) is skipped, never a reason to stop.
  // Sealed events are opened first; one that does not open is kept quarantined with why.
  const admitted = admitPulled(page.data.events, request.ring, { now: request.now, cipher });
  // The hub's own last event names the cursor, even when this console could not keep it.
  const lastRaw = page.data.events.at(-1) as { id?: unknown } | undefined;
  const lastId = typeof lastRaw?.id === 'string' ? lastRaw.id : (admitted.events.at(-1)?.id ?? null);
  return {
    events: admitted.events,
    quarantine: admitted.quarantine,
    lastId,
    cursor: page.data.cursor,
    more: page.data.more,
    epoch: page.data.epoch,
    cursorId: page.data.cursorId,
  };
}
