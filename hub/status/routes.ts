import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubConfig } from '../deliveries/config.js';
import type { HubStorage } from '../storage.js';
import { renderAtom, renderHtml, renderJson, STATUS_CSP, type Lang } from './render.js';
import { publicIncidents } from './store.js';

/** Shared caches may keep a page this long: a status page under load must not hit the database per reader. */
const MAX_AGE_S = 30;

function languageOf(request: FastifyRequest<{ Querystring: { lang?: string } }>): Lang {
  const asked = request.query.lang;
  if (asked === 'fr' || asked === 'en') return asked;
  return /^\s*fr\b/i.test(String(request.headers['accept-language'] ?? '')) ? 'fr' : 'en';
}

function answer(request: FastifyRequest, reply: FastifyReply, type: string, body: string): FastifyReply | string {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply
    .header('cache-control', `public, max-age=${MAX_AGE_S}`)
    .header('etag', etag)
    .header('vary', 'Accept-Language')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', STATUS_CSP)
    .type(type);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return body;
}

/**
 * `GET /status/:team` (HTML), `/status/:team/status.json`, `/status/:team/feed.atom`: no token, by
 * design. A team appears only when the hub's configuration gives it a status page.
 */
export async function registerStatusRoutes(
  app: FastifyInstance,
  deps: { storage: HubStorage; config: HubConfig; notFound(message: string): Error },
): Promise<void> {
  const page = async (team: string) => {
    const settings = deps.config.teams[team]?.statusPage;
    const found = settings?.enabled ? await deps.storage.findTeam(team) : null;
    if (!settings || !found) throw deps.notFound(`No public status page for "${team.slice(0, 64)}"`);
    return { name: settings.name, incidents: await publicIncidents(deps.storage, found) };
  };
  type Req = { Params: { team: string }; Querystring: { lang?: string } };
  app.get<Req>('/status/:team', async (request, reply) => {
    const { name, incidents } = await page(request.params.team);
    return answer(request, reply, 'text/html; charset=utf-8', renderHtml(name, request.params.team, incidents, languageOf(request)));
  });
  app.get<Req>('/status/:team/status.json', async (request, reply) => {
    const { name, incidents } = await page(request.params.team);
    return answer(request, reply, 'application/json; charset=utf-8', JSON.stringify(renderJson(name, incidents)));
  });
  app.get<Req>('/status/:team/feed.atom', async (request, reply) => {
    const { name, incidents } = await page(request.params.team);
    // The configured public address, never the request's Host header: a cached feed must not carry a forged one.
    const origin = deps.config.teams[request.params.team]?.statusPage?.publicUrl ?? '';
    return answer(request, reply, 'application/atom+xml; charset=utf-8', renderAtom(name, request.params.team, origin, incidents, languageOf(request)));
  });
}
