import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { declareInput } from '../helpers.js';
import { openDevice, type Device } from '../sync-support.js';
import { eventually, freePort } from './alertmanager.js';
import { makeCertificate, startMailServer, type MailServer } from './receivers.js';

/**
 * A hub that dies between sending an update and recording what became of it (issue #13): the
 * SMTP server has the mail but never answers, and the hub process is killed (-9) then restarted.
 * The update must not stay "handed to the hub" for ever, and must never be sent a second time:
 * the restarted hub sees that the process that claimed the send is gone, fails it with that
 * reason, and the laptop reads the outcome on its next sync. Real hub process, real SMTP server.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'warroom-delivery-crash-'));
const SMTP_USER = { user: 'warroom-hub', pass: 'correct horse battery staple' };
let mail: MailServer;
let hub: HubProcess;
let token = '';
let dbFile = '';
let configFile = '';
let hubPort = 0;
let laptop: Device;

beforeAll(async () => {
  const cert = makeCertificate(dir);
  mail = await startMailServer(cert, SMTP_USER, { holdReplies: true });
  configFile = path.join(dir, 'hub-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      // A long send timeout: the send is still waiting for the server when the hub is killed.
      retry: { attempts: 4, firstDelayMs: 50, maxDelayMs: 400, timeoutMs: 60_000 },
      teams: {
        ops: {
          channels: [
            {
              id: 'customers-mail',
              kind: 'email',
              audiences: ['customers'],
              smtp: { host: '127.0.0.1', port: mail.port, secure: false, requireTLS: true, auth: SMTP_USER, caFile: cert.certFile },
              from: 'status@acme.example',
              to: ['customers@acme.example'],
            },
          ],
        },
      },
    }),
  );
  chmodSync(configFile, 0o600);
  dbFile = path.join(dir, 'hub.sqlite');
  token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
  hubPort = await freePort();
  hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);
  laptop = openDevice({ dir: path.join(dir, 'laptop'), hubUrl: hub.url, token });
}, 60_000);

afterAll(async () => {
  laptop?.close();
  await hub?.stop();
  // The held SMTP session ends with the server.
  await Promise.race([mail?.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  rmSync(dir, { recursive: true, force: true });
});

const deliveryOf = (incidentId: string, draftId: string) =>
  laptop.core.handle('deliveries.state', { incidentId }).deliveries.find((d) => d.draftId === draftId);

describe('a hub that dies between the send and its outcome', () => {
  it('restarted, it fails the send it cannot vouch for instead of leaving it handed to the hub, and never sends it twice', async () => {
    const { incidentId } = laptop.core.handle('incident.declare', { ...declareInput, title: 'Paiements refusés' });
    const { draftId } = laptop.core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'email', body: 'Les paiements sont rétablis.' });
    laptop.core.handle('comms.approve', { incidentId, draftId });
    laptop.core.handle('comms.send', { incidentId, draftId, channel: 'email', deliver: true, language: 'fr' });

    // The hub took the request and the SMTP server has the mail; its answer never comes.
    await eventually(
      async () => {
        laptop.sync.syncNow();
        await laptop.sync.idle();
        return mail.mails.length === 1 && deliveryOf(incidentId, draftId)?.local === 'handed' ? true : undefined;
      },
      30_000,
      'the mail at the server',
    );
    expect(deliveryOf(incidentId, draftId)!.outcomes).toEqual([]);

    // Killed mid-send, as a crash or a pulled plug would: no outcome was recorded.
    const exited = new Promise((resolve) => hub.child.once('exit', resolve));
    hub.child.kill('SIGKILL');
    await exited;
    hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile, '--port', String(hubPort)]);

    const settled = await eventually(
      async () => {
        laptop.sync.syncNow();
        await laptop.sync.idle();
        const delivery = deliveryOf(incidentId, draftId);
        return delivery && delivery.outcomes.length > 0 ? delivery : undefined;
      },
      30_000,
      'the outcome after the restart',
    );
    expect(settled.outcomes).toEqual([
      expect.objectContaining({
        channelId: 'customers-mail',
        state: 'failed',
        reason: expect.stringMatching(/may or may not have been delivered, so it is not sent again/),
        failure: { code: 'hub_stopped', params: {} },
      }),
    ]);
    // Never sent twice, and one outcome however often the hub reconciles.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    laptop.sync.syncNow();
    await laptop.sync.idle();
    expect(mail.mails).toHaveLength(1);
    expect(laptop.core.handle('timeline.list', { incidentId }).entries.filter((e) => e.kind === 'delivery.outcome')).toHaveLength(1);
  }, 120_000);
});
