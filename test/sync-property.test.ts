import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import { COMMS_CHANNELS, NOTE_KINDS, ROLES, STATUSES, TASK_STATUSES, parseEvent, type EventEnvelope } from '../shared/record/events.js';
import { compareTimeline, foldIncident, viewIncident } from '../shared/record/fold.js';
import { encodeHlc, MAX_CLOCK_SKEW_MS } from '../shared/record/hlc.js';
import { HUB_LIMITS } from '../shared/sync/hub-protocol.js';
import { LEVELS } from '../shared/incidents/priority.js';
import { WarroomCore } from '../electron/core/core.js';
import { Store } from '../electron/store/store.js';
import { SyncEngine, type SyncTiming } from '../electron/sync/sync.js';
import { buildHub } from '../hub/server.js';
import { SqliteHubStorage } from '../hub/storage-sqlite.js';
import type { Team } from '../hub/storage.js';
import { issueToken } from '../hub/tokens.js';
import { declareInput } from './helpers.js';
import { visibleRecord, type Device } from './sync-support.js';

/*
 * Three laptops, one hub, random work and random delivery: whatever the schedule, once
 * everyone has synced, every laptop shows the same record and the hub holds every event once.
 *
 * Real parts without sockets, so a thousand runs fit in a minute: the real Store and core on
 * in-memory SQLite, the real SyncEngine, and the real hub app (fastify, auth, validation,
 * SqliteHubStorage) reached through `app.inject` by a fetch that can lose requests, lose
 * answers and deliver twice.
 */

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const NUM_RUNS = process.env.CI ? 1000 : 150;
const DEVICES = 3;
const BASE_TIME = Date.UTC(2026, 10, 25, 9, 0);
const MAX_SKEW_EACH_MS = MAX_CLOCK_SKEW_MS / 2 - 1_000;

/** Timers the test never waits for: every sync round here is started on purpose. */
const NEVER = 2 ** 30;
const MANUAL: SyncTiming = { pushDelayMs: NEVER, pollMs: NEVER, backoffMs: NEVER, maxBackoffMs: NEVER, requestTimeoutMs: 10_000 };

const dev = fc.integer({ min: 0, max: DEVICES - 1 });
const word = fc.constantFrom('restart the primary', 'fail over to DC2', ' check the UPS logs ', 'call the supplier', 'Chloé: ça repart', '📟 paged');
const person = fc.constantFrom('Ada', 'Bruno', 'Chloé', 'Dmitri');

const commandArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('note' as const),
      entryKind: fc.constantFrom(...NOTE_KINDS),
      text: word,
      backMs: fc.option(fc.nat(3_600_000), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('status' as const), status: fc.constantFrom(...STATUSES), backMs: fc.option(fc.nat(600_000), { nil: undefined }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('priority' as const), impact: fc.constantFrom(...LEVELS), urgency: fc.constantFrom(...LEVELS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('role' as const), role: fc.constantFrom(...ROLES), person }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('task.create' as const), title: word, owner: person }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('task.move' as const), pick: fc.nat(), status: fc.constantFrom(...TASK_STATUSES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('task.assign' as const), pick: fc.nat(), owner: person }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('comms.draft' as const), body: word, channel: fc.constantFrom(...COMMS_CHANNELS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('comms.edit' as const), pick: fc.nat(), body: word }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('comms.approve' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('comms.send' as const), pick: fc.nat(), channel: fc.constantFrom(...COMMS_CHANNELS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sla.pause' as const), reason: word }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sla.resume' as const) }) },
  // Imported from a newer version on another laptop: a kind this one does not know.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('future' as const), factor: word }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('declare' as const) }) },
);
type Command = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      t: fc.constant('cmd' as const),
      dev,
      incident: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() }),
      advanceMs: fc.nat(90_000),
      cmd: commandArb,
    }),
  },
  // Start a round and carry on typing while it runs, or wait for it.
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sync' as const), dev, wait: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('settle' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const) }) },
  // The hub delivers a page again, shuffled, straight into a laptop's store (a repeated or reordered delivery).
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('redeliver' as const),
      dev,
      fromPercent: fc.integer({ min: 0, max: 100 }),
      limit: fc.integer({ min: 1, max: 40 }),
      seed: fc.nat(),
    }),
  },
  // Another laptop's events arrive directly (an export, a USB stick), in any order, queued or not.
  { weight: 2, arbitrary: fc.record({ t: fc.constant('gossip' as const), from: dev, to: dev, take: fc.nat(30), outbox: fc.boolean(), seed: fc.nat() }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** What happens to each hub request while the network is bad; the plan repeats. */
const faultArb = fc.array(fc.constantFrom('ok', 'ok', 'ok', 'lostRequest', 'lostAnswer', 'twice'), { minLength: 1, maxLength: 10 });
type Fault = typeof faultArb extends fc.Arbitrary<(infer T)[]> ? T : never;

const scenarioArb = fc.record({
  declarer: dev,
  // Mostly everyone has the declaration before work starts; sometimes they learn of it along the way.
  sharedFirst: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  // Clocks off by up to half the bound either way, so any two laptops stay within it: a stamp
  // further ahead than MAX_CLOCK_SKEW_MS is quarantined by design (test/clock-skew.test.ts), and
  // the laptops would then rightly disagree.
  skewMs: fc.array(fc.integer({ min: -MAX_SKEW_EACH_MS, max: MAX_SKEW_EACH_MS }), { minLength: DEVICES, maxLength: DEVICES }),
  faults: faultArb,
  // Small pages, so that pulls turn many pages (and ask for the next one ahead) with few events.
  pageSize: fc.integer({ min: 1, max: 8 }),
  steps: fc.array(stepArb, { minLength: 10, maxLength: 110, size: 'max' }),
});

/** A deterministic shuffle driven by a generated seed, so a failing run replays exactly. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const hashOf = (value: unknown) => createHash('sha256').update(canonical(value)).digest('hex');

/** A network error as `fetch` reports one. */
const networkError = () => new TypeError('fetch failed');

/** `fetch` over `app.inject`: the real hub app, no socket. Faults apply while `faulty.on`. */
function injectFetch(app: FastifyInstance, faulty: { on: boolean; plan: Fault[]; next: number }): typeof fetch {
  const once = async (input: string, init: RequestInit | undefined) => {
    const url = new URL(input);
    const answer = await app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: url.pathname + url.search,
      headers: init?.headers as Record<string, string>,
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) headers.set(name, String(value));
    // Decoded as a real fetch decodes what the client asked compressed (Accept-Encoding).
    const encoding = headers.get('content-encoding');
    const body =
      encoding === 'br' ? zlib.brotliDecompressSync(answer.rawPayload) : encoding === 'gzip' ? zlib.gunzipSync(answer.rawPayload) : answer.rawPayload;
    return new Response(new Uint8Array(body), { status: answer.statusCode, headers });
  };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const target = String(input);
    const fault = faulty.on ? faulty.plan[faulty.next++ % faulty.plan.length]! : 'ok';
    if (fault === 'lostRequest') throw networkError();
    const response = await once(target, init);
    if (fault === 'lostAnswer') throw networkError();
    if (fault === 'twice') return once(target, init);
    return response;
  }) as typeof fetch;
}

let storage: SqliteHubStorage;
let app: FastifyInstance;

beforeAll(async () => {
  storage = new SqliteHubStorage(':memory:');
  await storage.migrate();
  app = await buildHub({ storage, rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await storage.close();
});

async function hubEvents(team: Team): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let cursor = 0;
  for (;;) {
    const page = await storage.after(team.id, cursor, HUB_LIMITS.maxPage, HUB_LIMITS.maxPageBytes);
    events.push(...page.events.map((json) => parseEvent(JSON.parse(json))));
    cursor = page.cursor;
    if (!page.more) return events;
  }
}

interface World {
  devices: Device[];
  clock: { now: number };
  incidents: string[];
  recorded: Set<string>;
  futureCounter: number;
  team: Team;
  token: string;
  fetch: typeof fetch;
}

function openDevice(index: number, world: Pick<World, 'clock' | 'fetch' | 'token'>, skewMs: number, pullPageSize: number): Device {
  const store = Store.open(':memory:');
  const core = new WarroomCore(store, { dataDir: ':memory:', transport: 'browser', now: () => world.clock.now + skewMs });
  core.handle('settings.setActor', { actor: `Laptop ${index + 1}` });
  const sync = new SyncEngine(core, store, { token: world.token, timing: MANUAL, fetch: world.fetch, pullPageSize });
  core.attachSync(sync);
  sync.configure({ hubUrl: 'https://hub.test', enabled: true });
  return {
    dir: ':memory:',
    store,
    core,
    sync,
    close() {
      sync.stop();
      store.close();
    },
  };
}

/** Run one user command; a refusal (not found here yet, no such task, already in that state) is what a user would see too. */
function runCommand(world: World, device: Device, incidentId: string, cmd: Command): void {
  const { core } = device;
  const now = world.clock.now;
  const view = () => core.handle('incident.get', { incidentId }).incident;
  const pick = <T>(items: T[] | undefined, n: number) => (items && items.length ? items[n % items.length] : undefined);
  let result: { eventId: string } | undefined;
  try {
    switch (cmd.op) {
      case 'declare': {
        const declared = core.handle('incident.declare', declareInput);
        world.incidents.push(declared.incidentId);
        result = declared;
        break;
      }
      case 'note':
        result = core.handle('timeline.log', {
          incidentId,
          entryKind: cmd.entryKind,
          text: cmd.text,
          ...(cmd.backMs !== undefined ? { occurredAt: now - cmd.backMs } : {}),
        });
        break;
      case 'status':
        result = core.handle('incident.setStatus', { incidentId, status: cmd.status, ...(cmd.backMs !== undefined ? { occurredAt: now - cmd.backMs } : {}) });
        break;
      case 'priority':
        result = core.handle('incident.setPriority', { incidentId, impact: cmd.impact, urgency: cmd.urgency });
        break;
      case 'role':
        result = core.handle('incident.assignRole', { incidentId, role: cmd.role, person: cmd.person });
        break;
      case 'task.create':
        result = core.handle('task.create', { incidentId, title: cmd.title, owner: cmd.owner });
        break;
      case 'task.move': {
        const task = pick(view()?.tasks, cmd.pick);
        if (task) result = core.handle('task.move', { incidentId, taskId: task.id, status: cmd.status });
        break;
      }
      case 'task.assign': {
        const task = pick(view()?.tasks, cmd.pick);
        if (task) result = core.handle('task.assign', { incidentId, taskId: task.id, owner: cmd.owner });
        break;
      }
      case 'comms.draft':
        result = core.handle('comms.draft', { incidentId, audience: 'customers', channel: cmd.channel, body: cmd.body });
        break;
      case 'comms.edit': {
        const draft = pick(view()?.comms, cmd.pick);
        if (draft) result = core.handle('comms.edit', { incidentId, draftId: draft.id, body: cmd.body });
        break;
      }
      case 'comms.approve': {
        const draft = pick(view()?.comms, cmd.pick);
        if (draft) result = core.handle('comms.approve', { incidentId, draftId: draft.id });
        break;
      }
      case 'comms.send': {
        const draft = pick(view()?.comms, cmd.pick);
        if (draft) result = core.handle('comms.send', { incidentId, draftId: draft.id, channel: cmd.channel });
        break;
      }
      case 'sla.pause':
        result = core.handle('sla.pause', { incidentId, reason: cmd.reason });
        break;
      case 'sla.resume':
        result = core.handle('sla.resume', { incidentId });
        break;
      case 'future': {
        const id = uuidv7();
        const hlc = encodeHlc({ wall: now, counter: world.futureCounter++, node: 'newer-laptop' });
        const event = {
          id,
          incidentId,
          kind: 'review.factor_added',
          payload: { factor: cmd.factor, weight: 0.5 },
          actor: 'Newer Version',
          deviceId: 'newer-laptop',
          hlc,
          recordedAt: now,
        };
        core.ingest([event], { outbox: true });
        result = { eventId: id };
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  if (result) world.recorded.add(result.eventId);
}

async function runStep(world: World, step: Step): Promise<void> {
  const { devices } = world;
  switch (step.t) {
    case 'cmd': {
      world.clock.now += step.advanceMs;
      const incidentId = world.incidents[step.incident % world.incidents.length]!;
      runCommand(world, devices[step.dev]!, incidentId, step.cmd);
      return;
    }
    case 'sync':
      devices[step.dev]!.sync.syncNow();
      if (step.wait) await devices[step.dev]!.sync.idle();
      return;
    case 'settle':
      for (const d of devices) await d.sync.idle();
      return;
    case 'tick':
      await new Promise((resolve) => setImmediate(resolve));
      return;
    case 'redeliver': {
      const { head } = await storage.after(world.team.id, 0, 1, HUB_LIMITS.maxPageBytes);
      const after = Math.floor((head * step.fromPercent) / 100);
      const response = await app.inject({
        method: 'GET',
        url: `/v1/events?after=${after}&limit=${step.limit}`,
        headers: { authorization: `Bearer ${world.token}` },
      });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ events: unknown[] }>();
      devices[step.dev]!.core.ingest(shuffled(page.events, step.seed));
      return;
    }
    case 'gossip': {
      if (step.from === step.to) return;
      const theirs = [...devices[step.from]!.store.allEvents()];
      devices[step.to]!.core.ingest(shuffled(theirs, step.seed).slice(0, step.take), { outbox: step.outbox });
      return;
    }
  }
}

/** Everyone pushes, then everyone pulls what the others pushed. */
async function finalSync(devices: Device[]): Promise<void> {
  for (const d of devices) await d.sync.idle();
  for (let round = 0; round < 2; round++) {
    for (const d of devices) {
      d.sync.syncNow();
      await d.sync.idle();
    }
  }
}

async function checkConverged(world: World): Promise<void> {
  const { devices } = world;
  for (const d of devices) expect(d.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0, error: null });

  const atHub = await hubEvents(world.team);
  const hubIds = atHub.map((e) => e.id);
  expect(new Set(hubIds).size, 'the hub holds an event twice').toBe(hubIds.length);
  const everything = new Set(hubIds);
  for (const id of world.recorded) expect(everything.has(id), `event ${id} was recorded but never reached the hub`).toBe(true);

  for (const d of devices) {
    const ids = [...d.store.allEvents()].map((e) => e.id);
    expect(ids.length).toBe(d.store.eventCount());
    expect(new Set(ids)).toEqual(everything);
  }

  for (const incidentId of world.incidents) {
    const records = devices.map((d) => visibleRecord(d, incidentId));
    const first = records[0]!;
    expect(first.view, 'the declaration reached every laptop').not.toBeNull();
    expect(first.projection).toEqual(first.view);
    const hashes = records.map(hashOf);
    expect(new Set(hashes).size, `laptops disagree on incident ${incidentId}`).toBe(1);
    for (const r of records.slice(1)) expect(r).toEqual(first);
    // The projection row on disk folds to the same view as the cached one.
    for (const d of devices) {
      const row = d.store.db.prepare<[string], { state: string }>('SELECT state FROM incidents WHERE id = ?').get(incidentId);
      expect(viewIncident(JSON.parse(row!.state))).toEqual(first.view);
    }
    // And the hub's copy of the log folds to the very same record.
    const ofIncident = atHub.filter((e) => e.incidentId === incidentId);
    expect(viewIncident(foldIncident(incidentId, ofIncident))).toEqual(first.view);
    expect([...ofIncident].sort(compareTimeline).map((e) => e.id)).toEqual(first.timeline);
  }
}

describe('three laptops, random work, random delivery', () => {
  test('all laptops and the hub end with the same record, every event exactly once', async () => {
    console.log(`sync property: seed ${SEED}, ${NUM_RUNS} runs (replay with FC_SEED=${SEED})`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const issued = await issueToken(storage, `team-${SEED}-${run++}`);
        const faulty = { on: true, plan: scenario.faults, next: 0 };
        const partial = { clock: { now: BASE_TIME }, token: issued.token, fetch: injectFetch(app, faulty) };
        const devices = scenario.skewMs.map((skew, i) => openDevice(i, partial, skew, scenario.pageSize));
        const world: World = { ...partial, devices, incidents: [], recorded: new Set(), futureCounter: 0, team: issued.team };
        try {
          runCommand(world, devices[scenario.declarer]!, '', { op: 'declare' });
          if (scenario.sharedFirst) {
            faulty.on = false;
            await finalSync([devices[scenario.declarer]!, ...devices]);
            faulty.on = true;
          }
          for (const step of scenario.steps) await runStep(world, step);
          faulty.on = false;
          await finalSync(devices);
          await checkConverged(world);
        } finally {
          for (const d of devices) {
            await d.sync.idle();
            d.close();
          }
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  }, 480_000);
});
