import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ZodError } from 'zod';
import { EventEnvelopeSchema, parseEvent, type EventEnvelope } from '../shared/record/events.js';
import { parseUntrustedJson, shapeRefusal } from '../shared/record/untrusted.js';
import {
  HUB_API_VERSION,
  HUB_LIMITS,
  PullQuerySchema,
  PushRequestSchema,
  type HubErrorBody,
  type HubErrorCode,
  type PushResponse,
} from '../shared/sync/hub-protocol.js';
import { encodeFor } from './compress.js';
import type { HubStorage, IncomingEvent, Team } from './storage.js';
import { authenticate, sha256 } from './tokens.js';
import { isSealedShape, sealedRefusal, type SealedEvent } from '../shared/sync/sealing.js';
import { registerFeatures } from './features.js';
import { registerSealedTeamRoutes } from './sealed-team.js';
import type { HubConfig } from './deliveries/config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every /v1/events request that reaches a handler. */
    team: Team | null;
  }
}

type Issue = NonNullable<HubErrorBody['error']['issues']>[number];

/** An error the client caused or must know about; anything else is answered as a bare 500. */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** A batch of 1000 bad events would otherwise answer with a very long list. */
const MAX_ISSUES = 20;

export interface HubOptions {
  storage: HubStorage;
  rateLimit: { max: number; timeWindowMs: number };
  /** Failed authentications allowed per client address and window; defaults to 20 a minute. */
  authFailureLimit?: { max: number; timeWindowMs: number };
  /** Channels and status pages (hub/deliveries/config.ts); none when absent. */
  config?: HubConfig;
  logger?: FastifyServerOptions['logger'];
}

const BEARER = /^Bearer (\S+)$/;

function bearerToken(request: FastifyRequest): string | null {
  return BEARER.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

function sendError(reply: FastifyReply, error: HubError): FastifyReply {
  const body: HubErrorBody = { error: { code: error.code, message: error.message } };
  if (error.issues) body.error.issues = error.issues;
  return reply.code(error.status).type('application/json').send(body);
}

function issuesOf(error: ZodError, prefix: string): Issue[] {
  return error.issues.map((issue) => ({ path: [prefix, ...issue.path].join('.'), message: issue.message }));
}

function invalid(issues: Issue[]): HubError {
  const listed = issues.slice(0, MAX_ISSUES);
  const more = issues.length - listed.length;
  const message = listed.map((i) => `${i.path}: ${i.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return new HubError(400, 'invalid_request', message, listed);
}

const tooLarge = () => new HubError(413, 'payload_too_large', `Request body exceeds ${HUB_LIMITS.maxBodyBytes} bytes; send fewer events per batch`);

/** Fastify's own refusals (body size, media type, malformed JSON) in our error shape. */
function fromFramework(error: FastifyError): HubError | null {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge();
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HubError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 && error.code?.startsWith('FST_')) {
    return new HubError(400, 'invalid_request', error.message);
  }
  return null;
}

const DEFAULT_AUTH_FAILURE_LIMIT = { max: 20, timeWindowMs: 60_000 };
/** Addresses tracked at once: beyond it the oldest windows are forgotten, so a flood of addresses cannot exhaust memory. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** Failed authentications per client address in fixed windows. */
function authFailureCounter(limit: { max: number; timeWindowMs: number }, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (address: string) => {
    const window = windows.get(address);
    if (window && now() - window.start < limit.timeWindowMs) return window;
    windows.delete(address);
    return null;
  };
  return {
    /** Milliseconds until this address may try again; 0 when it may now. */
    blockedFor(address: string): number {
      const window = current(address);
      return window && window.count >= limit.max ? window.start + limit.timeWindowMs - now() : 0;
    },
    record(address: string): void {
      const window = current(address);
      if (window) {
        window.count++;
        return;
      }
      if (windows.size >= MAX_TRACKED_ADDRESSES) windows.delete(windows.keys().next().value!);
      windows.set(address, { start: now(), count: 1 });
    },
  };
}

export async function buildHub(options: HubOptions): Promise<FastifyInstance> {
  const { storage } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: HUB_LIMITS.maxBodyBytes,
    // A client that stalls mid-body must not hold a connection forever.
    requestTimeout: 30_000,
  });
  app.decorateRequest('team', null);
  // Only JSON is spoken here; anything else gets a 415 instead of a confusing validation error.
  app.removeContentTypeParser('text/plain');
  // The consoles' own limits (shared/record/untrusted.ts): nesting is checked before parsing, so
  // 200,000 levels answer 400 instead of blowing the stack of whatever walks the value next.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseUntrustedJson(body as string));
    } catch (error) {
      done(new HubError(400, 'invalid_request', error instanceof Error ? error.message : String(error)), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof HubError ? error : fromFramework(error);
    if (known) return sendError(reply, known);
    request.log.error({ err: error }, 'unhandled hub error');
    return sendError(reply, new HubError(500, 'internal', 'The hub failed to handle this request; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new HubError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}; the API lives under /${HUB_API_VERSION}`)),
  );

  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.timeWindowMs,
    // Per token (the hash, so the limiter's memory never holds a usable secret); per address
    // for requests without one, which slows down anyone probing for tokens.
    keyGenerator: (request) => {
      const token = bearerToken(request);
      return token ? `token:${sha256(token).toString('hex')}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HubError(429, 'rate_limited', `Too many requests: at most ${context.max} per ${context.after}; retry after the Retry-After delay`),
  });

  app.get(`/${HUB_API_VERSION}/health`, { config: { rateLimit: false } }, async () => ({ status: 'ok', api: HUB_API_VERSION }));

  const failedAuth = authFailureCounter(options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT);
  const refuseIfBlocked = (address: string, reply: FastifyReply) => {
    const blockedForMs = failedAuth.blockedFor(address);
    if (blockedForMs > 0) {
      reply.header('retry-after', String(Math.ceil(blockedForMs / 1000)));
      throw new HubError(429, 'rate_limited', 'Too many failed authentications from this address; retry after the Retry-After delay');
    }
  };

  // Alerts in, deliveries out, the public status page (hub/features.ts).
  const features = await registerFeatures(app, {
    failedAuth: { refuseIfBlocked, failed: (address) => failedAuth.record(address) },
    storage,
    ...(options.config && { config: options.config }),
    errors: {
      notFound: (message) => new HubError(404, 'not_found', message),
      unauthorized: (message) => new HubError(401, 'unauthorized', message),
      invalid: (message, issues) => new HubError(400, 'invalid_request', message, issues),
    },
  });
  app.addHook('onClose', () => features.close());

  await app.register(async (events) => {
    // preParsing: after the rate limiter (onRequest) and before the body is read, so a request
    // without a valid token costs no parsing and touches nothing.
    events.addHook('preParsing', async (request, reply, payload) => {
      // The per-token limit above cannot slow a guesser who sends a new token each time: failures
      // count per address, and past the limit that address is not even checked, right or wrong.
      refuseIfBlocked(request.ip, reply);
      const token = bearerToken(request);
      const team = token ? await authenticate(storage, token) : null;
      if (!team) {
        failedAuth.record(request.ip);
        reply.header('www-authenticate', 'Bearer');
        throw new HubError(401, 'unauthorized', token ? 'Unknown or revoked team token' : 'Missing "Authorization: Bearer <team token>" header');
      }
      request.team = team;
      // Refused here rather than by the body parser: the parser closes the connection while the
      // client is still uploading, which most clients report as a reset instead of this 413.
      // From here Node reads and discards the rest of the body (bounded by requestTimeout)
      // and the client gets the answer.
      if (Number(request.headers['content-length'] ?? 0) > HUB_LIMITS.maxBodyBytes) throw tooLarge();
      return payload;
    });

    events.post(`/${HUB_API_VERSION}/events`, async (request): Promise<PushResponse> => {
      const body = PushRequestSchema.safeParse(request.body);
      if (!body.success) throw invalid(issuesOf(body.error, 'body'));
      const batch = body.data.events;
      if (batch.length > HUB_LIMITS.maxBatch) {
        throw new HubError(413, 'batch_too_large', `A batch holds at most ${HUB_LIMITS.maxBatch} events; this one has ${batch.length}`);
      }
      const incoming: IncomingEvent[] = [];
      const parsed: EventEnvelope[] = [];
      const issues: Issue[] = [];
      batch.forEach((raw, index) => {
        // A sealed event (shared/sync/sealing.ts): the hub cannot read it, so it checks only its
        // size and shape and keeps it byte for byte; its features never see it (what they must
        // read is handed over in clear on purpose, POST /v1/disclosures).
        if (isSealedShape(raw)) {
          const refusal = sealedRefusal(raw);
          if (refusal !== null) issues.push({ path: `body.events.${index}`, message: refusal });
          else incoming.push({ id: (raw as SealedEvent).id, json: JSON.stringify(raw) });
          return;
        }
        // The consoles' limits (size, depth, names, envelope): what passes here, every console can
        // keep. A payload this hub's version cannot fold (a newer version's value) is relayed all
        // the same: consoles quarantine what they cannot fold, so no team member's outbox stalls.
        const refusal = shapeRefusal(raw);
        if (refusal !== null) {
          issues.push({ path: `body.events.${index}`, message: refusal });
          return;
        }
        const envelope = EventEnvelopeSchema.safeParse(raw);
        if (!envelope.success) {
          issues.push(...issuesOf(envelope.error, `body.events.${index}`));
          return;
        }
        // Stored as sent (not as zod's trimmed output): the hub relays and never rewrites.
        incoming.push({ id: envelope.data.id, json: JSON.stringify(raw) });
        // The hub's own features only see what this version can read.
        try {
          parsed.push(parseEvent(raw));
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
        }
      });
      if (issues.length > 0) throw invalid(issues);
      const result = await storage.append(request.team!.id, incoming);
      // Before answering: if this fails the client retries the same batch, and every feature is idempotent.
      await features.onPushed(request.team!, parsed);
      return { accepted: result.accepted, duplicates: result.duplicates, cursor: result.head };
    });

    // A team that seals its record (issue #14): pairing drop box, team public key, explicit disclosures.
    registerSealedTeamRoutes(events, {
      storage,
      errors: {
        notFound: (message) => new HubError(404, 'not_found', message),
        invalid: (message, issues) => new HubError(400, 'invalid_request', message, issues),
      },
      disclose: (team, disclosed) => features.onPushed(team, disclosed),
    });

    events.get(`/${HUB_API_VERSION}/events`, async (request, reply) => {
      const query = PullQuerySchema.safeParse(request.query);
      if (!query.success) throw invalid(issuesOf(query.error, 'query'));
      const { after, limit } = query.data;
      const page = await storage.after(request.team!.id, after, limit, HUB_LIMITS.maxPageBytes);
      if (after > page.head) {
        throw new HubError(
          409,
          'cursor_ahead',
          `Cursor ${after} is beyond this hub's last event (${page.head}): the hub was reset or restored; pull again from 0`,
        );
      }
      const epoch = await storage.epoch();
      // Stored events are already JSON; splicing them avoids parsing and re-serialising every one.
      const json = `{"events":[${page.events.join(',')}],"cursor":${page.cursor},"more":${page.more},"epoch":"${epoch}","cursorId":${JSON.stringify(page.cursorId)}}`;
      const { body, encoding } = await encodeFor(request.headers['accept-encoding'], json);
      if (encoding) reply.header('content-encoding', encoding);
      return reply.type('application/json').header('cache-control', 'no-store').header('vary', 'accept-encoding').send(body);
    });
  });

  return app;
}
