import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { newId } from './ids/new-id.js';
import { ZodError } from 'zod';
import {
  ApiError,
  channels,
  describeIssues,
  isChannelName,
  refuse,
  type ChangeNotice,
  type ChannelName,
  type SyncStatus,
  type TokenKeyring,
  type TokenStore,
  type ChannelOutput,
  type ParsedInput,
} from '../../shared/api/api.js';
import type { CommsState, EventEnvelope, EventKind, PayloadOf, TaskStatus } from '../../shared/record/events.js';
import { viewIncident, type IncidentState } from '../../shared/record/fold.js';
import { HlcClock, wallOf } from '../../shared/record/hlc.js';
import { admitBatch, SETTINGS_STREAM_ID, structuralProblem, UNTRUSTED_LIMITS, type AdmittedBatch } from '../../shared/record/untrusted.js';
import { QUARANTINE_LIST_LIMIT } from '../../shared/sync/quarantine.js';
import type { RoomStatus } from '../../shared/sync/room-channels.js';
import { keyStatus, type TeamKeyring } from '../../shared/sync/team-key.js';
import { reopenUnopened } from '../../shared/sync/sealing.js';
import { SEAL_CIPHER, SEAL_CIPHER_KIND } from '../sync/node-seal-cipher.js';
import { sampleDrillEvents } from '../../shared/drills/sample-drill.js';
import { APP_VERSION } from '../../shared/record/version.js';
import { snoozeCheckBack } from '../../shared/tasks/tasks.js';
import { ClockService } from './clocks/clocks.js';
import { reviewHandlers } from './review/handlers.js';
import { timelineHandlers } from './timeline/handlers.js';
import { TypedTimes } from './time/typed-times.js';
import type { DrillEngine } from './drills/drills.js';
import { libraryTools, type LibraryTools } from './library/handlers.js';
import { SearchIndexer } from './library/search-indexer.js';
import type { AppendOptions, Store } from '../store/store.js';
import { PeopleDirectory } from './people/people.js';
import { roleHandlers } from './roles/handlers.js';
import { alertHandlers } from './alerts/handlers.js';
import { deliveryHandlers, deliveryRequest } from './deliveries/handlers.js';

/** Beyond this many incidents changed by one commit (a large pull), a change notice names them without their views. */
const MAX_CHANGES_IN_NOTICE = 20;

export interface CoreContext {
  dataDir: string;
  transport: 'electron' | 'browser';
  /** Where the host keeps the hub token (the host, not the core, holds it). */
  tokenStore?: TokenStore;
  /** Which keyring holds it, or why none does (Electron only). */
  tokenKeyring?: TokenKeyring;
  now?: () => number;
  /** The IANA zone typed clock times are read in (shared/time/typed-time.ts); this machine's by default. */
  timeZone?: string;
}

type Handlers = { [C in ChannelName]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** The part of the sync engine the API reaches; absent when the core runs without sync (tests, tools). */
export interface SyncControl {
  status(): SyncStatus;
  configure(settings: ParsedInput<'sync.configure'>): SyncStatus;
  syncNow(): SyncStatus;
  /** The team keyring the engine seals and opens with (the host hands it over; shared/sync/team-key.ts). */
  keyring(): TeamKeyring | null;
}

/** Room sync (electron/sync/room-engine.ts) as the API reaches it; absent when the core runs without it. */
export interface RoomControl {
  status(): RoomStatus;
  configure(settings: ParsedInput<'room.configure'>): RoomStatus;
  addPeer(input: ParsedInput<'room.addPeer'>): RoomStatus;
  removePeer(input: ParsedInput<'room.removePeer'>): RoomStatus;
  syncNow(): RoomStatus;
}

function noKeyStore(): never {
  throw refuse('conflict', 'team_key_no_store', 'This console cannot store a team key.');
}

function defaultActor(): string {
  try {
    return os.userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

/**
 * The platform-free core: command → validate → event → store (one transaction) → notify.
 * Both transports call `handle`; nothing here knows about Electron or HTTP.
 */
export class WarroomCore {
  readonly deviceId: string;
  private actor: string;
  private readonly clock: HlcClock;
  private readonly now: () => number;
  /** Moments people type ("14:32"), read on the core's clock and in its zone, never the window's. */
  private readonly typedTimes: TypedTimes;
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();
  private readonly handlers: Handlers;
  private readonly clocks: ClockService;
  private readonly tools: LibraryTools;
  private readonly indexer: SearchIndexer;
  private sync: SyncControl | null = null;

  constructor(
    private readonly store: Store,
    private readonly context: CoreContext,
  ) {
    this.now = context.now ?? Date.now;
    this.typedTimes = new TypedTimes(this.now, context.timeZone);
    this.indexer = new SearchIndexer(
      store.searchIndex,
      () => store.db.open,
      // Nor before a deferred integrity check has let the store write (Store.open), nor ever on a
      // store found damaged. Asked first: the sync status reads the store, which may be damaged.
      () => store.writesRefused || this.sync?.status().state === 'syncing',
    );
    // Words left unindexed when the last run stopped are indexed soon after the start.
    if (store.searchIndex.pending() > 0) this.indexer.schedule();
    this.deviceId = store.getMeta('deviceId') ?? this.remember('deviceId', randomBytes(9).toString('base64url'));
    this.actor = store.getMeta('actor') ?? defaultActor();
    this.clock = new HlcClock(this.deviceId, this.now, store.maxHlc() ?? undefined);
    this.clocks = new ClockService({
      store,
      now: this.now,
      requireIncident: (incidentId) => this.requireIncident(incidentId),
      record: (incidentId, kind, payload) => this.record(incidentId, kind, payload),
      onChange: (listener) => this.onChange(listener),
    });
    this.tools = libraryTools({
      store,
      now: this.now,
      actor: () => this.actor,
      policy: () => this.clocks.settings().slaPolicy,
      requireIncident: (incidentId) => this.requireIncident(incidentId),
      event: (incidentId, kind, payload) => this.event(incidentId, kind, payload),
      ingest: (batch) => this.ingest(batch, { outbox: true }).inserted,
      notify: (events) => this.notify(events),
      publish: (notice) => this.listeners.forEach((listener) => listener(notice)),
    });
    this.handlers = this.buildHandlers();
  }

  /** Record the SLA breaches this machine's clock shows and the record does not have yet; run on a timer. */
  noticeBreaches(): number {
    return this.clocks.noticeBreaches();
  }

  /** Delivers drill injects on their schedule; the worker starts its timer, tests drive it by hand. */
  get drills(): DrillEngine {
    return this.tools.drills;
  }

  private remember(key: string, value: string): string {
    this.store.setMeta(key, value);
    return value;
  }

  /** Stop background work (search indexing) before the store closes. */
  stopBackground(): void {
    this.indexer.stop();
  }

  attachSync(sync: SyncControl): void {
    this.sync = sync;
  }

  private room: RoomControl | null = null;

  attachRoom(room: RoomControl): void {
    this.room = room;
  }

  private requireRoom(): RoomControl {
    if (!this.room) throw refuse('conflict', 'room_unavailable', 'Room sync is not available in this process.');
    return this.room;
  }

  private syncStatus(): SyncStatus {
    return (
      this.sync?.status() ?? {
        state: 'disabled',
        hubUrl: '',
        plainHttp: false,
        hasToken: false,
        pending: this.store.outboxCount(),
        offlineSince: null,
        lastSyncedAt: null,
        error: null,
        reason: null,
        progress: null,
        clockSkew: null,
        quarantined: this.store.quarantineCount(),
      }
    );
  }

  private requireSync(): SyncControl {
    if (!this.sync) throw refuse('conflict', 'sync_unavailable', 'Sync is not available in this process.');
    return this.sync;
  }

  onChange(listener: (notice: ChangeNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validate the input against the channel's schema, then run it. Throws ApiError with a clear reason. */
  handle<C extends ChannelName>(channel: C, input: unknown): ChannelOutput<C>;
  handle(channel: string, input: unknown): unknown;
  handle(channel: string, input: unknown): unknown {
    if (!isChannelName(channel)) throw refuse('unknown_channel', 'unknown_channel', `Unknown channel: ${channel}`);
    const parsed = this.checkInput(channel, input);
    this.indexer.postpone();
    try {
      return (this.handlers[channel] as (input: unknown) => unknown)(parsed);
    } catch (error) {
      if (error instanceof ZodError) throw new ApiError(describeIssues(error));
      throw error;
    }
  }

  /**
   * `archive.import` a slice at a time: the core worker runs the calls that arrive meanwhile
   * between slices, so a note typed during a large import is recorded at once (host/worker.ts).
   * `handle` runs the same steps back to back.
   */
  *importArchiveInSlices(input: unknown): Generator<void, ChannelOutput<'archive.import'>> {
    const parsed = this.checkInput('archive.import', input);
    try {
      return yield* this.tools.importSteps(parsed);
    } catch (error) {
      if (error instanceof ZodError) throw new ApiError(describeIssues(error));
      throw error;
    }
  }

  private checkInput<C extends ChannelName>(channel: C, input: unknown): ParsedInput<C> {
    // The one untrusted-input path: what the hub would refuse (too deep, a prototype name, text that
    // is not well-formed) is refused here, with its reason, before it can become an event.
    const problem = structuralProblem(input, UNTRUSTED_LIMITS.maxDocumentDepth);
    if (problem) throw new ApiError({ code: 'invalid_input', message: problem });
    const parsed = channels[channel].input.safeParse(input ?? {});
    if (!parsed.success) throw new ApiError(describeIssues(parsed.error));
    return parsed.data as ParsedInput<C>;
  }

  /**
   * Apply events that already exist elsewhere (sync, import), admitted by the one untrusted-input
   * path (shared/record/untrusted.ts, `admitBatch`): same fold, no new stamps. Quarantined events
   * are stored and never folded, and their stamps never move this laptop's clock.
   */
  ingest(
    input: readonly unknown[] | Pick<AdmittedBatch, 'events' | 'quarantine'>,
    options: Omit<AppendOptions, 'quarantine' | 'builtFromValidatedInput' | 'now'> = {},
  ): { inserted: EventEnvelope[]; maxSkewMs: number; skewDevice: string | null; quarantined: number } {
    const batch = Array.isArray(input) ? this.admitAll(input) : (input as Pick<AdmittedBatch, 'events' | 'quarantine'>);
    const inserted = this.store.append(batch.events, { ...options, builtFromValidatedInput: true, quarantine: batch.quarantine, now: this.now() });
    let maxSkewMs = 0;
    let skewDevice: string | null = null;
    let quarantined = 0;
    // Our clock moves past the latest stamp it may take in (stamps sort as text in causal order):
    // one receive per batch rather than one per event, the same guarantee for what we write next.
    let latest: EventEnvelope | null = null;
    for (const event of inserted) {
      if (batch.quarantine.has(event.id)) {
        quarantined++;
        const skew = wallOf(event.hlc) - this.now();
        if (skew > maxSkewMs) {
          maxSkewMs = skew;
          skewDevice = event.deviceId;
        }
      } else if (latest === null || event.hlc > latest.hlc) latest = event;
    }
    if (latest) {
      const skew = this.clock.receive(latest.hlc);
      if (skew > maxSkewMs) {
        maxSkewMs = skew;
        skewDevice = latest.deviceId;
      }
    }
    this.notify(inserted);
    return { inserted, maxSkewMs, skewDevice, quarantined };
  }

  /**
   * A team key arrived (imported, paired, rotated): sealed events kept unopened until now are
   * opened and folded, and the views are told. What still does not open stays quarantined.
   */
  reopenSealed(ring: TeamKeyring | null): number {
    const incidentIds = this.store.reopenUnopened((sealed) => reopenUnopened(sealed, ring, { now: this.now(), cipher: SEAL_CIPHER }), this.now());
    if (incidentIds.length) this.listeners.forEach((listener) => listener({ incidentIds, eventIds: [] }));
    return incidentIds.length;
  }

  /** Raw events (tools, tests): one that cannot be kept refuses the batch before anything is written. */
  private admitAll(raw: readonly unknown[]): AdmittedBatch {
    const batch = admitBatch(raw, { now: this.now() });
    const refused = batch.refused[0];
    if (refused) throw new ApiError({ code: 'invalid_input', message: `Event ${refused.index + 1} of ${raw.length} is invalid: ${refused.reason}` });
    return batch;
  }

  private notify(events: readonly EventEnvelope[]): void {
    if (events.length === 0) return;
    // New words to index, once writes (a burst of entries, a whole pull) go quiet.
    this.indexer.schedule();
    const changedIds = this.store.takeChangedProjections();
    // What the panes would read again, sent with the notice: one round trip per command. A team
    // setting (SLA policy…) changes every view, and a pull may change many incidents at once:
    // then the notice says only which, and the panes read the views again.
    const exact = changedIds.length <= MAX_CHANGES_IN_NOTICE && !events.some((e) => e.incidentId === SETTINGS_STREAM_ID);
    const notice: ChangeNotice = {
      incidentIds: [...new Set(events.map((e) => e.incidentId))],
      eventIds: events.map((e) => e.id),
      kinds: [...new Set(events.map((e) => e.kind))],
      ...(exact && {
        changed: changedIds.map((id) => ({ incidentId: id, incident: viewIncident(this.store.incidentState(id)), summary: this.store.incidentSummary(id) })),
      }),
    };
    // The rows themselves too, so a new entry is on screen without the timeline being read again.
    const rows = exact ? this.store.timelineRows.rowChanges(events) : null;
    if (rows) notice.timeline = rows;
    for (const listener of this.listeners) listener(notice);
  }

  private event<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): EventEnvelope {
    return {
      id: newId(),
      incidentId,
      kind,
      payload: payload as Record<string, unknown>,
      actor: this.actor,
      deviceId: this.deviceId,
      hlc: this.clock.tick(),
      recordedAt: this.now(),
    };
  }

  private record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string } {
    const event = this.event(incidentId, kind, payload);
    this.store.append([event], { outbox: true, builtFromValidatedInput: true, madeHere: true });
    this.notify([event]);
    return { incidentId, eventId: event.id };
  }

  private requireIncident(incidentId: string): IncidentState {
    const state = this.store.incidentState(incidentId);
    if (!state.declared) throw refuse('not_found', 'no_incident', `No incident with id ${incidentId}`);
    return state;
  }

  private requireTask(incidentId: string, taskId: string) {
    const task = this.requireIncident(incidentId).tasks[taskId];
    if (!task?.title) throw refuse('not_found', 'no_task', `No task with id ${taskId} in this incident`);
    return {
      status: task.status?.value ?? ('todo' as TaskStatus),
      title: task.title.value,
      owner: task.owner?.value ?? '',
      kind: task.kind?.value ?? 'response',
      dueAt: task.due?.value ?? null,
      checkBackAt: task.checkBack?.value?.at ?? null,
    };
  }

  private requireDraft(incidentId: string, draftId: string): { state: CommsState; body: string } {
    const draft = this.requireIncident(incidentId).comms[draftId];
    if (!draft?.created) throw refuse('not_found', 'no_draft', `No comms draft with id ${draftId} in this incident`);
    return { state: draft.state, body: draft.body?.value ?? '' };
  }

  private appInfo(): ChannelOutput<'app.info'> {
    return {
      version: APP_VERSION,
      deviceId: this.deviceId,
      actor: this.actor,
      actorChosen: this.store.getMeta('actor') !== null,
      dataDir: this.context.dataDir,
      transport: this.context.transport,
      tokenStore: this.context.tokenStore ?? 'none',
      ...(this.context.tokenKeyring ? { tokenKeyring: this.context.tokenKeyring } : {}),
      ...(this.store.damage && { storeDamaged: { file: this.store.damage.file, detail: this.store.damage.detail } }),
      sealCipher: SEAL_CIPHER_KIND,
    };
  }

  private buildHandlers(): Handlers {
    const at = (occurredAt: number | undefined) => occurredAt ?? this.now();
    return {
      'app.info': () => this.appInfo(),
      'settings.setActor': ({ actor }) => {
        this.actor = this.remember('actor', actor);
        return this.appInfo();
      },
      'incidents.list': () => this.store.listIncidents(),
      'incident.get': ({ incidentId }) => {
        return { incident: viewIncident(this.store.incidentState(incidentId)), slaPolicy: this.clocks.settings().slaPolicy };
      },
      'timeline.list': ({ incidentId, offset, limit }) => this.store.timeline(incidentId, offset, limit),
      'incident.declare': ({ occurredAtWhen, detectedAtWhen, ...input }) => {
        // The schema gives exactly one of each pair; a typed one is read on the core's clock.
        const occurredAt = occurredAtWhen !== undefined ? this.typedTimes.past(occurredAtWhen) : input.occurredAt!;
        const detectedAt = detectedAtWhen !== undefined ? this.typedTimes.past(detectedAtWhen) : input.detectedAt!;
        if (detectedAt < occurredAt) {
          throw refuse('invalid_input', 'detected_before_occurred', 'Detected at cannot be before occurred at.');
        }
        const incidentId = newId();
        const declaredAt = this.now();
        return this.record(incidentId, 'incident.declared', { ...input, occurredAt, detectedAt, declaredAt, drill: false });
      },
      'incident.openSampleDrill': () => {
        const incidentId = newId();
        const now = this.now();
        const events = sampleDrillEvents({
          incidentId,
          newId,
          deviceId: this.deviceId,
          actor: this.actor,
          now,
          clock: () => this.clock.tick(),
        });
        this.store.append(events, { outbox: true, now: this.now() });
        this.notify(events);
        return { incidentId, eventId: events[0]!.id };
      },
      'incident.setStatus': ({ incidentId, status, occurredAt }) => {
        if (this.requireIncident(incidentId).status?.value === status)
          throw refuse('conflict', 'incident_same_status', `The incident is already ${status}.`, { status });
        return this.record(incidentId, 'incident.status', { status, occurredAt: at(occurredAt) });
      },
      'incident.setPriority': ({ incidentId, impact, urgency, occurredAt }) => {
        const current = this.requireIncident(incidentId).severity?.value;
        if (current?.impact === impact && current.urgency === urgency) {
          throw refuse('conflict', 'priority_unchanged', 'Impact and urgency are unchanged.');
        }
        return this.record(incidentId, 'incident.priority', { impact, urgency, occurredAt: at(occurredAt) });
      },
      'incident.assignRole': ({ incidentId, role, person, occurredAt }) => {
        this.requireIncident(incidentId);
        return this.record(incidentId, 'incident.role', { role, person, occurredAt: at(occurredAt) });
      },
      'sla.pause': ({ incidentId, reason }) => {
        this.requireIncident(incidentId);
        return this.record(incidentId, 'sla.paused', { reason, occurredAt: this.now() });
      },
      'sla.resume': ({ incidentId }) => {
        this.requireIncident(incidentId);
        return this.record(incidentId, 'sla.resumed', { occurredAt: this.now() });
      },
      'timeline.log': ({ incidentId, entryKind, text, occurredAt }) => {
        this.requireIncident(incidentId);
        return this.record(incidentId, 'timeline.entry', { entryKind, text, occurredAt: at(occurredAt) });
      },
      'task.create': ({ incidentId, title, owner, kind, dueAt: givenDue, dueWhen, checkBackAt: at, checkBackInMs, checkBackWhen }) => {
        this.requireIncident(incidentId);
        const taskId = newId();
        const checkBackAt = checkBackInMs !== undefined ? this.now() + checkBackInMs : checkBackWhen !== undefined ? this.typedTimes.future(checkBackWhen) : at;
        const dueAt = dueWhen !== undefined ? this.typedTimes.future(dueWhen) : givenDue;
        const extras = { ...(dueAt !== undefined && { dueAt }), ...(checkBackAt !== undefined && { checkBackAt }) };
        return { ...this.record(incidentId, 'task.created', { taskId, title, owner, kind, ...extras, occurredAt: this.now() }), taskId };
      },
      'task.assign': ({ incidentId, taskId, owner }) => {
        const task = this.requireTask(incidentId, taskId);
        if (task.kind === 'followup' && !owner) throw refuse('invalid_input', 'followup_owner', 'A follow-up needs an owner.');
        return this.record(incidentId, 'task.assigned', { taskId, owner, occurredAt: this.now() });
      },
      'task.assignMany': ({ incidentId, taskIds, owner }) => {
        const changing = [...new Set(taskIds)].map((taskId) => ({ taskId, ...this.requireTask(incidentId, taskId) })).filter((t) => t.owner !== owner);
        if (!owner && changing.some((t) => t.kind === 'followup')) throw refuse('invalid_input', 'followup_owner', 'A follow-up needs an owner.');
        if (changing.length === 0) throw refuse('conflict', 'tasks_same_owner', 'Every selected task already has this owner.');
        const events = changing.map(({ taskId }) => this.event(incidentId, 'task.assigned', { taskId, owner, occurredAt: this.now() }));
        this.store.append(events, { outbox: true, builtFromValidatedInput: true, madeHere: true });
        this.notify(events);
        return { incidentId, eventIds: events.map((e) => e.id) };
      },
      'task.rename': ({ incidentId, taskId, title }) => {
        if (this.requireTask(incidentId, taskId).title === title) throw refuse('conflict', 'title_unchanged', 'The title is unchanged.');
        return this.record(incidentId, 'task.retitled', { taskId, title, occurredAt: this.now() });
      },
      'task.setDue': ({ incidentId, taskId, dueAt: given, dueWhen }) => {
        const task = this.requireTask(incidentId, taskId);
        const dueAt = dueWhen !== undefined ? this.typedTimes.future(dueWhen) : (given ?? null);
        if (task.dueAt === dueAt) throw refuse('conflict', 'due_unchanged', 'The due date is unchanged.');
        if (dueAt === null && task.kind === 'followup') throw refuse('invalid_input', 'followup_due', 'A follow-up needs a due date.');
        return this.record(incidentId, 'task.due', { taskId, dueAt, occurredAt: this.now() });
      },
      'task.checkBack': ({ incidentId, taskId, checkBackAt: at, inMs, extendMs, when }) => {
        const task = this.requireTask(incidentId, taskId);
        // Relative times are read on the core's clock: the window only says how long.
        const now = this.now();
        const checkBackAt =
          inMs !== undefined
            ? now + inMs
            : extendMs !== undefined
              ? snoozeCheckBack(task.checkBackAt, now, extendMs)
              : when !== undefined
                ? this.typedTimes.future(when)
                : (at ?? null);
        if (task.checkBackAt === checkBackAt) {
          throw checkBackAt === null
            ? refuse('conflict', 'no_check_back', 'No check-back is set on this task.')
            : refuse('conflict', 'check_back_unchanged', 'The check-back is unchanged.');
        }
        return this.record(incidentId, 'task.check_back', { taskId, checkBackAt, occurredAt: this.now() });
      },
      'task.move': ({ incidentId, taskId, status }) => {
        const task = this.requireTask(incidentId, taskId);
        if (task.status === status) throw refuse('conflict', 'task_same_status', `The task is already in ${status}.`, { status });
        return this.record(incidentId, 'task.moved', { taskId, status, occurredAt: this.now() });
      },
      'comms.draft': ({ incidentId, audience, channel, body }) => {
        this.requireIncident(incidentId);
        const draftId = newId();
        return { ...this.record(incidentId, 'comms.drafted', { draftId, audience, channel, body, occurredAt: this.now() }), draftId };
      },
      'comms.edit': ({ incidentId, draftId, body }) => {
        const draft = this.requireDraft(incidentId, draftId);
        if (draft.state === 'sent') throw refuse('conflict', 'sent_update_edit', 'A sent update cannot be edited; write a new one.');
        return this.record(incidentId, 'comms.edited', { draftId, body, occurredAt: this.now() });
      },
      'comms.approve': ({ incidentId, draftId }) => {
        const draft = this.requireDraft(incidentId, draftId);
        if (draft.state !== 'draft') throw refuse('conflict', 'update_same_state', `This update is already ${draft.state}.`, { state: draft.state });
        if (!draft.body) throw refuse('invalid_input', 'empty_update', 'An empty update cannot be approved.');
        return this.record(incidentId, 'comms.approved', { draftId, occurredAt: this.now() });
      },
      'comms.send': ({ incidentId, draftId, channel, deliver, language }) => {
        const draft = this.requireDraft(incidentId, draftId);
        if (draft.state === 'sent') throw refuse('conflict', 'update_already_sent', 'This update was already sent.');
        // DOMAIN.md: draft → approved → sent; a second pair of eyes before anything leaves the room.
        if (draft.state !== 'approved') throw refuse('conflict', 'update_not_approved', 'Approve this update before sending it.');
        const sent = this.event(incidentId, 'comms.sent', { draftId, channel, body: draft.body, occurredAt: this.now() });
        // The delivery request goes in the same transaction: it waits in the outbox like any entry, and the hub delivers it.
        const events = deliver
          ? [
              sent,
              deliveryRequest(
                this.requireIncident(incidentId),
                draftId,
                draft.body,
                language ?? 'en',
                (kind, payload) => this.event(incidentId, kind, payload),
                this.now(),
              ),
            ]
          : [sent];
        this.store.append(events, { outbox: true, builtFromValidatedInput: true });
        this.notify(events);
        return { incidentId, eventId: sent.id };
      },
      'sync.status': () => this.syncStatus(),
      'sync.configure': (settings) => this.requireSync().configure(settings),
      'sync.now': () => this.requireSync().syncNow(),
      'room.status': () => this.requireRoom().status(),
      'room.configure': (settings) => this.requireRoom().configure(settings),
      'room.addPeer': (input) => this.requireRoom().addPeer(input),
      'room.removePeer': (input) => this.requireRoom().removePeer(input),
      'room.now': () => this.requireRoom().syncNow(),
      'quarantine.list': () => ({ events: this.store.quarantined(QUARANTINE_LIST_LIMIT), total: this.store.quarantineCount() }),
      // The host keeps the team keyring (like the hub token) and answers the commands; without a host nothing can keep it.
      'teamKey.status': () => keyStatus(this.sync?.keyring() ?? null, this.context.tokenStore ?? 'none'),
      'teamKey.create': () => noKeyStore(),
      'teamKey.rotate': () => noKeyStore(),
      'teamKey.exportFile': () => noKeyStore(),
      'teamKey.importFile': () => noKeyStore(),
      'teamKey.pairOffer': () => noKeyStore(),
      'teamKey.pairJoin': () => noKeyStore(),
      ...roleHandlers({
        people: new PeopleDirectory(this.store.db, this.now),
        now: this.now,
        slaPolicy: () => this.clocks.settings().slaPolicy,
        requireIncident: (incidentId) => this.requireIncident(incidentId),
        record: (incidentId, kind, payload) => this.record(incidentId, kind, payload),
      }),
      ...this.clocks.handlers(),
      ...timelineHandlers({
        rows: this.store.timelineRows,
        now: this.now,
        pastTime: (typed) => this.typedTimes.past(typed),
        requireIncident: (incidentId) => this.requireIncident(incidentId),
        record: (incidentId, kind, payload) => this.record(incidentId, kind, payload),
      }),
      ...reviewHandlers({
        now: this.now,
        incidentEvents: (incidentId) => this.store.incidentEvents(incidentId),
        requireIncident: (incidentId) => this.requireIncident(incidentId),
        record: (incidentId, kind, payload) => this.record(incidentId, kind, payload),
      }),
      ...this.tools.handlers,
      ...alertHandlers({
        store: this.store,
        now: this.now,
        requireIncident: (incidentId) => this.requireIncident(incidentId),
        event: (incidentId, kind, payload) => this.event(incidentId, kind, payload),
        commit: (events) => {
          this.store.append(events, { outbox: true, builtFromValidatedInput: true });
          this.notify(events);
        },
        onChange: (listener) => this.onChange(listener),
      }),
      ...deliveryHandlers({
        store: this.store,
        now: this.now,
        requireIncident: (incidentId) => this.requireIncident(incidentId),
        record: (incidentId, kind, payload) => this.record(incidentId, kind, payload),
      }),
    };
  }
}
