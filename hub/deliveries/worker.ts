import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { ChannelKindSchema } from '../../shared/deliveries/events.js';
import type { EventEnvelope } from '../../shared/record/events.js';
import type { HubRecorder } from '../recorder.js';
import type { HubStorage, Team } from '../storage.js';
import { allowedTargets, type ChannelConfig, type HubConfig } from './config.js';
import { DeliveryError, deliveryFailure, send, type Outgoing } from './senders.js';
import { DeliveryFailureSchema, type DeliveryFailure } from '../../shared/deliveries/failures.js';

/**
 * Deliveries: a `delivery.requested` event pushed by a laptop becomes one job per channel of
 * its audience, kept in the hub's records. Jobs move pending → sending → delivered | failed by
 * compare-and-set, so however many times the request is pushed, and however many hub processes
 * share the database, one job exists per update and channel and only one process sends it.
 * A job left in `sending` by a process that is gone (a crash between the send and its outcome)
 * may or may not have gone out: it is failed with that reason rather than sent again, because an
 * update must never reach anyone twice. A send that ended without an answer after the receiver had
 * the whole message is failed the same way (senders.ts: AmbiguousDelivery), except for the generic
 * webhook, sent again under the same Idempotency-Key for its receiver to dedupe. Each final state is reported by one `delivery.outcome`
 * event under an id derived from the update and the channel: a crash between the final state and
 * its event is repaired by the next round, and reporting twice stores one event (idempotent by id).
 * Nothing is left "handed to the hub" for ever.
 */
const NS = 'delivery';
const ACTOR = 'Warroom hub';

const JobSchema = z.strictObject({
  draftId: z.string(),
  incidentId: z.string(),
  channelId: z.string(),
  channelKind: ChannelKindSchema,
  audience: z.string(),
  subject: z.string(),
  body: z.string(),
  language: z.enum(['en', 'fr']),
  requestHlc: z.string(),
  state: z.enum(['pending', 'sending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAt: z.number(),
  lastError: z.string(),
  /** lastError as a code and values (absent in jobs written before it was kept, and while nothing failed). */
  lastFailure: DeliveryFailureSchema.optional(),
  /** Which process claimed it (host/pid/random), so a restart can tell an interrupted send from another process's live one. */
  owner: z.string(),
  claimedAt: z.number(),
  /** When the first attempt was claimed: the webhook body says it on every attempt, so a retry is the same bytes under the same Idempotency-Key. */
  firstTriedAt: z.number().optional(),
  /** Whether the final state's outcome event is in the log; absent in jobs written before it was kept (they were reported). */
  reported: z.boolean().optional(),
});
type Job = z.infer<typeof JobSchema>;

export interface DeliveryWorkerOptions {
  storage: HubStorage;
  recorder: HubRecorder;
  config: HubConfig;
  now?: () => number;
  /** How often due jobs are looked for when nothing wakes the worker. */
  pollMs?: number;
}

export class DeliveryWorker {
  private readonly storage: HubStorage;
  private readonly recorder: HubRecorder;
  private readonly config: HubConfig;
  private readonly now: () => number;
  private readonly allowed: Set<string>;
  private readonly owner = `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2, 10)}`;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly teams = new Map<number, { team: Team; channels: ChannelConfig[] }>();

  constructor(options: DeliveryWorkerOptions) {
    this.storage = options.storage;
    this.recorder = options.recorder;
    this.config = options.config;
    this.now = options.now ?? Date.now;
    this.allowed = allowedTargets(options.config);
    this.pollMs = options.pollMs ?? 1_000;
  }

  private readonly pollMs: number;

  /** Find the configured teams, fail what a previous run left half-sent, and start the loop. */
  async start(): Promise<void> {
    for (const [name, teamConfig] of Object.entries(this.config.teams)) {
      if (teamConfig.channels.length === 0) continue;
      const team = await this.storage.ensureTeam(name);
      this.teams.set(team.id, { team, channels: teamConfig.channels });
    }
    for (const { team } of this.teams.values()) await this.reconcile(team.id, await this.jobs(team.id));
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Turn pushed delivery requests into jobs (idempotent), then wake the loop. */
  async enqueue(team: Team, events: EventEnvelope[]): Promise<void> {
    const requests = events.filter((e) => e.kind === 'delivery.requested');
    if (requests.length === 0) return;
    const channels = this.config.teams[team.name]?.channels ?? [];
    for (const event of requests) {
      const p = event.payload as { draftId: string; audience: string; subject: string; body: string; language: 'en' | 'fr' };
      const serving = channels.filter((c) => c.audiences.includes(p.audience));
      if (serving.length === 0) {
        // Said once, however often the request is pushed: the claim is the record's creation.
        if (await this.storage.putRecord(team.id, NS, `${p.draftId}/-`, 'no-channel', null)) {
          await this.recorder.append(team.id, [
            this.recorder.build(
              event.incidentId,
              'delivery.outcome',
              {
                draftId: p.draftId,
                channelId: null,
                channelKind: null,
                state: 'failed',
                attempts: 0,
                ...deliveryFailure('no_channel', { audience: p.audience }),
                occurredAt: this.now(),
              },
              ACTOR,
            ),
          ]);
        }
        continue;
      }
      for (const channel of serving) {
        const job: Job = {
          draftId: p.draftId,
          incidentId: event.incidentId,
          channelId: channel.id,
          channelKind: channel.kind,
          audience: p.audience,
          subject: p.subject,
          body: p.body,
          language: p.language,
          requestHlc: event.hlc,
          state: 'pending',
          attempts: 0,
          nextAt: this.now(),
          lastError: '',
          owner: '',
          claimedAt: 0,
        };
        await this.storage.putRecord(team.id, NS, `${p.draftId}/${channel.id}`, JSON.stringify(job), null);
      }
    }
    this.wake();
  }

  /** Resolves when no job is due any more (tests and benchmarks wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private wake(delayMs = 0): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.round()
        .catch(() => undefined)
        .finally(() => {
          this.running = null;
          const again = this.again;
          this.again = false;
          if (again) this.wake();
          else this.scheduleNext();
        });
    }, delayMs);
    // The loop never keeps a stopping process alive on its own.
    this.timer.unref();
  }

  private scheduleNext(): void {
    if (!this.stopped && !this.timer) this.wake(this.pollMs);
  }

  private async jobs(teamId: number): Promise<{ key: string; raw: string; value: Job }[]> {
    const rows = await this.storage.listRecords(teamId, NS);
    const jobs: { key: string; raw: string; value: Job }[] = [];
    for (const row of rows) {
      const parsed = JobSchema.safeParse(safeJson(row.value));
      if (parsed.success) jobs.push({ key: row.key, raw: row.value, value: parsed.data });
    }
    return jobs;
  }

  /**
   * What an earlier process left unfinished: a send claimed by a process that is gone is failed
   * (never sent again), and a final state whose outcome event was not written is reported now.
   */
  private async reconcile(teamId: number, jobs: { key: string; raw: string; value: Job }[]): Promise<void> {
    for (const job of jobs) {
      if (job.value.state === 'sending' && this.abandoned(job.value)) {
        await this.finish(teamId, job.key, job.raw, {
          ...job.value,
          state: 'failed',
          ...failedWith(deliveryFailure('hub_stopped')),
        });
      } else if ((job.value.state === 'delivered' || job.value.state === 'failed') && job.value.reported === false) {
        await this.report(teamId, job.key, job.raw, job.value);
      }
    }
  }

  /**
   * Whether the process that claimed a send is gone: this very process never abandons its own; a
   * process of this host is gone when its pid is; one elsewhere (hubs sharing a database) once its
   * claim is ten send timeouts old.
   */
  private abandoned(job: Job): boolean {
    if (job.owner === this.owner) return false;
    const [host, pid] = job.owner.split('/');
    if (host === hostname() && pid && /^\d+$/.test(pid)) return !alive(Number(pid)) || Number(pid) === process.pid;
    return this.now() - job.claimedAt >= 10 * this.config.retry.timeoutMs;
  }

  private async round(): Promise<void> {
    for (const { team, channels } of this.teams.values()) {
      const all = await this.jobs(team.id);
      await this.reconcile(team.id, all);
      const due = all.filter((j) => j.value.state === 'pending' && j.value.nextAt <= this.now());
      // Channels are independent: a slow SMTP server does not hold the chat posts back.
      await Promise.all(
        due.map(async (job) => {
          const channel = channels.find((c) => c.id === job.value.channelId);
          const now = this.now();
          // The claim is written before anything is sent: however the send ends, a restart finds it.
          const claimed: Job = {
            ...job.value,
            state: 'sending',
            attempts: job.value.attempts + 1,
            owner: this.owner,
            claimedAt: now,
            firstTriedAt: job.value.firstTriedAt ?? now,
          };
          const claimedRaw = JSON.stringify(claimed);
          if (!(await this.storage.putRecord(team.id, NS, job.key, claimedRaw, job.raw))) return;
          if (!channel) {
            await this.finish(team.id, job.key, claimedRaw, {
              ...claimed,
              state: 'failed',
              ...failedWith(deliveryFailure('channel_removed', { channel: job.value.channelId })),
            });
            return;
          }
          await this.attempt(team.id, job.key, claimedRaw, claimed, channel);
        }),
      );
    }
  }

  private async attempt(teamId: number, key: string, raw: string, job: Job, channel: ChannelConfig): Promise<void> {
    const item: Outgoing = {
      deliveryId: `${job.draftId}/${job.channelId}`,
      draftId: job.draftId,
      incidentId: job.incidentId,
      audience: job.audience,
      subject: job.subject,
      body: job.body,
      language: job.language,
      sentAt: job.firstTriedAt ?? job.claimedAt,
    };
    try {
      await send(channel, item, { timeoutMs: this.config.retry.timeoutMs, allowed: this.allowed });
      const { lastFailure: _none, ...sent } = job;
      await this.finish(teamId, key, raw, { ...sent, state: 'delivered', lastError: '' });
    } catch (error) {
      const failed = failedWith(error instanceof DeliveryError ? error : deliveryFailure('unexpected', { detail: (error as Error).message }));
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      const { attempts, firstDelayMs, maxDelayMs } = this.config.retry;
      if (retryable && job.attempts < attempts) {
        // Exponential backoff with full jitter, so many deliveries failing together do not retry together.
        const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** (job.attempts - 1));
        const next: Job = { ...job, state: 'pending', nextAt: this.now() + delay / 2 + Math.random() * (delay / 2), ...failed };
        await this.storage.putRecord(teamId, NS, key, JSON.stringify(next), raw);
        this.wakeAt(next.nextAt);
        return;
      }
      await this.finish(teamId, key, raw, { ...job, state: 'failed', ...failed });
    }
  }

  private wakeAt(at: number): void {
    const delay = Math.max(0, at - this.now());
    if (delay < this.pollMs) setTimeout(() => this.wake(), delay).unref();
  }

  /** The final state (moved by compare-and-set: one process wins), then its timeline entry. */
  private async finish(teamId: number, key: string, raw: string, job: Job): Promise<void> {
    const final: Job = { ...job, reported: false };
    const finalRaw = JSON.stringify(final);
    if (!(await this.storage.putRecord(teamId, NS, key, finalRaw, raw))) return;
    await this.report(teamId, key, finalRaw, final);
  }

  /** The outcome event of a final state, under its one id, then the job marked reported. */
  private async report(teamId: number, key: string, raw: string, job: Job): Promise<void> {
    this.recorder.observe(job.requestHlc);
    await this.recorder.append(teamId, [
      this.recorder.build(
        job.incidentId,
        'delivery.outcome',
        {
          draftId: job.draftId,
          channelId: job.channelId,
          channelKind: job.channelKind,
          state: job.state === 'delivered' ? 'delivered' : 'failed',
          attempts: job.attempts,
          reason: job.lastError.slice(0, 500),
          ...(job.state === 'failed' && job.lastFailure ? { failure: job.lastFailure } : {}),
          occurredAt: this.now(),
        },
        ACTOR,
        outcomeEventId(job.draftId, job.channelId),
      ),
    ]);
    await this.storage.putRecord(teamId, NS, key, JSON.stringify({ ...job, reported: true }), raw);
  }
}

/** The one id of an update's outcome on a channel: reported twice, it is stored once. A UUID of version 8, from SHA-256. */
export function outcomeEventId(draftId: string, channelId: string): string {
  const hex = createHash('sha256').update(`warroom delivery.outcome\n${draftId}\n${channelId}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Whether a process of this host still runs (signal 0 only checks; EPERM means it runs as someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A job's record of why it failed: the English words and the code the consoles translate. */
function failedWith(said: { failure: DeliveryFailure; reason?: string; message?: string }): Pick<Job, 'lastError' | 'lastFailure'> {
  return { lastError: said.reason ?? said.message ?? '', lastFailure: said.failure };
}
