import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { declareInput } from '../helpers.js';
import { openDevice, type Device } from '../sync-support.js';
import { eventually, freePort } from './alertmanager.js';
import { makeCertificate, parseMail, startHttpReceiver, startMailServer, type HttpReceiver, type MailServer } from './receivers.js';

/**
 * A send whose answer never comes (issue #13: "a retried delivery never sends twice"). The hub's
 * send timeout is short; a real SMTP server keeps a message and answers its final dot only after
 * the hub gave up, and a local HTTP receiver reads a post whole and never answers. Where the
 * receiver may have acted on it, the hub does not send again: the mail and the chat post fail as
 * "may or may not have been delivered"; the generic webhook, whose receivers dedupe on the
 * Idempotency-Key, is sent again with the same key and the same bytes. A failure before the data
 * (a greylisted recipient) is still retried. Real hub process, real SMTP server, real laptop.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'warroom-delivery-timeout-'));
const SMTP_USER = { user: 'warroom-hub', pass: 'correct horse battery staple' };
const HOOK_SECRET = 'a-shared-signing-key-for-the-webhook';
const TIMEOUT_MS = 1_500;
let mail: MailServer;
let http: HttpReceiver;
let hub: HubProcess;
let laptop: Device;
let incidentId = '';

beforeAll(async () => {
  const cert = makeCertificate(dir);
  [mail, http] = await Promise.all([
    startMailServer(cert, SMTP_USER, { holdFirstReplyTo: { address: 'held@acme.example', ms: 3 * TIMEOUT_MS }, greylistOnce: 'greylisted@acme.example' }),
    startHttpReceiver(),
  ]);
  const smtp = { host: '127.0.0.1', port: mail.port, secure: false, requireTLS: true, auth: SMTP_USER, caFile: cert.certFile };
  const configFile = path.join(dir, 'hub-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      retry: { attempts: 4, firstDelayMs: 50, maxDelayMs: 200, timeoutMs: TIMEOUT_MS },
      teams: {
        ops: {
          channels: [
            { id: 'held-mail', kind: 'email', audiences: ['customers'], smtp, from: 'status@acme.example', to: ['held@acme.example'] },
            { id: 'greylisted-mail', kind: 'email', audiences: ['internal'], smtp, from: 'status@acme.example', to: ['greylisted@acme.example'] },
            { id: 'exec-slack', kind: 'slack', audiences: ['executives'], url: `${http.url}/slack` },
            { id: 'partners-hook', kind: 'webhook', audiences: ['partners'], url: `${http.url}/hook`, secret: HOOK_SECRET },
          ],
        },
      },
    }),
  );
  chmodSync(configFile, 0o600);
  const dbFile = path.join(dir, 'hub.sqlite');
  const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
  hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(await freePort())]);
  laptop = openDevice({ dir: path.join(dir, 'laptop'), hubUrl: hub.url, token });
  incidentId = laptop.core.handle('incident.declare', { ...declareInput, title: 'Paiements refusés' }).incidentId;
}, 60_000);

afterAll(async () => {
  laptop?.close();
  await Promise.all([hub?.stop(), http?.close(), Promise.race([mail?.close(), new Promise((resolve) => setTimeout(resolve, 2_000))])]);
  rmSync(dir, { recursive: true, force: true });
});

function sendUpdate(audience: string, body: string): string {
  const { draftId } = laptop.core.handle('comms.draft', { incidentId, audience, channel: 'email', body });
  laptop.core.handle('comms.approve', { incidentId, draftId });
  laptop.core.handle('comms.send', { incidentId, draftId, channel: 'email', deliver: true, language: 'fr' });
  return draftId;
}

async function outcomeOf(draftId: string) {
  return eventually(
    async () => {
      laptop.sync.syncNow();
      await laptop.sync.idle();
      return laptop.core.handle('deliveries.state', { incidentId }).deliveries.find((d) => d.draftId === draftId)?.outcomes[0];
    },
    30_000,
    `the outcome of ${draftId}`,
  );
}

/** Long enough for every retry the configuration allows (4 attempts, 200 ms apart at most, each bounded by the timeout). */
const retriesWindow = () => new Promise((resolve) => setTimeout(resolve, 4 * TIMEOUT_MS));

describe('a send whose answer never comes', () => {
  it('a mail the server kept but never confirmed in time is not sent again', async () => {
    const draftId = sendUpdate('customers', 'Les paiements sont rétablis.');
    const outcome = await outcomeOf(draftId);
    expect(outcome).toMatchObject({
      channelId: 'held-mail',
      state: 'failed',
      attempts: 1,
      reason: expect.stringMatching(/may or may not have been delivered, so it is not sent again/),
      failure: { code: 'smtp_no_answer', params: expect.objectContaining({ server: expect.any(String) }) },
    });
    await retriesWindow();
    const held = mail.mails.filter((m) => m.to.includes('held@acme.example'));
    expect(held).toHaveLength(1);
    // The id a mail system can dedupe on, derived from the update and the channel.
    expect(parseMail(held[0]!.raw).headers.get('message-id')).toBe(`<${draftId}.held-mail@warroom.invalid>`);
  }, 60_000);

  it('a mail refused before its data (a greylisted recipient) is still tried again, and arrives once', async () => {
    const draftId = sendUpdate('internal', 'Bascule terminée.');
    const outcome = await outcomeOf(draftId);
    expect(outcome).toMatchObject({ channelId: 'greylisted-mail', state: 'delivered', attempts: 2 });
    expect(mail.mails.filter((m) => m.to.includes('greylisted@acme.example'))).toHaveLength(1);
  }, 60_000);

  it('a chat post read whole but never answered is not posted again', async () => {
    http.stallNext('/slack', 1);
    const draftId = sendUpdate('executives', 'Card payments restored.');
    const outcome = await outcomeOf(draftId);
    expect(outcome).toMatchObject({
      channelId: 'exec-slack',
      state: 'failed',
      attempts: 1,
      reason: expect.stringMatching(/may or may not have been delivered, so it is not sent again/),
      failure: { code: 'no_answer', params: expect.objectContaining({ host: expect.any(String) }) },
    });
    await retriesWindow();
    expect(http.posts.filter((p) => p.path === '/slack')).toHaveLength(1);
  }, 60_000);

  it('the generic webhook is sent again with the same Idempotency-Key and the same bytes, for its receiver to dedupe', async () => {
    http.stallNext('/hook', 1);
    const draftId = sendUpdate('partners', 'Partner notice: card payments restored.');
    const outcome = await outcomeOf(draftId);
    expect(outcome).toMatchObject({ channelId: 'partners-hook', state: 'delivered', attempts: 2 });
    const posts = http.posts.filter((p) => p.path === '/hook');
    expect(posts.map((p) => p.status)).toEqual([0, 200]);
    expect(posts.map((p) => p.headers['idempotency-key'])).toEqual([`${draftId}/partners-hook`, `${draftId}/partners-hook`]);
    expect(posts[1]!.body).toBe(posts[0]!.body);
    expect(posts[1]!.headers['x-warroom-signature']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(posts[1]!.body).digest('hex')}`);
  }, 60_000);
});
