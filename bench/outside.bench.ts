import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WarroomCore } from '../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { SyncEngine } from '../electron/sync/sync.js';
import { hubCli, startHub } from '../hub/test/support.js';
import { startAlertmanager } from '../test/outside/alertmanager.js';
import { startHttpReceiver, makeCertificate, startMailServer } from '../test/outside/receivers.js';
import { percentile } from './stats.js';

const FAST = { pushDelayMs: 5, pollMs: 50, backoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 3_000 };

function laptop(dir: string, hubUrl: string, token: string) {
  const store = Store.open(path.join(dir, STORE_FILE_NAME));
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  const sync = new SyncEngine(core, store, { token, timing: FAST });
  core.attachSync(sync);
  sync.configure({ hubUrl, token, enabled: true });
  return { store, core, sync, close: () => (sync.stop(), store.close()) };
}

/**
 * Alert posted to Debian's Alertmanager → visible in a console that syncs every 50 ms. Bounded
 * below by Alertmanager's group_wait (set to 100 ms here) and the console's poll interval.
 */
export async function benchAlertToConsole(rounds = 20): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-alerts-'));
  const dbFile = path.join(dir, 'hub.sqlite');
  const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
  const created = await hubCli(['integration', 'create', 'ops', 'alertmanager', 'Bench', '--db', dbFile]);
  const id = /Integration ([0-9a-f]{12})/.exec(created.stderr)![1]!;
  const hub = await startHub({ args: ['--db', dbFile], env: {} });
  const am = await startAlertmanager(dir, `${hub.url}/v1/alerts/${id}`, created.stdout.trim(), '100ms');
  const device = laptop(path.join(dir, 'laptop'), hub.url, token);
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const title = `Bench alert ${i}`;
      const start = performance.now();
      // Each alert its own group (alertname), so each one waits group_wait, not group_interval.
      await am.post([{ labels: { alertname: `Bench${i}`, severity: 'critical' }, annotations: { summary: title } }]);
      for (;;) {
        if (device.core.handle('alerts.list', {}).some((a) => a.title === title)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      samples.push(performance.now() - start);
    }
  } finally {
    device.close();
    await am.stop();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `alert posted to Alertmanager → visible in a syncing console (${rounds} alerts, group_wait 100 ms, poll 50 ms): p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms`,
  );
}

/** 100 approved updates, each to 3 channels (e-mail with STARTTLS, Slack, a signed webhook): time until all delivered, and duplicates. */
export async function benchDeliveries(updates = 100): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-bench-deliveries-'));
  const cert = makeCertificate(dir);
  const credentials = { user: 'bench', pass: 'bench-password' };
  const [mail, http] = await Promise.all([startMailServer(cert, credentials), startHttpReceiver()]);
  const configFile = path.join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      retry: { attempts: 5, firstDelayMs: 50, maxDelayMs: 1000, timeoutMs: 10_000 },
      teams: {
        ops: {
          channels: [
            {
              id: 'mail',
              kind: 'email',
              audiences: ['customers'],
              smtp: { host: '127.0.0.1', port: mail.port, auth: credentials, caFile: cert.certFile },
              from: 'hub@bench.example',
              to: ['all@bench.example'],
            },
            { id: 'slack', kind: 'slack', audiences: ['customers'], url: `${http.url}/slack` },
            { id: 'hook', kind: 'webhook', audiences: ['customers'], url: `${http.url}/hook`, secret: 'bench-signing-key-0123456789' },
          ],
        },
      },
    }),
  );
  chmodSync(configFile, 0o600);
  const dbFile = path.join(dir, 'hub.sqlite');
  const token = (await hubCli(['token', 'create', 'ops', '--db', dbFile])).stdout.trim();
  const hub = await startHub({ args: ['--db', dbFile], env: {} }, ['--config', configFile]);
  const device = laptop(path.join(dir, 'laptop'), hub.url, token);
  try {
    const { incidentId } = device.core.handle('incident.declare', {
      title: 'Bench incident',
      occurredAt: Date.now() - 60_000,
      detectedAt: Date.now() - 60_000,
      detectionSource: 'monitoring',
      category: 'network',
      impact: 'high',
      urgency: 'high',
      commander: 'Bench',
    });
    const start = performance.now();
    for (let i = 0; i < updates; i++) {
      const { draftId } = device.core.handle('comms.draft', {
        incidentId,
        audience: 'customers',
        channel: 'email',
        body: `Update ${i}: still on it — prochaine mise à jour dans 30 min.`,
      });
      device.core.handle('comms.approve', { incidentId, draftId });
      device.core.handle('comms.send', { incidentId, draftId, channel: 'email', deliver: true, language: 'fr' });
    }
    for (;;) {
      const outcomes = device.core.handle('deliveries.state', { incidentId }).deliveries.reduce((n, d) => n + d.outcomes.length, 0);
      if (outcomes >= updates * 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = performance.now() - start;
    const ids = [...mail.mails.map((m) => /x-warroom-delivery-id: (\S+)/i.exec(m.raw)?.[1]), ...http.posts.map((p) => String(p.headers['idempotency-key']))];
    const duplicates = ids.length - new Set(ids).size;
    const failed = device.core
      .handle('deliveries.state', { incidentId })
      .deliveries.flatMap((d) => d.outcomes)
      .filter((o) => o.state !== 'delivered').length;
    console.log(
      `${updates} updates × 3 channels (e-mail STARTTLS+auth, Slack, signed webhook) delivered in ${(elapsed / 1000).toFixed(2)} s (from the first send to the last outcome on the laptop); ${ids.length} received, ${duplicates} duplicates, ${failed} failed`,
    );
  } finally {
    device.close();
    await hub.stop();
    await Promise.all([mail.close(), http.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
