import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http, { type IncomingHttpHeaders } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, ChangeNoticeSchema, type IncidentSummary } from '../shared/api/api.js';
import { startBrowserServer, type BrowserServer } from '../electron/browser/server.js';
import type { CoreHandle } from '../electron/host/handle.js';
import { startCore } from '../electron/host/host.js';
import { CONTENT_SECURITY_POLICY } from '../electron/host/csp.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const declareInput = {
  title: 'Checkout API returns 502',
  description: 'Customers cannot pay',
  occurredAt: Date.UTC(2026, 10, 25, 9, 0),
  detectedAt: Date.UTC(2026, 10, 25, 9, 5),
  services: ['checkout'],
  reporter: 'noc@example.com',
  detectionSource: 'monitoring',
  category: 'software',
  impact: 'high',
  urgency: 'high',
  commander: 'Alice',
};

let dataDir: string;
let rendererDir: string;
let core: CoreHandle;
let server: BrowserServer;
let cookie: string;

/** http.request rather than fetch: fetch will not let a test forge the Host header. */
function request(method: string, target: string, options: { headers?: Record<string, string>; body?: string | Buffer; address?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.address ?? '127.0.0.1',
        port: server.port,
        method,
        path: target,
        headers: { Host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(channel: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request('POST', `/api/call/${channel}`, {
    headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
    body: JSON.stringify(input),
  });
}

async function incidents(): Promise<IncidentSummary[]> {
  const reply = await call('incidents.list', {});
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as IncidentSummary[];
}

function expectRefusal(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(reply.body) as { code: string; message: string };
  expect(body.code).toBe(code);
  expect(body.message.length).toBeGreaterThan(10);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'warroom-server-data-'));
  rendererDir = mkdtempSync(path.join(os.tmpdir(), 'warroom-server-ui-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Warroom</title><script type="module" src="./app.js"></script>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("warroom");');
  core = await startCore({ dataDir, transport: 'browser' });
  server = await startBrowserServer({ core, port: 0, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('browser-mode server: the token', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the page, the assets, the API and the change stream without the token', async () => {
    for (const [method, target] of [
      ['GET', '/'],
      ['GET', '/app.js'],
      ['POST', '/api/call/incidents.list'],
      ['GET', '/api/changes'],
    ] as const) {
      const reply = await request(method, target, method === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: '{}' } : {});
      expectRefusal(reply, 401, 'unauthorized');
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses a wrong token in the link, in a cookie and as a bearer token', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    expectRefusal(await request('GET', `/?token=${wrong}`), 401, 'unauthorized');
    expectRefusal(await request('GET', '/?token='), 401, 'unauthorized');
    expectRefusal(await request('GET', '/', { headers: { Cookie: `warroom_${server.port}=${wrong}` } }), 401, 'unauthorized');
    expectRefusal(await request('GET', '/', { headers: { Authorization: `Bearer ${wrong}` } }), 401, 'unauthorized');
  });

  it('accepts the launch token as a bearer token for a script, until the link is used', async () => {
    const reply = await call('incidents.list', {}, { Cookie: '', Authorization: `Bearer ${server.token}` });
    expect(reply.status).toBe(200);
  });

  it('trades the token in the link, once, for a separate session value in an HttpOnly SameSite=Strict cookie and drops it from the address bar', async () => {
    const reply = await request('GET', `/?token=${server.token}`);
    // A page that refreshes to '/' by itself, so the cookie is sent even when the link came from another page.
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    const setCookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0] as string;
    const session = cookie.slice(`warroom_${server.port}=`.length);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Other local servers on 127.0.0.1 see this cookie (cookies ignore ports): it must not be the launch token.
    expect(session).not.toBe(server.token);

    // Spent: the link (from the history, another browser, a process list) and the token as Bearer open nothing now,
    // and the session value is not a Bearer token either.
    expectRefusal(await request('GET', `/?token=${server.token}`), 401, 'unauthorized');
    expectRefusal(await call('incidents.list', {}, { Cookie: '', Authorization: `Bearer ${server.token}` }), 401, 'unauthorized');
    expectRefusal(await call('incidents.list', {}, { Cookie: '', Authorization: `Bearer ${session}` }), 401, 'unauthorized');
    expectRefusal(await request('GET', '/', { headers: { Cookie: `warroom_${server.port}=${server.token}` } }), 401, 'unauthorized');
    // The same browser reopening the link from its history is simply let in.
    const reopened = await request('GET', `/?token=${server.token}`, { headers: { Cookie: cookie } });
    expect(reopened.status).toBe(303);
    expect(reopened.headers['set-cookie']).toBeUndefined();

    const page = await request('GET', '/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Warroom</title>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const asset = await request('GET', '/app.js', { headers: { Cookie: cookie } });
    expect(asset.status).toBe(200);
    expect(asset.body).toContain('warroom');
  });
});

describe('browser-mode server: other sites and other hosts', () => {
  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    expectRefusal(await request('GET', '/', { headers: { Host: `evil.example:${server.port}`, Cookie: cookie } }), 421, 'misdirected');
    expectRefusal(await request('GET', `/?token=${server.token}`, { headers: { Host: `evil.example:${server.port}` } }), 421, 'misdirected');
    expectRefusal(await call('incidents.list', {}, { Host: '127.0.0.1' }), 421, 'misdirected');
    expect((await request('GET', '/', { headers: { Host: `localhost:${server.port}`, Cookie: cookie } })).status).toBe(200);
  });

  it('refuses a POST from a foreign Origin and writes nothing', async () => {
    const before = (await incidents()).length;
    expectRefusal(await call('incident.declare', declareInput, { Origin: 'http://evil.example' }), 403, 'forbidden');
    expectRefusal(await call('incident.declare', declareInput, { Origin: 'null' }), 403, 'forbidden');
    expect(await incidents()).toHaveLength(before);
    expect((await call('incidents.list', {}, { Origin: `http://localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a form post (text/plain), which a foreign page could send without a preflight', async () => {
    const reply = await request('POST', '/api/call/incident.declare', {
      headers: { 'Content-Type': 'text/plain', Cookie: cookie },
      body: JSON.stringify(declareInput),
    });
    expectRefusal(reply, 415, 'invalid_input');
  });

  it('is not reachable on any address but 127.0.0.1', async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((nic) => nic !== undefined && nic.family === 'IPv4' && !nic.internal)
      .map((nic) => nic!.address);
    // Linux routes all of 127/8 to loopback: a server bound to 0.0.0.0 would answer on 127.0.0.2.
    if (process.platform === 'linux') others.push('127.0.0.2');
    expect(others.length).toBeGreaterThan(0);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port: server.port, timeout: 2000 });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connecting to ${address}:${server.port}`).not.toBe('connected');
    }
  });
});

describe('browser-mode server: the API', () => {
  it('declares an incident and lists it', async () => {
    const declared = await call('incident.declare', declareInput);
    expect(declared.status).toBe(200);
    expect(declared.headers['cache-control']).toBe('no-store');
    const { incidentId } = JSON.parse(declared.body) as { incidentId: string };
    const list = await incidents();
    expect(list.find((i) => i.id === incidentId)).toMatchObject({ title: 'Checkout API returns 502', priority: 'P1', commander: 'Alice' });
  });

  it('answers invalid input with 400 and the reason, and records nothing', async () => {
    const before = await incidents();
    const reply = await call('incident.declare', { ...declareInput, title: '', impact: 'enormous' });
    expect(reply.status).toBe(400);
    const body = ApiErrorSchema.parse(JSON.parse(reply.body));
    expect(body.code).toBe('invalid_input');
    expect(body.message).toContain('title');
    expect(body.message).toContain('impact');
    expect(body.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['title', 'impact']));
    expect(await incidents()).toEqual(before);
  });

  it('answers malformed JSON with 400', async () => {
    const reply = await request('POST', '/api/call/incidents.list', {
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: '{"title": ',
    });
    expectRefusal(reply, 400, 'invalid_input');
  });

  it('answers JSON nested 200,000 levels deep with 400 (not 500), on a call and on an archive import, and records nothing', async () => {
    const before = await incidents();
    const deep = `{"incidentId":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    for (const channel of ['incident.get', 'archive.import']) {
      const reply = await request('POST', `/api/call/${channel}`, { headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: deep });
      expectRefusal(reply, 400, 'invalid_input');
      expect(JSON.parse(reply.body).message).toMatch(/nested more than 32 levels/);
    }
    // Within the depth limit but still hostile: a prototype name as a key is just an unknown key.
    expectRefusal(await call('settings.setAudience', JSON.parse('{"audience":"ops","everyMs":60000,"__proto__":{"active":true}}')), 400, 'invalid_input');
    expectRefusal(await call('settings.setAudience', { audience: '__proto__', everyMs: 60_000 }), 400, 'invalid_input');
    expect((await call('incidents.list', {})).status).toBe(200);
    expect(await incidents()).toEqual(before);
  });

  it('answers an unknown channel with 404, including names inherited from Object', async () => {
    for (const name of ['incident.delete', 'toString', '__proto__', 'constructor']) {
      expectRefusal(await call(name, {}), 404, 'unknown_channel');
    }
  });

  it('refuses a body over 1 MiB with 413 and records nothing', async () => {
    const before = await incidents();
    const reply = await call('incident.declare', { ...declareInput, description: 'x'.repeat(1024 * 1024) });
    expectRefusal(reply, 413, 'invalid_input');
    expect(JSON.parse(reply.body).message).toMatch(/larger than 1048576 bytes/);
    expect(await incidents()).toEqual(before);
  });

  it('answers a route that does not exist with 404', async () => {
    expectRefusal(await request('GET', '/nothing-here.js', { headers: { Cookie: cookie } }), 404, 'not_found');
  });
});

describe('browser-mode server: the change stream', () => {
  it('needs the token, then delivers a notice after each command', async () => {
    expectRefusal(await request('GET', '/api/changes'), 401, 'unauthorized');

    const { incidentId } = JSON.parse((await call('incident.declare', declareInput)).body) as { incidentId: string };
    const received = new Promise<unknown>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: server.port, path: '/api/changes', headers: { Host: `127.0.0.1:${server.port}`, Cookie: cookie } },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            if (buffer.startsWith(': connected\n\n')) {
              buffer = buffer.slice(': connected\n\n'.length);
              void call('timeline.log', { incidentId, entryKind: 'decision', text: 'Roll back the deploy' });
            }
            const data = /^data: (.*)\n\n/m.exec(buffer);
            if (data) {
              req.destroy();
              resolve(JSON.parse(data[1] as string));
            }
          });
        },
      );
      req.on('error', reject);
    });
    const notice = ChangeNoticeSchema.parse(await received);
    expect(notice.incidentIds).toEqual([incidentId]);
    expect(notice.eventIds).toHaveLength(1);
  });
});

describe('browser mode as a process (dist/electron/browser.mjs)', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const entry = path.join(root, 'dist', 'electron', 'browser.mjs');
  const dirs: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(() => {
    // `npm test` builds first; a lone run of this file builds what is missing.
    if (!existsSync(entry) || !existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
      expect(spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' }).status).toBe(0);
    }
  });

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function launch(args: string[]) {
    const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, LANG: 'en_US.UTF-8' } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout);
        if (match) resolve(match[1] as string);
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before printing a URL: ${stderr}`)));
    });
    // Not every launch is expected to print a URL; only an awaited one may fail the test.
    url.catch(() => undefined);
    return { child, url, exited, output: () => ({ stdout, stderr }) };
  }

  async function callOver(url: string, channel: string, input: unknown) {
    const { origin, searchParams } = new URL(url);
    const reply = await fetch(`${origin}/api/call/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
      body: JSON.stringify(input),
    });
    expect(reply.status).toBe(200);
    return reply.json() as Promise<unknown>;
  }

  it('prints one line with the URL, refuses a second process on the same data, stops cleanly on SIGTERM and keeps the record', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'warroom-browser-main-'));
    dirs.push(dataDir);
    const first = launch(['--data-dir', dataDir, '--port', '0']);
    const url = await first.url;
    await callOver(url, 'incident.declare', declareInput);

    const second = launch(['--data-dir', dataDir, '--port', '0']);
    expect(await second.exited).toBe(1);
    expect(second.output().stdout).toBe('');
    expect(second.output().stderr).toContain(`Another Warroom (process ${first.child.pid}) is already using ${dataDir}`);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output().stdout).toBe(`Warroom console (browser mode): ${url}\n`);
    // The holder's name goes with it; the empty OS-lock file stays, free.
    expect(existsSync(path.join(dataDir, 'warroom.instance-lock.owner'))).toBe(false);

    const again = launch(['--data-dir', dataDir, '--port', '0']);
    const list = (await callOver(await again.url, 'incidents.list', {})) as IncidentSummary[];
    expect(list.map((i) => i.title)).toEqual([declareInput.title]);

    // No keychain in browser mode: the hub token goes to a file only this user may read, outside the store.
    await callOver(await again.url, 'sync.configure', { hubUrl: 'http://127.0.0.1:9/', token: 'team-secret-token-4242', enabled: false });
    const tokenFile = path.join(dataDir, 'hub-token');
    expect(await callOver(await again.url, 'app.info', {})).toMatchObject({ tokenStore: 'private_file' });
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe('team-secret-token-4242');
    if (process.platform !== 'win32') expect(statSync(tokenFile).mode & 0o077).toBe(0);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('lists its options for --help and refuses a bad option with the reason', async () => {
    const help = launch(['--help']);
    expect(await help.exited).toBe(0);
    for (const option of ['--data-dir', '--port', '--no-open', '--help']) expect(help.output().stdout).toContain(option);
    const bad = launch(['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain('--port: must be a whole number');
  });
});
