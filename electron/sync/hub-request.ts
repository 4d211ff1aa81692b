import { parseUntrustedJson, UntrustedInputError } from '../../shared/record/untrusted.js';
import { HubErrorSchema, HUB_LIMITS } from '../../shared/sync/hub-protocol.js';
import { syncReasonEnglish, type SyncReason } from '../../shared/sync/sync-reasons.js';

/**
 * A failure that says why, in words a commander can act on: a reason code the console translates
 * (shared/sync/sync-reasons.ts), its English sentence as the message. `offline` = the hub could not be reached at all.
 */
export class SyncError extends Error {
  constructor(
    readonly reason: SyncReason,
    readonly offline: boolean,
    readonly retryAfterMs: number | null = null,
    /** Positions in a pushed batch the hub refused (from its `body.events.N` issue paths). */
    readonly refusedIndexes: number[] = [],
  ) {
    super(syncReasonEnglish(reason));
    this.name = 'SyncError';
  }
}

function refusedIndexes(issues: readonly { path: string }[]): number[] {
  const indexes = new Set<number>();
  for (const issue of issues) {
    const match = /^body\.events\.(\d+)(\.|$)/.exec(issue.path);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes];
}

/** A pull page is bounded by the hub's byte limit; anything bigger is not a hub we trust. */
export const MAX_RESPONSE_BYTES = HUB_LIMITS.maxPageBytes + 64 * 1024;

/** Where and how to reach the hub: what the sync engine and the page reader (page-reader.ts) both need. */
export interface HubTarget {
  hubUrl: string;
  token: string | null;
  requestTimeoutMs: number;
}

/**
 * One HTTP exchange with the hub, with size, time and shape limits; every failure becomes a
 * SyncError that says why. Run by the sync engine (pushes) and by the page reader's thread (pulls).
 */
export async function hubRequest(
  fetchImpl: typeof fetch,
  target: HubTarget,
  method: 'GET' | 'POST' | 'PUT',
  pathAndQuery: string,
  body?: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(`${target.hubUrl}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        // Pull pages compress to a fraction of their size; fetch decodes them (bounded by readLimited after decoding).
        'accept-encoding': 'br, gzip',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(target.requestTimeoutMs),
    });
  } catch (error) {
    throw new SyncError({ code: error instanceof Error && error.name === 'TimeoutError' ? 'hub_timed_out' : 'hub_unreachable' }, true);
  }
  const text = await readLimited(response, MAX_RESPONSE_BYTES);
  let json: unknown;
  try {
    json = parseUntrustedJson(text);
  } catch (error) {
    if (error instanceof UntrustedInputError && error.code === 'too_deep') throw new SyncError({ code: 'too_deep' }, false);
    if (response.ok) throw new SyncError({ code: 'not_json' }, false);
    if (response.status >= 500 || response.status === 502 || response.status === 503)
      throw new SyncError({ code: 'hub_unavailable', params: { status: response.status } }, true);
    throw new SyncError({ code: 'request_refused', params: { status: response.status } }, false);
  }
  if (response.ok) return json;
  const hubError = HubErrorSchema.safeParse(json);
  const code = hubError.success ? hubError.data.error.code : 'unknown';
  const detail = hubError.success ? hubError.data.error.message : `HTTP ${response.status}`;
  if (code === 'cursor_ahead') throw new SyncError({ code: 'cursor_ahead', params: { detail } }, false);
  if (response.status === 401) throw new SyncError({ code: 'token_refused' }, false);
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new SyncError({ code: 'rate_limited' }, true, Number.isFinite(retryAfter) ? retryAfter * 1000 : null);
  }
  if (response.status >= 500) throw new SyncError({ code: 'hub_unavailable_detail', params: { status: response.status, detail } }, true);
  const refused = hubError.success && response.status === 400 ? refusedIndexes(hubError.data.error.issues ?? []) : [];
  throw new SyncError({ code: 'request_refused_detail', params: { status: response.status, detail } }, false, null, refused);
}

/** Read a response body, refusing (and cancelling) one larger than `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new SyncError({ code: 'too_large', params: { limit } }, false);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new SyncError({ code: 'too_large', params: { limit } }, false);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SyncError) throw error;
    throw new SyncError({ code: 'cut_off' }, true);
  }
  return Buffer.concat(chunks).toString('utf8');
}
