import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { WarroomCore } from '../../electron/core/core.js';
import { Store, STORE_FILE_NAME } from '../../electron/store/store.js';

/**
 * What every end-to-end test shares: the built console in browser mode (a real core on a real
 * SQLite file, a real loopback server) and Debian's Chromium to drive it.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENTRY = path.join(ROOT, 'dist', 'electron', 'browser.mjs');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Running {
  child: ChildProcess;
  url: string;
}

/**
 * Start browser mode on `dataDir` and any free port; resolves with the tokenised URL it prints.
 * A console asks its user's name on first launch (test/e2e/record-choice.test.ts); the other
 * tests start with one already given, unless `name` is null. Any free port, unless `port` is given
 * (a restart on the port of an earlier start).
 */
export function startConsole(dataDir: string, { name = 'Alex Martin', port = 0 }: { name?: string | null; port?: number } = {}): Promise<Running> {
  if (name !== null) {
    const store = Store.open(path.join(dataDir, STORE_FILE_NAME));
    if (store.getMeta('actor') === null) store.setMeta('actor', name);
    store.close();
  }
  const child = spawn(process.execPath, [ENTRY, '--data-dir', dataDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`browser mode printed no URL within 20 s:\n${output}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[0] });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => fail(new Error(`browser mode exited with ${code} before printing its URL:\n${output}`)));
  });
}

/** kill -9, as a crash or a pulled plug would, and wait until the process is gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Poll until `read` gives the expected value; playwright-core has no auto-waiting assertions of its own. */
export const eventually = <T>(read: () => Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });

/** Shapes of the page-side gate of holdAnswer (kept on window, so the test process can reach it). */
interface HeldCall {
  /** A call was made while the gate was up (only the first one is held). */
  taken: boolean;
  /** Its answer has been handed to the renderer. */
  answered: boolean;
  /** Hold the request too: the core does the work only once released (a read answered late). */
  request: boolean;
  released: Promise<void>;
  release(): void;
}
type GatedWindow = Window & { warroomHeld?: Map<string, HeldCall> };

/**
 * Hold the answer to the next call on `channel`, as a loaded machine delays it: the call reaches
 * the core at once (its work done, its change notice sent), and the renderer gets the answer only
 * when the returned function is called; that function resolves once the answer has been handed
 * over and drawn (two frames). With `request`, the call itself waits too, so a read answers with
 * what is there when it is released.
 *
 * Done in the page, around its fetch, rather than with page.route: under heavy disk load Chromium's
 * request interception now and then let a held call through unseen (no request event, answered at
 * once), and the test then waited for an answer that had already come (CI, 2026-12-04).
 */
export async function holdAnswer(page: Page, channel: string, { request = false }: { request?: boolean } = {}): Promise<() => Promise<void>> {
  await page.evaluate(
    ([channel, request]) => {
      const held = window as GatedWindow;
      if (!held.warroomHeld) {
        const gates = new Map<string, HeldCall>();
        held.warroomHeld = gates;
        const original = window.fetch.bind(window);
        window.fetch = async (input, init) => {
          const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
          const gate = gates.get(url.pathname.replace(/^\/api\/call\//, ''));
          if (!gate || gate.taken) return original(input, init);
          gate.taken = true;
          if (gate.request) await gate.released;
          const response = await original(input, init);
          // Read whole before the hold: the renderer then parses it at once when it is let go.
          const body = await response.arrayBuffer();
          await gate.released;
          gate.answered = true;
          return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
        };
      }
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      held.warroomHeld.set(channel, { taken: false, answered: false, request, released, release });
    },
    [channel, request] as const,
  );
  const taken = () => page.evaluate((channel) => (window as GatedWindow).warroomHeld!.get(channel)!.taken, channel);
  const answered = () => page.evaluate((channel) => (window as GatedWindow).warroomHeld!.get(channel)!.answered, channel);
  return async () => {
    await expect.poll(taken, { timeout: 10_000, interval: 100, message: `no call to ${channel} was made while its answer was held` }).toBe(true);
    await page.evaluate((channel) => (window as GatedWindow).warroomHeld!.get(channel)!.release(), channel);
    await eventually(answered).toBe(true);
    await page.evaluate((channel) => (window as GatedWindow).warroomHeld!.delete(channel), channel);
    // What the answer sets off (a re-render, a requestAnimationFrame) has run.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  };
}

/** A call to the console's API from inside the page, as the renderer makes it (same origin, its session cookie). */
export function callFromPage(page: Page, channel: string, input: unknown): Promise<Record<string, unknown>> {
  return page.evaluate(
    async ([channel, input]) => {
      const response = await fetch(`/api/call/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
      if (!response.ok) throw new Error(`${channel}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    },
    [channel, input] as const,
  );
}

export interface SeededEntry {
  actor: string;
  entryKind: 'note' | 'finding' | 'hypothesis' | 'action' | 'external';
  text: string;
  minutesAgo: number;
}

/**
 * An incident declared by Ana 30 minutes ago ("Card payments failing") with `entries` logged
 * through the core, as a second laptop's sync would bring them, written before the console starts.
 * Best effort (P5): no SLA clock runs, so no breach entry lands among the seeded ones. Its id.
 */
export function seedIncident(dataDir: string, entries: readonly SeededEntry[]): string {
  const store = Store.open(path.join(dataDir, STORE_FILE_NAME));
  let now = Date.now() - 30 * 60_000;
  const core = new WarroomCore(store, { dataDir, transport: 'browser', now: () => now });
  core.handle('settings.setActor', { actor: 'Ana' });
  const { incidentId } = core.handle('incident.declare', {
    title: 'Card payments failing',
    occurredAt: now,
    detectedAt: now,
    detectionSource: 'monitoring',
    category: 'software',
    impact: 'low',
    urgency: 'low',
    commander: 'Ana',
  });
  for (const { actor, entryKind, text, minutesAgo } of entries) {
    core.handle('settings.setActor', { actor });
    now = Date.now() - minutesAgo * 60_000;
    core.handle('timeline.log', { incidentId, entryKind, text });
  }
  store.close();
  return incidentId;
}
