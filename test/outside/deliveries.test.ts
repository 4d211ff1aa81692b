import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { declareInput } from '../helpers.js';
import { openDevice, type Device } from '../sync-support.js';
import { eventually, freePort } from './alertmanager.js';
import { decodeHeader, makeCertificate, parseMail, startHttpReceiver, startMailServer, type HttpReceiver, type MailServer } from './receivers.js';

/**
 * Updates out, end to end with real parts: a laptop (real store, core, sync engine), a hub process
 * with a configuration naming its channels, a real SMTP server that insists on STARTTLS and
 * authentication, and a local HTTP server standing in for Slack, Teams, Mattermost and a webhook.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'warroom-deliveries-'));
const SMTP_USER = { user: 'warroom-hub', pass: 'correct horse battery staple' };
const HOOK_SECRET = 'a-shared-signing-key-for-the-webhook';
let hub: HubProcess & { token: string; dbFile: string };
let hubPort = 0;
let configFile = '';
let mail: MailServer;
let http: HttpReceiver;
let laptop: Device;

beforeAll(async () => {
  const cert = makeCertificate(dir);
  [mail, http] = await Promise.all([startMailServer(cert, SMTP_USER), startHttpReceiver()]);
  configFile = path.join(dir, 'hub-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      retry: { attempts: 4, firstDelayMs: 50, maxDelayMs: 400, timeoutMs: 5000 },
      teams: {
        ops: {
          statusPage: { name: 'Acme status' },
          channels: [
            {
              id: 'customers-mail',
              kind: 'email',
              audiences: ['customers'],
              smtp: { host: '127.0.0.1', port: mail.port, secure: false, requireTLS: true, auth: SMTP_USER, caFile: cert.certFile },
              from: 'status@acme.example',
              to: ['customers@acme.example', 'support@acme.example'],
            },
            { id: 'customers-hook', kind: 'webhook', audiences: ['customers'], url: `${http.url}/hook`, secret: HOOK_SECRET },
            { id: 'exec-slack', kind: 'slack', audiences: ['executives'], url: `${http.url}/slack` },
            { id: 'exec-teams', kind: 'teams', audiences: ['executives'], url: `${http.url}/teams` },
            { id: 'exec-mattermost', kind: 'mattermost', audiences: ['executives'], url: `${http.url}/mattermost` },
            { id: 'partners-hook', kind: 'webhook', audiences: ['partners'], url: `${http.url}/reject`, secret: HOOK_SECRET },
          ],
        },
      },
    }),
  );
  chmodSync(configFile, 0o600);
  http.always('/reject', 400);
  hubPort = await freePort();
  const dbFile = path.join(dir, 'hub.sqlite');
  const created = await hubCli(['token', 'create', 'ops', '--db', dbFile]);
  const started = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);
  hub = { ...started, token: created.stdout.trim(), dbFile };
  laptop = openDevice({ dir: path.join(dir, 'laptop') });
}, 60_000);

afterAll(async () => {
  laptop?.close();
  await Promise.all([hub?.stop(), mail?.close(), http?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function sendUpdate(device: Device, incidentId: string, audience: string, body: string) {
  const { draftId } = device.core.handle('comms.draft', { incidentId, audience, channel: 'email', body });
  device.core.handle('comms.approve', { incidentId, draftId });
  device.core.handle('comms.send', { incidentId, draftId, channel: 'email', deliver: true, language: 'fr' });
  return draftId;
}

const deliveryOf = (device: Device, incidentId: string, draftId: string) =>
  device.core.handle('deliveries.state', { incidentId }).deliveries.find((d) => d.draftId === draftId);

async function settled(device: Device, incidentId: string, draftId: string, channels: number) {
  return eventually(
    async () => {
      device.sync.syncNow();
      await device.sync.idle();
      const delivery = deliveryOf(device, incidentId, draftId);
      return delivery && delivery.outcomes.length >= channels ? delivery : undefined;
    },
    30_000,
    `the outcomes of ${draftId}`,
  );
}

describe('updates out', () => {
  let incidentId = '';
  const body =
    'Les paiements par carte échouent depuis 14 h 02. Nous basculons vers le centre de secours ; prochain point à 14 h 45. Merci de votre patience — l’équipe d’astreinte.';

  it('waits on the laptop without a hub, then goes to e-mail (STARTTLS, auth, UTF-8) and a signed webhook once synced', async () => {
    incidentId = laptop.core.handle('incident.declare', { ...declareInput, title: 'Paiements refusés à la caisse' }).incidentId;
    const draftId = sendUpdate(laptop, incidentId, 'customers', body);
    expect(deliveryOf(laptop, incidentId, draftId)).toMatchObject({ local: 'waiting', outcomes: [] });

    laptop.sync.configure({ hubUrl: hub.url, token: hub.token, enabled: true });
    const delivery = await settled(laptop, incidentId, draftId, 2);
    expect(delivery.local).toBe('handed');
    expect(delivery.outcomes.map((o) => [o.channelId, o.channelKind, o.state]).sort()).toEqual([
      ['customers-hook', 'webhook', 'delivered'],
      ['customers-mail', 'email', 'delivered'],
    ]);

    expect(mail.mails).toHaveLength(1);
    const received = mail.mails[0]!;
    expect(received).toMatchObject({ secure: true, user: SMTP_USER.user, from: 'status@acme.example', to: ['customers@acme.example', 'support@acme.example'] });
    const parsed = parseMail(received.raw);
    expect(decodeHeader(parsed.headers.get('subject')!)).toBe('Point de situation : Paiements refusés à la caisse');
    expect(parsed.headers.get('content-type')).toMatch(/text\/plain; charset=utf-8/i);
    expect(parsed.headers.get('x-warroom-delivery-id')).toBe(`${draftId}/customers-mail`);
    expect(parsed.body).toBe(body);

    const hook = http.posts.filter((p) => p.path === '/hook');
    expect(hook).toHaveLength(1);
    expect(hook[0]!.headers['idempotency-key']).toBe(`${draftId}/customers-hook`);
    expect(hook[0]!.headers['x-warroom-signature']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(hook[0]!.body).digest('hex')}`);
    expect(JSON.parse(hook[0]!.body)).toMatchObject({
      updateId: draftId,
      incidentId,
      audience: 'customers',
      body,
      language: 'fr',
      subject: 'Point de situation : Paiements refusés à la caisse',
    });

    // Each outcome is an entry of the incident's timeline.
    const timeline = laptop.core.handle('timeline.list', { incidentId }).entries;
    expect(timeline.filter((e) => e.kind === 'delivery.outcome')).toHaveLength(2);
    expect(timeline.find((e) => e.kind === 'delivery.outcome')!.deviceId).toBe('hub');
  }, 60_000);

  it('posts each chat service its documented payload, retrying a failing one with backoff and never twice', async () => {
    http.failNext('/slack', 2, 503);
    const draftId = sendUpdate(laptop, incidentId, 'executives', 'Card payments fail since 14:02 <script>; failover in progress & next update at 14:45.');
    const delivery = await settled(laptop, incidentId, draftId, 3);
    expect(delivery.outcomes.every((o) => o.state === 'delivered')).toBe(true);
    expect(delivery.outcomes.find((o) => o.channelId === 'exec-slack')!.attempts).toBe(3);

    const slack = http.posts.filter((p) => p.path === '/slack');
    expect(slack.map((p) => p.status)).toEqual([503, 503, 200]);
    const slackBody = JSON.parse(slack[2]!.body);
    expect(slackBody.text).toContain('&lt;script&gt;');
    expect(slackBody.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Point de situation : Paiements refusés à la caisse' } });
    expect(slackBody.blocks[1]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });

    const teams = http.posts.filter((p) => p.path === '/teams');
    expect(teams).toHaveLength(1);
    const card = JSON.parse(teams[0]!.body);
    expect(card.type).toBe('message');
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.attachments[0].content.body[1]).toMatchObject({ type: 'TextBlock', wrap: true, text: expect.stringContaining('<script>') });

    const mattermost = http.posts.filter((p) => p.path === '/mattermost');
    expect(mattermost).toHaveLength(1);
    expect(JSON.parse(mattermost[0]!.body)).toEqual({
      text: expect.stringMatching(/^#### Point de situation : Paiements refusés à la caisse\n\*\*Card payments fail/),
    });

    // Pushing the request again (a laptop re-sending its whole log to a new hub epoch) sends nothing again.
    laptop.store.restartHubHistory(null);
    laptop.sync.syncNow();
    await laptop.sync.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(http.posts.filter((p) => p.path === '/teams')).toHaveLength(1);
    expect(mail.mails).toHaveLength(1);
  }, 60_000);

  it('a refusal fails at once with the reason; an audience without a channel says so', async () => {
    const refused = sendUpdate(laptop, incidentId, 'partners', 'Partner notice');
    const orphan = sendUpdate(laptop, incidentId, 'internal', 'Internal notice');
    const a = await settled(laptop, incidentId, refused, 1);
    expect(a.outcomes[0]).toMatchObject({
      channelId: 'partners-hook',
      state: 'failed',
      attempts: 1,
      reason: expect.stringContaining('400'),
      // The reason as a code and values too, which the console says in its reader's language.
      failure: { code: 'http_status', params: expect.objectContaining({ status: '400' }) },
    });
    const b = await settled(laptop, incidentId, orphan, 1);
    expect(b.outcomes[0]).toMatchObject({
      channelId: null,
      state: 'failed',
      reason: 'no channel on the hub serves the audience “internal”',
      failure: { code: 'no_channel', params: { audience: 'internal' } },
    });
  }, 60_000);

  it('with the hub down the update waits on the laptop, and goes once the hub is back', async () => {
    await hub.stop();
    const draftId = sendUpdate(laptop, incidentId, 'customers', 'Le service est rétabli.');
    laptop.sync.syncNow();
    await laptop.sync.idle();
    expect(deliveryOf(laptop, incidentId, draftId)).toMatchObject({ local: 'waiting', outcomes: [] });
    expect(mail.mails).toHaveLength(1);

    const restarted = await startHub({ args: ['--db', hub.dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);
    hub = { ...restarted, token: hub.token, dbFile: hub.dbFile };
    const delivery = await settled(laptop, incidentId, draftId, 2);
    expect(delivery.outcomes.every((o) => o.state === 'delivered')).toBe(true);
    expect(mail.mails).toHaveLength(2);
    expect(parseMail(mail.mails[1]!.raw).body).toBe('Le service est rétabli.');
  }, 60_000);

  it('refuses a configuration file that others can read', async () => {
    const loose = path.join(dir, 'loose.json');
    writeFileSync(loose, '{}');
    chmodSync(loose, 0o644);
    await expect(startHub({ args: ['--db', path.join(dir, 'other.sqlite')], env: {} }, ['--config', loose])).rejects.toThrow(/chmod 600/);
  });
});

describe('the public status page', () => {
  it('shows only incidents marked public and their published customer updates, escaped, without a token', async () => {
    const { incidentId } = laptop.core.handle('incident.declare', { ...declareInput, title: 'Internal title: DB primary lost <b>' });
    laptop.core.handle('timeline.log', { incidentId, entryKind: 'decision', text: 'SECRET decision: fail over to DC2' });
    const { draftId: internalDraft } = laptop.core.handle('comms.draft', {
      incidentId,
      audience: 'internal',
      channel: 'email',
      body: 'SECRET internal update',
    });
    laptop.core.handle('comms.approve', { incidentId, draftId: internalDraft });
    expect(() => laptop.core.handle('status.publish', { incidentId, draftId: internalDraft, status: 'investigating' })).toThrow(/Only updates for customers/);
    const { draftId } = laptop.core.handle('comms.draft', {
      incidentId,
      audience: 'customers',
      channel: 'status_page',
      body: 'Payments are failing <script>alert(1)</script> — we are on it.',
    });
    expect(() => laptop.core.handle('status.publish', { incidentId, draftId, status: 'investigating' })).toThrow(/Approve this update/);
    laptop.core.handle('comms.approve', { incidentId, draftId });
    const { draftId: unpublished } = laptop.core.handle('comms.draft', {
      incidentId,
      audience: 'customers',
      channel: 'status_page',
      body: 'NOT PUBLISHED approved update',
    });
    laptop.core.handle('comms.approve', { incidentId, draftId: unpublished });

    // Published before the incident is marked public: nothing shows until it is.
    laptop.core.handle('status.publish', { incidentId, draftId, status: 'identified' });
    laptop.sync.syncNow();
    await laptop.sync.idle();
    const hidden = await fetch(`${hub.url}/status/ops/status.json`);
    expect(((await hidden.json()) as { incidents: unknown[] }).incidents.map((i) => (i as { id: string }).id)).not.toContain(incidentId);

    laptop.core.handle('status.setVisibility', { incidentId, visible: true, title: 'Card payments <disrupted>', services: ['Checkout', 'Card payments'] });
    laptop.sync.syncNow();
    await laptop.sync.idle();

    const page = await fetch(`${hub.url}/status/ops`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('public, max-age=30');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Card payments &lt;disrupted&gt;');
    expect(html).toContain('Payments are failing &lt;script&gt;alert(1)&lt;/script&gt; — we are on it.');
    expect(html).toContain('Checkout, Card payments');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    for (const secret of ['SECRET', 'NOT PUBLISHED', 'Internal title']) expect(html).not.toContain(secret);
    const etag = page.headers.get('etag')!;
    expect((await fetch(`${hub.url}/status/ops`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const french = await (await fetch(`${hub.url}/status/ops`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } })).text();
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain('Cause identifiée');

    const json = (await (await fetch(`${hub.url}/status/ops/status.json`)).json()) as {
      name: string;
      incidents: { id: string; title: string; status: string; updates: { body: string }[] }[];
    };
    expect(json.name).toBe('Acme status');
    const shown = json.incidents.find((i) => i.id === incidentId)!;
    expect(shown).toMatchObject({ title: 'Card payments <disrupted>', status: 'identified' });
    expect(shown.updates.map((u) => u.body)).toEqual(['Payments are failing <script>alert(1)</script> — we are on it.']);

    const feed = await fetch(`${hub.url}/status/ops/feed.atom`);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atom = await feed.text();
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(atom).toContain(`<id>urn:uuid:${draftId}</id>`);
    expect(atom).toContain('Payments are failing &lt;script&gt;');
    expect(atom).not.toContain('SECRET');

    expect((await fetch(`${hub.url}/status/nobody`)).status).toBe(404);

    // Taken off the page: gone from every form.
    laptop.core.handle('status.setVisibility', { incidentId, visible: false, title: 'Card payments <disrupted>', services: [] });
    laptop.sync.syncNow();
    await laptop.sync.idle();
    expect(await (await fetch(`${hub.url}/status/ops`)).text()).not.toContain('Card payments');
  }, 60_000);
});
