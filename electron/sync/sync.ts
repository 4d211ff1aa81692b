import { ApiError, type SyncStatus } from '../../shared/api/api.js';
import type { EventEnvelope } from '../../shared/record/events.js';
import { MAX_FORWARD_SKEW_MS } from '../../shared/record/hlc.js';
import { parseUntrustedJson, refusalOf, UntrustedInputError, type QuarantineReason } from '../../shared/record/untrusted.js';
import { HubErrorSchema, HUB_LIMITS, PullResponseSchema, PushResponseSchema } from '../../shared/sync/hub-protocol.js';
import type { WarroomCore } from '../core/core.js';
import { HUB_EPOCH_KEY, PULL_CURSOR_ID_KEY, PULL_CURSOR_KEY, type OutboxSealer, type Store } from '../store/store.js';
import { ALLOW_PLAIN_HTTP_ENV, hubUrlProblem, isPlainHttpOffLoopback, sameOrigin } from './hub-url.js';
import { message } from '../../shared/text/errors.js';
import { admitPulled, outgoing, sealedForOutbox } from '../../shared/sync/sealing.js';
import { SEAL_CIPHER } from './node-seal-cipher.js';
import { readBody } from './read-body.js';
import { pullOffThread, pullWorker } from './pull-worker-client.js';
import type { SealCipher } from '../../shared/sync/seal-cipher.js';
import { currentKey, teamPublicKeyOf, type TeamKeyring } from '../../shared/sync/team-key.js';
import { DISCLOSED_KINDS, DisclosureResponseSchema } from '../../shared/sync/sealed-protocol.js';
import { syncReasonEnglish, type SyncReason } from '../../shared/sync/sync-reasons.js';

export const SYNC_URL_KEY = 'sync.hubUrl';
export const SYNC_ENABLED_KEY = 'sync.enabled';

export interface SyncTiming {
  /** Pause after a local write before pushing it, so a burst of typing goes as one batch. */
  pushDelayMs: number;
  /** How often an idle, healthy device pulls. */
  pollMs: number;
  /** First retry delay after a failure; doubles each time, with jitter, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  pushDelayMs: 300,
  pollMs: 10_000,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  requestTimeoutMs: 20_000,
};

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

interface PulledPage {
  events: EventEnvelope[];
  /** Each event's payload as JSON, when the pull worker read the page (AppendOptions.payloadJson). */
  payloadJson?: readonly string[];
  /** Events kept but never folded (shared/record/untrusted.ts): a newer version's values, a clock too far ahead. */
  quarantine: Map<string, QuarantineReason>;
  /** The id of the hub's last event on this page, kept to check continuity at the next pull. */
  lastId: string | null;
  cursor: number;
  more: boolean;
  epoch: string;
  /** Id the hub holds at the cursor asked for; undefined from a hub that does not say. */
  cursorId: string | null | undefined;
}

const PUSH_BATCH = HUB_LIMITS.maxBatch;
/**
 * The hub's largest page: a 100,000-event catch-up takes 20 round trips and 20 durable commits
 * instead of 100. Applying one page holds the core for a few tens of milliseconds at most, so a
 * command typed during a catch-up waits no longer than that.
 */
const PULL_PAGE = HUB_LIMITS.maxPage;
/**
 * The first page of a round is asked short: a laptop joining a team, or back after a long time
 * offline, shows the incidents once the hub has read and compressed 1,000 events and the laptop
 * has written them (tens of milliseconds), rather than 5,000. The full pages follow, each asked
 * for while the one before is written; a round with fewer new events is one request as before.
 */
export const FIRST_PULL_PAGE = 1000;
/** A pull page is bounded by the hub's byte limit; anything bigger is not a hub we trust. */
const MAX_RESPONSE_BYTES = HUB_LIMITS.maxPageBytes + 64 * 1024;

/**
 * Background sync with the team hub, in the core worker: push the outbox in batches
 * (idempotent by event id), then pull everything after the saved cursor and fold it through
 * the same path as local writes. It never blocks a write: local commands commit to SQLite
 * first and are queued; the network is only ever awaited here.
 */
export class SyncEngine {
  private hubUrl: string;
  private enabled: boolean;
  private token: string | null;
  private state: SyncStatus['state'] = 'disabled';
  private offlineSince: number | null = null;
  private lastSyncedAt: number | null = null;
  private error: string | null = null;
  /** The code of `error`, when it has one (a failure inside this laptop has none). */
  private reason: SyncReason | null = null;
  private progress: SyncStatus['progress'] = null;
  private clockSkew: SyncStatus['clockSkew'] = null;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly listeners = new Set<(status: SyncStatus) => void>();

  constructor(
    private readonly core: WarroomCore,
    private readonly store: Store,
    options: {
      token: string | null;
      timing?: Partial<SyncTiming>;
      now?: () => number;
      random?: () => number;
      fetch?: typeof fetch;
      /** Events asked for per pull; tests make it small to turn many pages with few events. */
      pullPageSize?: number;
      /** Lab opt-out (WARROOM_ALLOW_PLAIN_HTTP_HUB=1): accept http:// to a hub off this machine, token in clear. */
      allowPlainHttp?: boolean;
      /** The team keyring (shared/sync/team-key.ts), in memory only: the host keeps it like the token. */
      keyring?: TeamKeyring | null;
      /** The XChaCha20-Poly1305 implementation; tests force @noble's, the one Electron falls back to (electron/sync/node-seal-cipher.ts). */
      cipher?: SealCipher;
    },
  ) {
    this.ring = options.keyring ?? null;
    this.cipher = options.cipher ?? SEAL_CIPHER;
    // What was queued while the key was not here (or under an older key) is sealed now; what is queued from here on, as it is stored.
    store.sealOutbox(outboxSealer(this.ring, this.cipher));
    this.allowPlainHttp = options.allowPlainHttp ?? false;
    this.timing = { ...DEFAULT_SYNC_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? fetch;
    this.pullPageSize = Math.min(Math.max(1, Math.floor(options.pullPageSize ?? PULL_PAGE)), HUB_LIMITS.maxPage);
    // Node's own network and cipher, as the pull worker has them (it reads pages through node:http, page-request.ts): a test's own fetch or cipher keeps every page here.
    this.offThread = this.fetch === globalThis.fetch && this.cipher === SEAL_CIPHER;
    // A sealed team's worker starts with its engine (opening is its costliest part); a clear team's at its first pull (fetchPage).
    if (this.ring && this.offThread) pullWorker();
    this.token = options.token;
    this.hubUrl = store.getMeta(SYNC_URL_KEY) ?? '';
    this.enabled = store.getMeta(SYNC_ENABLED_KEY) === 'true';
    this.state = this.active() ? 'syncing' : 'disabled';
    core.onChange((notice) => {
      if (!notice.eventIds.length || !this.active()) return;
      // A page this engine is storing left nothing to push: without this, each catch-up ended
      // with a second round whose pull came back empty (a round trip, and on a tether a slow one).
      // A write made meanwhile (here, or by what reacts to the page) is queued and still counts.
      if (this.ingesting && this.store.outboxCount() === 0) return;
      this.schedule(this.timing.pushDelayMs, false);
    });
  }

  private readonly timing: SyncTiming;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly fetch: typeof fetch;
  private readonly pullPageSize: number;
  private readonly allowPlainHttp: boolean;
  private readonly cipher: SealCipher;
  /** Whether pull pages may be read (and sealed ones opened) by the pull worker (electron/sync/pull-worker-client.ts). */
  private readonly offThread: boolean;

  private ring: TeamKeyring | null;
  /** True while a pulled page is being stored (applyPage). */
  private ingesting = false;

  /** The team keyring sealing what leaves and opening what arrives; null = this team does not seal. */
  keyring(): TeamKeyring | null {
    return this.ring;
  }

  /** A new keyring (created, imported, rotated): sealed events that arrive from now on open with it. */
  setKeyring(ring: TeamKeyring | null): void {
    this.ring = ring;
    if (ring && this.offThread) pullWorker();
    this.store.sealOutbox(outboxSealer(ring, this.cipher));
    // Events pulled before the key was here (a laptop that joined the hub, then paired) open now.
    this.core.reopenSealed(ring);
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SyncStatus {
    // A hub URL saved before plain http off this machine was refused (or without the lab opt-out
    // it was saved with): say so rather than look switched off, and never send the token there.
    const blocked = this.enabled && this.hubUrl !== '' ? this.urlProblem() : null;
    return {
      state: blocked ? 'error' : this.active() ? this.state : 'disabled',
      hubUrl: this.hubUrl,
      hasToken: this.token !== null,
      plainHttp: isPlainHttpOffLoopback(this.hubUrl),
      pending: this.store.outboxCount(),
      offlineSince: this.offlineSince,
      lastSyncedAt: this.lastSyncedAt,
      error: blocked ? `${blocked} (${this.hubUrl})` : this.error,
      reason: blocked ? { code: 'plain_http_refused', params: { hubUrl: this.hubUrl, env: ALLOW_PLAIN_HTTP_ENV } } : this.reason,
      progress: this.progress,
      clockSkew: this.clockSkew,
      quarantined: this.store.quarantineCount(),
    };
  }

  private active(): boolean {
    return this.enabled && this.hubUrl !== '' && this.token !== null && !this.stopped && this.urlProblem() === null;
  }

  private urlProblem(): string | null {
    return hubUrlProblem(this.hubUrl, this.allowPlainHttp);
  }

  /**
   * Settings from the console. The token lives in memory here; the host keeps it in the OS keychain.
   * A token belongs to the hub it was given for: pointing at another origin without a new token
   * forgets the old one (the host then deletes it), so it is never sent to a host it was not meant for.
   */
  configure(settings: { hubUrl: string; token?: string | undefined; enabled: boolean }): SyncStatus {
    const hubUrl = settings.hubUrl.replace(/\/+$/, '');
    const problem = hubUrlProblem(hubUrl, this.allowPlainHttp);
    if (problem) throw new ApiError({ code: 'invalid_input', message: `hubUrl: ${problem}`, issues: [{ path: 'hubUrl', message: problem }] });
    if (settings.token !== undefined) this.token = settings.token;
    // A token loaded before any hub was named is not bound to one yet.
    else if (this.hubUrl !== '' && !sameOrigin(this.hubUrl, hubUrl)) this.token = null;
    this.hubUrl = hubUrl;
    this.enabled = settings.enabled;
    this.store.setMeta(SYNC_URL_KEY, this.hubUrl);
    this.store.setMeta(SYNC_ENABLED_KEY, String(this.enabled));
    this.failures = 0;
    this.error = null;
    this.reason = null;
    this.offlineSince = null;
    this.clearTimer();
    if (this.active()) this.schedule(0, true);
    this.emit();
    return this.status();
  }

  start(): void {
    // Started once the store accepts writes (after a deferred integrity check): what waits is sealed now.
    this.store.sealOutbox(outboxSealer(this.ring, this.cipher));
    if (this.active()) this.schedule(0, true);
    this.emit();
  }

  /** Sync as soon as possible, ignoring any backoff (the user asked, or the OS says we are back online). */
  syncNow(): SyncStatus {
    this.failures = 0;
    if (this.active()) {
      this.clearTimer();
      if (this.running) this.again = true;
      else void this.round();
    }
    return this.status();
  }

  /** Resolves when the current round, and any round asked for meanwhile, has finished. For tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number, force: boolean): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // While backing off, a new local write does not shorten the wait: the queue is safe on disk.
    if (this.timer && !force) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, delayMs);
    this.timer.unref?.();
  }

  private round(): Promise<void> {
    if (this.running || !this.active()) return this.running ?? Promise.resolve();
    this.running = (async () => {
      let next: number;
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again && this.active());
        this.failures = 0;
        next = this.timing.pollMs;
      } catch (error) {
        next = this.backoffDelay(error);
        // Stopped mid-round (shutdown): the store may be closed under us, so whatever failed
        // after that is not news, and reading the status would throw where nobody catches it.
        if (!this.stopped) this.fail(error);
      } finally {
        this.running = null;
      }
      if (this.stopped) return;
      this.emit();
      if (this.active()) this.schedule(next, true);
    })();
    return this.running;
  }

  private backoffDelay(error: unknown): number {
    this.failures++;
    const exponential = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** (this.failures - 1));
    const jittered = exponential * (0.5 + this.random());
    const retryAfter = error instanceof SyncError && error.retryAfterMs !== null ? error.retryAfterMs : 0;
    return Math.max(jittered, retryAfter);
  }

  private fail(error: unknown): void {
    this.progress = null;
    if (error instanceof SyncError && error.offline) {
      this.state = 'offline';
      this.offlineSince ??= this.now();
      this.error = error.message;
      this.reason = error.reason;
    } else {
      this.state = 'error';
      this.error = message(error);
      this.reason = error instanceof SyncError ? error.reason : null;
    }
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  /** One full exchange: push everything waiting, then pull everything new. */
  private async syncOnce(): Promise<void> {
    this.state = 'syncing';
    this.progress = { pulled: 0, pushed: 0 };
    this.emit();
    await this.publishTeamKey();
    for (;;) {
      const waiting = this.withoutRefused(this.store.outboxBatch(PUSH_BATCH));
      // With a team key every event leaves sealed (shared/sync/sealing.ts), never in clear: as it was
      // sealed into the outbox, or now (queued again for a new hub history, or before the key arrived).
      const ring = this.ring;
      const wire = fitToBody(waiting.map(({ event, sealed }) => (ring && sealed !== null ? sealed : JSON.stringify(outgoing(event, ring, this.cipher)))));
      const batch = waiting.slice(0, wire.length).map((w) => w.event);
      if (batch.length === 0) {
        if (this.store.outboxCount() === 0) break;
        continue;
      }
      // False: the hub refused some of the batch; those are quarantined and the rest goes again.
      if (!(await this.push(batch, wire))) continue;
      // Acknowledged only once disclosed too: a failure here pushes the batch again (idempotent by id).
      if (ring) await this.disclose(batch);
      this.store.acknowledge(batch.map((e) => e.id));
      this.progress = { ...this.progress, pushed: this.progress.pushed + batch.length };
      this.emit();
    }
    let next: Promise<PulledPage | null> | null = this.fetchPage(this.pullCursor(), Math.min(this.pullPageSize, FIRST_PULL_PAGE));
    let first = true;
    while (next) {
      const page: PulledPage | null = await next;
      const knownEpoch = this.store.getMeta(HUB_EPOCH_KEY);
      // The hub holds another event where our cursor points: same epoch, other history (a backup
      // restored without `epoch rotate` hands out the same sequence numbers again).
      const seenAtCursor = first ? this.store.getMeta(PULL_CURSOR_ID_KEY) : null;
      const lostContinuity = page !== null && seenAtCursor !== null && page.cursorId !== undefined && page.cursorId !== seenAtCursor;
      first = false;
      if (!page || (knownEpoch !== null && page.epoch !== knownEpoch) || lostContinuity) {
        // Another history than the one our cursor and acknowledgements refer to: a new hub, a reset,
        // or a restored backup. Whatever it lost may have left every outbox already, so queue the
        // whole log again (the hub ignores what it has) and pull from the start (idempotent by id).
        this.store.restartHubHistory(page?.epoch ?? null);
        return this.syncOnce();
      }
      if (knownEpoch === null) this.store.setMeta(HUB_EPOCH_KEY, page.epoch);
      // Ask for the next page before writing this one, so the hub reads it and it crosses the
      // network while we write; its cursor is only saved once it has been applied in turn.
      next = page.more ? this.fetchPage(page.cursor) : null;
      // If applying fails, the round ends with that error; the page asked for ahead is dropped unread.
      next?.catch(() => undefined);
      this.applyPage(page);
      this.emit();
    }
    this.state = 'up_to_date';
    this.lastSyncedAt = this.now();
    this.offlineSince = null;
    this.error = null;
    this.reason = null;
    this.progress = null;
  }

  /**
   * No single event may stop syncing: one the hub would refuse under the shared limits (stored
   * before they existed, e.g. a 300 KiB event of an unknown kind) leaves the outbox quarantined
   * instead of sitting at its head forever.
   */
  private withoutRefused<T extends { event: EventEnvelope }>(waiting: T[]): T[] {
    const refused = new Map<string, QuarantineReason>();
    const kept = waiting.filter(({ event }) => {
      const refusal = refusalOf(event);
      if (refusal === null) return true;
      refused.set(event.id, { code: 'refused_by_hub', reason: `the hub would refuse it: ${refusal}` });
      return false;
    });
    if (refused.size) this.store.quarantineStored(refused, this.now());
    return kept;
  }

  /**
   * The hub seals what it writes itself (alerts, delivery outcomes) to the team's public key, which
   * a laptop holding the team key gives it once per key and hub.
   */
  private async publishTeamKey(): Promise<void> {
    const ring = this.ring;
    if (!ring) return;
    const entry = currentKey(ring);
    const published = `${this.hubUrl} ${entry.id}`;
    if (this.publishedKey === published) return;
    const { keyId, publicKey } = teamPublicKeyOf(ring);
    await this.request('PUT', '/v1/team-key', JSON.stringify({ team: ring.team, keyId, publicKey, createdAt: entry.createdAt }));
    this.publishedKey = published;
  }

  private publishedKey: string | null = null;

  /**
   * What the hub must read is handed over on purpose and in its own request: a delivery the
   * commander asked for, a status-page visibility or publication (shared/sync/sealed-protocol.ts).
   * The same events went sealed into the log with the rest.
   */
  private async disclose(batch: EventEnvelope[]): Promise<void> {
    const disclosed = batch.filter((event) => DISCLOSED_KINDS.has(event.kind));
    if (disclosed.length === 0) return;
    const body = await this.request('POST', '/v1/disclosures', JSON.stringify({ events: disclosed }));
    if (!DisclosureResponseSchema.safeParse(body).success) throw new SyncError({ code: 'bad_disclosure_receipt' }, false);
  }

  /** `wire`: each event's JSON as it goes, serialised once (fitToBody measured the same strings). */
  private async push(events: EventEnvelope[], wire: string[]): Promise<boolean> {
    let body: unknown;
    try {
      body = await this.request('POST', '/v1/events', `{"events":[${wire.join(',')}]}`);
    } catch (error) {
      // The hub names the events it refuses (body.events.N): quarantine those and push the rest next time round.
      if (error instanceof SyncError && error.refusedIndexes.length) {
        const refused = new Map<string, QuarantineReason>();
        for (const index of error.refusedIndexes) {
          const event = events[index];
          if (event) refused.set(event.id, { code: 'refused_by_hub', reason: `the hub refused it: ${error.message}` });
        }
        if (refused.size) {
          this.store.quarantineStored(refused, this.now());
          return false;
        }
      }
      throw error;
    }
    const parsed = PushResponseSchema.safeParse(body);
    if (!parsed.success) throw new SyncError({ code: 'bad_push_receipt' }, false);
    return true;
  }

  private pullCursor(): number {
    return Number(this.store.getMeta(PULL_CURSOR_KEY) ?? '0');
  }

  /** One page after `cursor`, checked in full before anything is applied; null when the hub says the cursor is ahead of it. */
  private async fetchPage(cursor: number, limit = this.pullPageSize): Promise<PulledPage | null> {
    const ring = this.ring;
    if (this.offThread) {
      // Asked at once, so the worker reads this page (decompress, parse, open what is sealed, admit)
      // while the core writes the one before: the core's thread is left writing and one JSON.parse.
      // A clear team too: that reading was a fifth of a catch-up's time on this thread (issue #11).
      // A page it does not answer (not started yet, gone, or anything but a page in shape) is asked for here.
      const page = await pullOffThread({
        hubUrl: this.hubUrl,
        limit,
        nextLimit: this.pullPageSize,
        auth: { bearer: `Bearer ${this.token}` },
        timeoutMs: this.timing.requestTimeoutMs,
        after: cursor,
        now: this.now(),
        ring,
      });
      // A hub that did not answer in time is not asked again (twice the wait before the commander reads it).
      const timedOut = page === 'timed_out';
      if (timedOut) throw new SyncError({ code: 'hub_timed_out' }, true);
      if (page) return page;
    }
    let body: unknown;
    try {
      body = await this.request('GET', `/v1/events?after=${cursor}&limit=${limit}`);
    } catch (error) {
      if (error instanceof SyncError && error.reason.code === 'cursor_ahead') return null;
      throw error;
    }
    const page = PullResponseSchema.safeParse(body);
    if (!page.success) throw new SyncError({ code: 'bad_pull_page' }, false);
    if (page.data.cursor < cursor) throw new SyncError({ code: 'cursor_backwards' }, false);
    // The one untrusted-input path: an event that cannot be folded is kept quarantined; one that
    // cannot even be kept (a hub not applying the shared limits) is skipped, never a reason to stop.
    // Sealed events are opened first; one that does not open is kept quarantined with why.
    const admitted = admitPulled(page.data.events, this.ring, { now: this.now(), cipher: this.cipher });
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

  /** Store a page and its cursor in one transaction, through the same fold as local writes. */
  private applyPage(page: PulledPage): void {
    // Every event was admitted in fetchPage; the store need not check it a second time.
    let ingested: ReturnType<WarroomCore['ingest']>;
    this.ingesting = true;
    try {
      ingested = this.core.ingest(page, {
        pullCursor: page.cursor,
        ...(page.lastId !== null ? { pullCursorId: page.lastId } : {}),
        ...(page.payloadJson ? { payloadJson: page.payloadJson } : {}),
      });
    } finally {
      this.ingesting = false;
    }
    const { maxSkewMs, skewDevice } = ingested;
    if (maxSkewMs > MAX_FORWARD_SKEW_MS && skewDevice) this.clockSkew = { deviceId: skewDevice, aheadMs: maxSkewMs };
    if (this.progress) this.progress = { ...this.progress, pulled: this.progress.pulled + page.events.length };
  }

  /** One HTTP exchange with size, time and shape limits; every failure becomes a SyncError that says why. */
  private async request(method: 'GET' | 'POST' | 'PUT', pathAndQuery: string, body?: string): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(`${this.hubUrl}${pathAndQuery}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          // Pull pages compress to a fraction of their size; fetch decodes them (bounded by readLimited after decoding).
          'accept-encoding': 'br, gzip',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(this.timing.requestTimeoutMs),
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
}

/** What seals the outbox while this laptop holds a team key (Store.sealOutbox). */
function outboxSealer(ring: TeamKeyring | null, cipher: SealCipher): OutboxSealer | null {
  if (!ring) return null;
  return { keyId: currentKey(ring).id, seal: (event, payloadJson) => sealedForOutbox(event, ring, cipher, payloadJson) };
}

/** Trim a batch of serialised events so its request body stays under the hub's size limit (always at least one event). */
function fitToBody(events: string[]): string[] {
  const budget = HUB_LIMITS.maxBodyBytes - 1024;
  let size = 0;
  for (let i = 0; i < events.length; i++) {
    size += Buffer.byteLength(events[i]!) + 1;
    if (size > budget && i > 0) return events.slice(0, i);
  }
  return events;
}

/** Read a response body, refusing (and cancelling) one larger than `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const read = await readBody(response, limit);
  if (read.ok) return read.text;
  if (read.reason === 'too_large') throw new SyncError({ code: 'too_large', params: { limit } }, false);
  throw new SyncError({ code: 'cut_off' }, true);
}
