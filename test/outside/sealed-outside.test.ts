import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../shared/sync/team-key.js';
import { hubCli, startHub, type HubProcess } from '../../hub/test/support.js';
import { declareInput } from '../helpers.js';
import { openDevice, type Device } from '../sync-support.js';
import { eventually } from './alertmanager.js';
import { startHttpReceiver, type HttpReceiver } from './receivers.js';

/**
 * Issue #14, what the hub must read is an explicit act: with a sealed team, a delivery and a
 * status-page publication reach the hub in clear only through their own request, an alert is
 * sealed to the team's public key on arrival, and nothing else the commander typed is in the
 * hub's file.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'warroom-sealed-outside-'));
const SECRET_NOTE = 'Suspected insider: badge 4471 copied the customer table';
const HOOK_SECRET = 'a-shared-signing-key-for-the-webhook';
let hub: HubProcess;
let dbFile = '';
let http: HttpReceiver;
let laptop: Device;
let other: Device;
let integration = { id: '', secret: '' };

beforeAll(async () => {
  http = await startHttpReceiver();
  const configFile = path.join(dir, 'hub-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      retry: { attempts: 2, firstDelayMs: 50, maxDelayMs: 200, timeoutMs: 5000 },
      teams: {
        ops: {
          statusPage: { name: 'Acme status' },
          channels: [{ id: 'customers-hook', kind: 'webhook', audiences: ['customers'], url: `${http.url}/hook`, secret: HOOK_SECRET }],
        },
      },
    }),
  );
  chmodSync(configFile, 0o600);
  dbFile = path.join(dir, 'hub.sqlite');
  const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
  const created = await hubCli(['integration', 'create', 'ops', 'generic', 'Status checker', '--auth', 'hmac', '--db', dbFile]);
  integration = { id: /Integration ([0-9a-f]{12})/.exec(created.stderr)![1]!, secret: created.stdout.trim() };
  hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile]);
  const ring = createKeyring('ops', Date.now() - 60_000);
  laptop = openDevice({ dir: path.join(dir, 'laptop'), hubUrl: hub.url, token, keyring: ring });
  other = openDevice({ dir: path.join(dir, 'other'), hubUrl: hub.url, token, keyring: ring });
}, 60_000);

afterAll(async () => {
  laptop?.close();
  other?.close();
  await Promise.all([hub?.stop(), http?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function synced<T>(device: Device, find: () => T | undefined, what: string): Promise<T> {
  return eventually(
    async () => {
      device.sync.syncNow();
      await device.sync.idle();
      return find();
    },
    20_000,
    what,
  );
}

const hubBytes = () => Buffer.concat([dbFile, `${dbFile}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));

describe('a sealed team and the hub features', () => {
  let incidentId = '';

  it('a delivery goes out through its explicit disclosure, its outcome comes back sealed, the notes stay sealed', async () => {
    incidentId = laptop.core.handle('incident.declare', declareInput).incidentId;
    laptop.core.handle('timeline.log', { incidentId, entryKind: 'note', text: SECRET_NOTE });
    const body = 'Card payments fail since 14:02; next update at 14:45.';
    const { draftId } = laptop.core.handle('comms.draft', { incidentId, audience: 'customers', channel: 'email', body });
    laptop.core.handle('comms.approve', { incidentId, draftId });
    laptop.core.handle('comms.send', { incidentId, draftId, channel: 'email', deliver: true, language: 'en' });

    const delivery = await synced(
      laptop,
      () => laptop.core.handle('deliveries.state', { incidentId }).deliveries.find((d) => d.outcomes.length > 0),
      'the outcome',
    );
    expect(delivery.outcomes).toEqual([expect.objectContaining({ channelId: 'customers-hook', state: 'delivered' })]);
    const hook = http.posts.filter((p) => p.path === '/hook');
    expect(hook).toHaveLength(1);
    expect(JSON.parse(hook[0]!.body)).toMatchObject({ body, incidentId });
    expect(hook[0]!.headers['x-warroom-signature']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(hook[0]!.body).digest('hex')}`);

    // The hub wrote the outcome sealed to the team's public key; it is an event of kind 'delivery.outcome' on the laptop only.
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare<[], { body: string }>('SELECT body FROM events').all();
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => 'seal' in (JSON.parse(r.body) as object))).toBe(true);
    expect(rows.filter((r) => (JSON.parse(r.body) as { seal: string }).seal === 'box')).toHaveLength(1);
    const bytes = hubBytes();
    expect(bytes.includes(Buffer.from(SECRET_NOTE))).toBe(false);
    // The title travels in the delivery's subject line, handed over on purpose; the log itself never holds it.
    expect(rows.some((r) => r.body.includes(declareInput.title))).toBe(false);
  }, 60_000);

  it('a status-page publication is read by the hub only from its own disclosure', async () => {
    const { draftId } = laptop.core.handle('comms.draft', {
      incidentId,
      audience: 'customers',
      channel: 'status_page',
      body: 'We are investigating failed card payments.',
    });
    laptop.core.handle('comms.approve', { incidentId, draftId });
    laptop.core.handle('status.publish', { incidentId, draftId, status: 'investigating' });
    laptop.core.handle('status.setVisibility', { incidentId, visible: true, title: 'Card payments disrupted', services: ['Checkout'] });
    laptop.sync.syncNow();
    await laptop.sync.idle();
    const status = (await (await fetch(`${hub.url}/status/ops/status.json`)).json()) as { incidents: { title: string; updates: { body: string }[] }[] };
    expect(status.incidents).toEqual([
      expect.objectContaining({ title: 'Card payments disrupted', updates: [expect.objectContaining({ body: 'We are investigating failed card payments.' })] }),
    ]);
    expect(JSON.stringify(status)).not.toContain(SECRET_NOTE);
  }, 60_000);

  it('an alert is sealed to the team on arrival: the laptops read it, the hub file does not hold it', async () => {
    const body = JSON.stringify({
      title: 'Exfiltration rule 17 fired on db-finance-2',
      severity: 'critical',
      source: 'siem',
      fingerprint: 'exfil-17',
      status: 'firing',
    });
    const posted = await fetch(`${hub.url}/v1/alerts/${integration.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-warroom-signature': `sha256=${createHmac('sha256', integration.secret).update(body).digest('hex')}` },
      body,
    });
    expect(posted.status).toBe(200);
    const seen = await synced(other, () => other.core.handle('alerts.list', {}).find((a) => a.title.startsWith('Exfiltration')), 'the sealed alert');
    expect(seen).toMatchObject({ severity: 'critical', title: 'Exfiltration rule 17 fired on db-finance-2' });
    expect(other.core.handle('quarantine.list', {}).total).toBe(0);
    const bytes = hubBytes();
    expect(bytes.includes(Buffer.from('Exfiltration rule 17'))).toBe(false);
    expect(bytes.includes(Buffer.from('db-finance-2'))).toBe(false);
    // The teammate reads the whole record too.
    expect(other.store.timeline(incidentId).entries.map((e) => e.payload['text'])).toContain(SECRET_NOTE);
  }, 60_000);
});
