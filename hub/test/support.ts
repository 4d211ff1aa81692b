import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { uuidv7 } from 'uuidv7';
import { encodeHlc } from '../../shared/record/hlc.js';
import type { EventEnvelope } from '../../shared/record/events.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliArgs = ['--import', 'tsx', 'hub/cli.ts'];
/** The hub as `npm run hub` runs it: the bundle scripts/build.mjs writes, on plain Node. */
export const BUILT_HUB = ['dist/hub/cli.mjs'];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the hub command line as an operator would, in its own process. */
export async function hubCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...cliArgs, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** How a hub process finds its storage: `--db FILE` for SQLite, DATABASE_URL for PostgreSQL. */
export interface StorageArgs {
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface HubProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A real hub on 127.0.0.1 and a free port, resolved once it says where it listens. */
export function startHub(storage: StorageArgs, extraArgs: string[] = [], entry: string[] = cliArgs): Promise<HubProcess> {
  const child = spawn(process.execPath, [...entry, 'serve', '--port', '0', '--log-level', 'warn', ...storage.args, ...extraArgs], {
    cwd: repoRoot,
    env: { ...process.env, ...storage.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start within 45 s:\n${output}`));
      // Compiling hub/cli.ts through tsx takes 1–2 s on an idle machine, over 20 s at a load of 20.
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${output}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

let clock = Date.UTC(2025, 0, 1);

/** A valid event of a known kind (a timeline note); each call gets a new id and a later HLC. */
export function noteEvent(incidentId: string, text: string, deviceId = 'laptop-a'): EventEnvelope {
  const at = clock++;
  return {
    id: uuidv7(),
    incidentId,
    kind: 'timeline.entry',
    payload: { entryKind: 'note', text, occurredAt: at },
    actor: 'Ann Commander',
    deviceId,
    hlc: encodeHlc({ wall: at, counter: 0, node: deviceId }),
    recordedAt: at,
  };
}

/** An event of a kind this version does not know, as a newer version would write it. */
export function futureEvent(incidentId: string): EventEnvelope {
  const at = clock++;
  return {
    id: uuidv7(),
    incidentId,
    kind: 'postmortem.factor_added',
    payload: { factor: 'alert fatigue', weight: 0.7, tags: ['people', 'process'], nested: { why: [1, 2, 3] } },
    actor: 'Bo Reviewer',
    deviceId: 'laptop-b',
    hlc: encodeHlc({ wall: at, counter: 0, node: 'laptop-b' }),
    recordedAt: at,
  };
}
