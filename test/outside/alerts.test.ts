import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_STREAM_ID } from '../../shared/alerts/events.js';
import { hubCli } from '../../hub/test/support.js';
import { openDevice, startTestHub, type Device } from '../sync-support.js';
import { eventually, startAlertmanager, type Alertmanager } from './alertmanager.js';

let hub: Awaited<ReturnType<typeof startTestHub>>;
let integration = { id: '', secret: '' };
let hmac = { id: '', secret: '' };
let alertmanager: Alertmanager;
let laptop: Device;

async function createIntegration(kind: string, name: string, auth: 'bearer' | 'hmac') {
  const result = await hubCli(['integration', 'create', 'ops', kind, name, '--auth', auth, '--db', hub.dbFile]);
  expect(result.code, result.stderr).toBe(0);
  const id = /Integration ([0-9a-f]{12})/.exec(result.stderr)![1]!;
  return { id, secret: result.stdout.trim() };
}

// Not tempDir(): that one is emptied after each test, and these live for the whole file.
const dir = mkdtempSync(path.join(tmpdir(), 'warroom-alerts-'));

beforeAll(async () => {
  hub = await startTestHub(path.join(dir, 'hub.sqlite'));
  integration = await createIntegration('alertmanager', 'Prometheus prod', 'bearer');
  hmac = await createIntegration('generic', 'Status checker', 'hmac');
  alertmanager = await startAlertmanager(dir, `${hub.url}/v1/alerts/${integration.id}`, integration.secret);
  laptop = openDevice({ dir: path.join(dir, 'laptop'), hubUrl: hub.url, token: hub.token });
}, 120_000);

afterAll(async () => {
  laptop?.close();
  await alertmanager?.stop();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const alertsOn = (device: Device) => device.core.handle('alerts.list', {});

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

function postGeneric(body: string, headers: Record<string, string>) {
  return fetch(`${hub.url}/v1/alerts/${hmac.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}
const sign = (key: string, body: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

describe('alerts in', () => {
  it('an alert posted to Alertmanager reaches a syncing console, and its resolution follows', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alert = {
      labels: { alertname: 'CheckoutDown', severity: 'critical', service: 'checkout' },
      annotations: { summary: 'Checkout returns 502', description: 'Error rate above 50% for 5 minutes' },
      startsAt,
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=up',
    };
    await alertmanager.post([alert]);
    const seen = await synced(laptop, () => alertsOn(laptop).find((a) => a.title === 'Checkout returns 502'), 'the firing alert');
    expect(seen).toMatchObject({ integration: 'Prometheus prod', sourceKind: 'alertmanager', severity: 'critical', status: 'firing', state: 'new' });
    expect(seen.fingerprint.startsWith(`${integration.id}:`)).toBe(true);
    expect(seen.labels).toContainEqual({ name: 'service', value: 'checkout' });
    expect(Math.abs(seen.startsAt - Date.parse(startsAt))).toBeLessThan(1000);

    await alertmanager.post([{ ...alert, endsAt: new Date().toISOString() }]);
    const resolved = await synced(laptop, () => alertsOn(laptop).find((a) => a.fingerprint === seen.fingerprint && a.status === 'resolved'), 'the resolution');
    expect(resolved.state).toBe('resolved');
    // One event per change, however often Alertmanager repeats itself.
    const received = laptop.store.incidentEvents(ALERTS_STREAM_ID).filter((e) => e.kind === 'alert.received' && e.payload['fingerprint'] === seen.fingerprint);
    expect(received.map((e) => e.payload['status']).sort()).toEqual(['firing', 'resolved']);
  }, 120_000);

  it('a generic alert signed with HMAC is recorded once however often it is posted; a bad signature is refused', async () => {
    const body = JSON.stringify({
      title: 'Login latency high',
      severity: 'warning',
      source: 'synthetics',
      fingerprint: 'login-latency',
      status: 'firing',
      link: 'https://status.example.org/checks/1',
    });
    const first = await postGeneric(body, { 'x-warroom-signature': sign(hmac.secret, body) });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 1, recorded: 1, duplicates: 0 });
    const again = await postGeneric(body, { 'x-warroom-signature': sign(hmac.secret, body) });
    expect(await again.json()).toEqual({ received: 1, recorded: 0, duplicates: 1 });

    const forged = await postGeneric(body, { 'x-warroom-signature': sign('not-the-key', body) });
    expect(forged.status).toBe(401);
    const unsigned = await postGeneric(body, {});
    expect(unsigned.status).toBe(401);
    const otherBody = await postGeneric(body.replace('warning', 'critical'), { 'x-warroom-signature': sign(hmac.secret, body) });
    expect(otherBody.status).toBe(401);

    const seen = await synced(laptop, () => alertsOn(laptop).find((a) => a.fingerprint === `${hmac.id}:login-latency`), 'the generic alert');
    expect(seen).toMatchObject({ severity: 'medium', title: 'Login latency high', link: 'https://status.example.org/checks/1' });
  }, 90_000);

  it('hostile payloads are refused with a reason and record nothing', { timeout: 90_000 }, async () => {
    const before = (await fetch(`${hub.url}/v1/events?after=0&limit=5000`, { headers: { authorization: `Bearer ${hub.token}` } }).then((r) => r.json())) as {
      cursor: number;
    };
    const nested = JSON.stringify({ title: 'deep', description: JSON.parse('['.repeat(40) + ']'.repeat(40)) });
    const cases: [string, string][] = [
      ['prototype key', '{"title":"x","__proto__":{"admin":true}}'],
      ['constructor key', '{"title":"x","link":{"constructor":{"prototype":1}}}'],
      ['nesting', nested],
      ['future clock', JSON.stringify({ title: 'from the future', startsAt: '2999-01-01T00:00:00Z' })],
      ['ancient clock', JSON.stringify({ title: 'from the past', startsAt: '1970-01-01T00:00:00Z' })],
      ['not JSON', '{"title": '],
      ['missing title', JSON.stringify({ severity: 'critical' })],
    ];
    for (const [what, body] of cases) {
      const response = await postGeneric(body, { 'x-warroom-signature': sign(hmac.secret, body) });
      expect(response.status, what).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code, what).toBe('invalid_request');
      expect(answer.error.message.length, what).toBeGreaterThan(0);
    }
    const huge = JSON.stringify({ title: 'big', description: 'x'.repeat(1_100_000) });
    const tooBig = await postGeneric(huge, { 'x-warroom-signature': sign(hmac.secret, huge) });
    expect(tooBig.status).toBe(413);
    const after = (await fetch(`${hub.url}/v1/events?after=0&limit=5000`, { headers: { authorization: `Bearer ${hub.token}` } }).then((r) => r.json())) as {
      cursor: number;
    };
    expect(after.cursor).toBe(before.cursor);
  });

  it('markup in an alert stays text, and a javascript: link is dropped', async () => {
    const body = JSON.stringify({
      title: '<img src=x onerror=alert(1)>',
      fingerprint: 'markup',
      link: 'javascript:alert(1)',
      description: '<script>alert(1)</script>',
    });
    const response = await postGeneric(body, { 'x-warroom-signature': sign(hmac.secret, body) });
    expect(response.status).toBe(200);
    const seen = await synced(laptop, () => alertsOn(laptop).find((a) => a.fingerprint === `${hmac.id}:markup`), 'the markup alert');
    expect(seen.title).toBe('<img src=x onerror=alert(1)>');
    expect(seen.link).toBeNull();
  }, 90_000);

  it('rotating an integration secret refuses the old one at once; revoking refuses the new one', { timeout: 120_000 }, async () => {
    const bearer = await createIntegration('generic', 'Rotating source', 'bearer');
    const post = (secret: string) =>
      fetch(`${hub.url}/v1/alerts/${bearer.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ title: 'rotation check' }),
      });
    const firstPost = await post(bearer.secret);
    expect(firstPost.status, await firstPost.text()).toBe(200);
    const rotated = await hubCli(['integration', 'rotate', bearer.id, '--db', hub.dbFile]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const next = rotated.stdout.trim();
    expect((await post(bearer.secret)).status).toBe(401);
    expect((await post(next)).status).toBe(200);
    expect((await hubCli(['integration', 'revoke', bearer.id, '--db', hub.dbFile])).code).toBe(0);
    expect((await post(next)).status).toBe(401);
    const listed = await hubCli(['integration', 'list', '--db', hub.dbFile]);
    expect(listed.stdout).toContain(bearer.id);
    expect(listed.stdout).not.toContain(next);
  });

  it('the console declares an incident from an alert, attaches another, and acknowledges', async () => {
    const body = JSON.stringify({
      title: 'Payments queue backing up',
      severity: 'critical',
      fingerprint: 'queue',
      startsAt: new Date(Date.now() - 120_000).toISOString(),
    });
    await postGeneric(body, { 'x-warroom-signature': sign(hmac.secret, body) });
    const alert = await synced(laptop, () => alertsOn(laptop).find((a) => a.fingerprint === `${hmac.id}:queue`), 'the queue alert');
    const declared = laptop.core.handle('alerts.declare', {
      fingerprint: alert.fingerprint,
      title: alert.title,
      category: 'software',
      impact: 'high',
      urgency: 'high',
      commander: 'Ann',
    });
    const view = laptop.core.handle('incident.get', { incidentId: declared.incidentId }).incident!;
    expect(view).toMatchObject({
      title: 'Payments queue backing up',
      detectionSource: 'monitoring',
      detectedAt: alert.startsAt,
      occurredAt: alert.startsAt,
      priority: 'P1',
      reporter: 'Status checker',
    });
    const timeline = laptop.core.handle('timeline.list', { incidentId: declared.incidentId }).entries;
    expect(timeline.map((e) => e.kind)).toContain('alert.attached');
    expect(alertsOn(laptop).find((a) => a.fingerprint === alert.fingerprint)!.state).toBe('linked');

    const other = alertsOn(laptop).find((a) => a.fingerprint === `${hmac.id}:login-latency`)!;
    laptop.core.handle('alerts.acknowledge', { fingerprint: other.fingerprint });
    expect(alertsOn(laptop).find((a) => a.fingerprint === other.fingerprint)!.state).toBe('acknowledged');
    expect(() => laptop.core.handle('alerts.acknowledge', { fingerprint: other.fingerprint })).toThrow(/Already acknowledged/);
    laptop.core.handle('alerts.attach', { fingerprint: other.fingerprint, incidentId: declared.incidentId });
    expect(() => laptop.core.handle('alerts.attach', { fingerprint: other.fingerprint, incidentId: declared.incidentId })).toThrow(/already attached/);
    expect(alertsOn(laptop).find((a) => a.fingerprint === other.fingerprint)!.state).toBe('linked');

    // A second laptop sees the same inbox once both have synced.
    laptop.sync.syncNow();
    await laptop.sync.idle();
    const second = openDevice({ dir: path.join(dir, 'second'), hubUrl: hub.url, token: hub.token });
    try {
      await synced(
        second,
        () => (alertsOn(second).find((a) => a.fingerprint === other.fingerprint)?.state === 'linked' ? true : undefined),
        'the link on a second laptop',
      );
      expect(alertsOn(second)).toEqual(alertsOn(laptop));

      // The source resolves the alert: the incident's own record says so, on both laptops, once.
      const resolvedBody = JSON.stringify({
        title: 'Payments queue backing up',
        severity: 'critical',
        fingerprint: 'queue',
        status: 'resolved',
        startsAt: new Date(Date.now() - 120_000).toISOString(),
        endsAt: new Date(Date.now() - 1_000).toISOString(),
      });
      expect((await postGeneric(resolvedBody, { 'x-warroom-signature': sign(hmac.secret, resolvedBody) })).status).toBe(200);
      const resolvedOn = (device: Device) =>
        device.core.handle('timeline.list', { incidentId: declared.incidentId }).entries.filter((e) => e.kind === 'alert.resolved');
      await synced(laptop, () => (resolvedOn(laptop).length > 0 ? true : undefined), 'the resolution in the incident’s record');
      await synced(second, () => (resolvedOn(second).length > 0 ? true : undefined), 'the resolution on the second laptop');
      for (const device of [laptop, second]) {
        device.sync.syncNow();
        await device.sync.idle();
      }
      await synced(laptop, () => (resolvedOn(laptop).length > 0 ? true : undefined), 'the resolution after both synced');
      expect(resolvedOn(laptop)).toHaveLength(1);
      expect(resolvedOn(second)).toHaveLength(1);
      expect(resolvedOn(second)[0]!.id).toBe(resolvedOn(laptop)[0]!.id);
      expect(resolvedOn(laptop)[0]!.payload).toMatchObject({ fingerprint: alert.fingerprint, title: 'Payments queue backing up' });
      // The hub relays it as the incident's event, once, whichever laptop recorded it first.
      const page = (await fetch(`${hub.url}/v1/events?after=0&limit=5000`, { headers: { authorization: `Bearer ${hub.token}` } }).then((r) => r.json())) as {
        events: { kind: string; incidentId: string }[];
      };
      expect(page.events.filter((e) => e.kind === 'alert.resolved' && e.incidentId === declared.incidentId)).toHaveLength(1);
    } finally {
      second.close();
    }
  }, 120_000);
});
