import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ApiError, isChannelName, type ApiErrorBody, type ChangeNotice } from '../../shared/api/api.js';
import { ARCHIVE_UPLOAD_LIMIT } from '../../shared/library/channels.js';
import { parseUntrustedJson } from '../../shared/record/untrusted.js';
import type { CoreHandle } from '../host/handle.js';
import { CONTENT_SECURITY_POLICY } from '../host/csp.js';
import { message } from '../../shared/text/errors.js';

/**
 * Browser mode: the same core as the Electron window, served to a browser on this machine only.
 * Anyone who can reach the port is treated as hostile until they show the per-launch token:
 * other local users, web pages in the same browser (CSRF, DNS rebinding), other processes.
 */

export const BODY_LIMIT = 1024 * 1024;
/** An incident archive is the one upload larger than a call: its own route, with room for the largest archive in base64. */
export const ARCHIVE_BODY_LIMIT = ARCHIVE_UPLOAD_LIMIT + 64 * 1024;
const ARCHIVE_ROUTE = '/api/call/archive.import';
const KEEP_ALIVE_MS = 15_000;

export interface BrowserServerOptions {
  core: CoreHandle;
  /** 0 = any free port. */
  port: number;
  /** Loopback only: the server is never reachable from the network. */
  host?: '127.0.0.1';
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Defaults to 32 random bytes; tests pass their own. */
  token?: string;
  /** When the port is taken, listen on any free port instead of failing. */
  portFallback?: boolean;
  /** Told once, when the launch link has been traded for a session (e.g. to delete a launcher file). */
  onLaunchTokenUsed?: () => void;
}

export interface BrowserServer {
  /** What the user opens: carries the launch token, which the server trades once for a session cookie. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Refusals before any call is made also use the ApiErrorBody codes, so the UI shows their message. */
type ErrorBody = ApiErrorBody;

const API_STATUS: Record<ApiErrorBody['code'], number> = {
  invalid_input: 400,
  unknown_channel: 404,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  misdirected: 421,
  internal: 500,
};

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Every response may be behind the token; none may be kept in a shared or disk cache.
  'Cache-Control': 'no-store',
};

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Comparing fixed-length digests keeps the comparison constant-time whatever the length of the guess. */
function tokenMatches(candidate: string | undefined, expected: Buffer): boolean {
  return candidate !== undefined && timingSafeEqual(digest(candidate), expected);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * What a browser tab shows for a link that no longer opens the console (a restart made a new
 * one, or it was used already): a readable page saying how to get a new link, instead of raw JSON.
 */
const STALE_LINK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Warroom — open the console with a new link</title></head>
<body>
<main>
<h1>This link no longer opens the console</h1>
<p>Each time the console starts it prints a new link, which opens it once in this browser. This tab holds a link from an earlier start (the console was restarted) or one already used.</p>
<p><strong>To get a new link:</strong> look at the terminal where the console runs: it printed a line beginning with <code>http://127.0.0.1:</code> and containing <code>?token=</code>. Open that link. If you cannot find it, restart the console (<code>npm start</code>) and open the link it prints.</p>
<p>Nothing is lost: the record is kept on this computer.</p>
<hr>
<section lang="fr">
<h2>Ce lien n’ouvre plus la console</h2>
<p>À chaque démarrage, la console affiche un nouveau lien, qui l’ouvre une fois dans ce navigateur. Cet onglet garde le lien d’un démarrage précédent (la console a redémarré) ou un lien déjà utilisé.</p>
<p><strong>Pour obtenir un nouveau lien :</strong> regardez le terminal où tourne la console : elle y a affiché une ligne qui commence par <code>http://127.0.0.1:</code> et contient <code>?token=</code>. Ouvrez ce lien. Sinon, redémarrez la console (<code>npm start</code>) et ouvrez le lien affiché.</p>
<p>Rien n’est perdu : le registre est conservé sur cet ordinateur.</p>
</section>
</main>
</body></html>
`;

/** A tab opening a page (not the console's own fetch calls): it gets the readable page. */
function isNavigation(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers['sec-fetch-mode'] === 'navigate' || (request.headers.accept ?? '').includes('text/html'));
}

/** 401: the stale-link page for a browser tab, the JSON error body for everything else. */
function refuse(request: FastifyRequest, reply: FastifyReply, body: ErrorBody): FastifyReply {
  if (isNavigation(request)) return reply.code(401).type('text/html; charset=utf-8').send(STALE_LINK_PAGE);
  return send(reply, 401, body);
}

function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

function apiErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { code: 'internal', message: message(error) };
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  try {
    return await listen(options, token, options.port);
  } catch (error) {
    if (options.portFallback && options.port !== 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      return listen(options, token, 0);
    }
    throw error;
  }
}

async function listen(options: BrowserServerOptions, token: string, requestedPort: number): Promise<BrowserServer> {
  const { core, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  /**
   * The launch token opens the console once: the first valid link is traded for a session value
   * of its own, and from then on the token (in the link, in the history, in a process list) opens
   * nothing. Until then it also works as a Bearer token, for a script started with the console.
   */
  let launch: Buffer | null = digest(token);
  /** Digests of the session values handed out as cookies; a session value is never a Bearer token. */
  const sessions = new Set<string>();
  const hasSession = (cookie: string | undefined) => cookie !== undefined && sessions.has(digest(cookie).toString('hex'));
  /** Known once listening; until then every request is refused, because no Host can match. */
  let port = -1;
  const cookieName = () => `warroom_${port}`;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const streams = new Set<ServerResponse>();

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: BODY_LIMIT, return503OnClosing: true });

  // Only JSON: a text/plain or form body is what a foreign page can post without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  // The one untrusted-input path (shared/record/untrusted.ts): nesting is checked before parsing,
  // so a 200,000-level body answers 400 instead of overflowing the stack further on.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      const text = body as string;
      done(null, text === '' ? undefined : parseUntrustedJson(text));
    } catch (error) {
      done(Object.assign(new Error(error instanceof Error ? error.message : String(error)), { statusCode: 400 }), undefined);
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends Host: evil.example.
    if (!allowedHosts().has(request.headers.host ?? '')) {
      return send(reply, 421, { code: 'misdirected', message: 'This server only answers to 127.0.0.1 or localhost on its own port.' });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      return send(reply, 403, { code: 'forbidden', message: 'Requests from other origins are refused.' });
    }
    const url = new URL(request.url, `http://${request.headers.host}`);
    const offered = url.searchParams.get('token');
    const session = cookieValue(request.headers.cookie, cookieName());
    if (request.method === 'GET' && url.pathname === '/' && offered !== null) {
      // Already in (the link reopened from the history): nothing to trade, just drop it from the address bar.
      if (hasSession(session)) return reply.redirect('/', 303);
      if (launch === null || !tokenMatches(offered, launch)) {
        return refuse(request, reply, {
          code: 'unauthorized',
          message: 'This link has already been used or is not valid for this launch; restart the console for a new one.',
        });
      }
      launch = null;
      const value = randomBytes(32).toString('base64url');
      sessions.add(digest(value).toString('hex'));
      options.onLaunchTokenUsed?.();
      // Trade the token for a session cookie, and take it out of the address bar and the history.
      // A page that moves on by itself rather than a 303: when the link was opened from another
      // page (the launcher file), a redirect stays a cross-site navigation and the browser would
      // not send the SameSite=Strict cookie to '/'; a refresh from this page is same-site.
      return reply
        .code(200)
        .header('Set-Cookie', `${cookieName()}=${value}; Path=/; HttpOnly; SameSite=Strict`)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/"><title>Warroom</title>\n');
    }
    if (!hasSession(session) && !(launch !== null && tokenMatches(bearer(request.headers.authorization), launch))) {
      return refuse(request, reply, { code: 'unauthorized', message: 'Open the console with the link it printed when it started.' });
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      const limit = request.url === ARCHIVE_ROUTE ? ARCHIVE_BODY_LIMIT : BODY_LIMIT;
      return send(reply, 413, { code: 'invalid_input', message: `The request body is larger than ${limit} bytes.` });
    }
    if (status === 415) return send(reply, 415, { code: 'invalid_input', message: 'Send the call input as application/json.' });
    if (status >= 400 && status < 500) return send(reply, status, { code: 'invalid_input', message: error.message });
    return send(reply, 500, { code: 'internal', message: 'The server failed to handle the request.' });
  });

  app.setNotFoundHandler((request, reply) => send(reply, 404, { code: 'not_found', message: `Nothing at ${request.method} ${request.url}.` }));

  const callChannel = async (channel: string, input: unknown, reply: FastifyReply) => {
    if (!isChannelName(channel)) {
      return send(reply, 404, { code: 'unknown_channel', message: `There is no channel named "${channel}".` });
    }
    try {
      // An absent body is an empty input; the channel's schema decides whether that is enough.
      const output = await core.call(channel, input ?? {});
      return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(output));
    } catch (error) {
      const body = apiErrorBody(error);
      return send(reply, API_STATUS[body.code], body);
    }
  };
  app.post<{ Params: { channel: string } }>('/api/call/:channel', (request, reply) => callChannel(request.params.channel, request.body, reply));
  // A static path wins over the parametric one, so only this channel gets the larger limit.
  app.post(ARCHIVE_ROUTE, { bodyLimit: ARCHIVE_BODY_LIMIT }, (request, reply) => callChannel('archive.import', request.body, reply));

  app.get('/api/changes', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = core.onChange((notice: ChangeNotice) => {
      res.write(`data: ${JSON.stringify(notice)}\n\n`);
    });
    // Comments keep idle proxies and the browser from dropping a quiet stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    streams.add(res);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  });

  await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: ['index.html'], cacheControl: false, serveDotFiles: false });

  // An open event stream never goes idle, so close() would wait for it forever.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });

  try {
    await app.listen({ host, port: requestedPort });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The server is not listening on a TCP port.');
  port = address.port;

  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () => app.close(),
  };
}
