import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hubCli } from '../../hub/test/support.js';
import { startTestHub } from '../sync-support.js';
import { tempDir } from '../helpers.js';

let hub: Awaited<ReturnType<typeof startTestHub>>;
let integration = { id: '', secret: '' };

beforeAll(async () => {
  hub = await startTestHub(path.join(tempDir('warroom-alerts-auth-'), 'hub.sqlite'));
  const created = await hubCli(['integration', 'create', 'ops', 'generic', 'Status checker', '--auth', 'bearer', '--db', hub.dbFile]);
  expect(created.code, created.stderr).toBe(0);
  integration = { id: /Integration ([0-9a-f]{12})/.exec(created.stderr)![1]!, secret: created.stdout.trim() };
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

const post = (id: string, secret: string) =>
  fetch(`${hub.url}/v1/alerts/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ title: 'Disk almost full', status: 'firing' }),
  });

it('alerts in count failed authentications per address too: guessed ids and secrets get 429, and so does the right secret from there until the window ends', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    // Half guess an integration id, half guess the secret of a real one.
    const answer = i % 2 ? await post(integration.id, `guess-${i}`) : await post(i.toString(16).padStart(12, '0'), integration.secret);
    statuses.push(answer.status);
  }
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
  expect(statuses.slice(20)).toEqual(Array(10).fill(429));
  const blocked = await post(integration.id, integration.secret);
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  // The team API shares the count: the same address is held there as well.
  const pull = await fetch(`${hub.url}/v1/events?after=0`, { headers: { authorization: `Bearer ${hub.token}` } });
  expect(pull.status).toBe(429);
});
