import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { foldIncident } from '../shared/record/fold.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { tempDir } from './helpers.js';

const ROUNDS = 24;
const writer = path.join(import.meta.dirname, 'fixtures', 'crash-writer.ts');

/** Run the writer until it has acknowledged `warmup` entries, wait a random moment more, then kill -9 it. */
function runAndKill(dataDir: string, incidentId: string | undefined, warmup: number, extraMs: number): Promise<{ incidentId: string; acknowledged: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, ...(incidentId ? [incidentId] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    let seenIncident = incidentId;
    const acknowledged: string[] = [];
    let scheduled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('incident ')) seenIncident = line.slice(9);
        else if (line) acknowledged.push(line);
      }
      if (!scheduled && acknowledged.length >= warmup) {
        scheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${stderr}`));
      // A partial last line was never fully acknowledged; only whole lines count.
      resolve({ incidentId: seenIncident!, acknowledged });
    });
  });
}

test(`kill -9 at random moments (${ROUNDS} rounds): every acknowledged entry survives and the file stays intact`, async () => {
  const dataDir = tempDir();
  let incidentId: string | undefined;
  const acknowledged: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = await runAndKill(dataDir, incidentId, 1 + Math.floor(Math.random() * 20), Math.floor(Math.random() * 40));
    incidentId = run.incidentId;
    acknowledged.push(...run.acknowledged);
  }
  const store = Store.open(path.join(dataDir, STORE_FILE_NAME));
  try {
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const missing = acknowledged.filter((id) => !store.hasEvent(id));
    expect(missing).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);
    // The projection was committed with each event, so it matches a fresh fold even after the kills.
    expect(store.incidentState(incidentId!)).toEqual(foldIncident(incidentId!, store.incidentEvents(incidentId!)));
  } finally {
    store.close();
  }
}, 180_000);
