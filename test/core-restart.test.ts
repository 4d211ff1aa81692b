import type { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import type { ChangeNotice } from '../shared/api/api.js';
import { startCore } from '../electron/host/host.js';
import { declareInput, tempDir } from './helpers.js';

test('a core worker that dies is replaced: the call it held fails with a reason, the next ones work, and windows are told', async () => {
  const dir = tempDir();
  const workers: Worker[] = [];
  const core = await startCore({ dataDir: dir, transport: 'browser', onWorker: (worker) => workers.push(worker) });
  const notices: ChangeNotice[] = [];
  core.onChange((notice) => notices.push(notice));
  try {
    const { incidentId } = await core.call('incident.declare', declareInput);
    await core.call('timeline.log', { incidentId, entryKind: 'note', text: 'before the crash' });

    // A call on the wire when the thread dies (as a native crash or an out-of-memory would kill it).
    // Sent once the thread is being stopped, so it can never be answered: sent before, a fast
    // thread could answer it first and the test would depend on the machine's load.
    const dying = workers[0]!.terminate();
    const inFlight = core.call('incidents.list', {});
    await dying;
    await expect(inFlight).rejects.toThrow(/restarted/);

    // The console carries on with a new worker on the same record.
    await core.call('timeline.log', { incidentId, entryKind: 'note', text: 'after the crash' });
    const { entries } = await core.call('timeline.list', { incidentId });
    expect(entries.map((e) => e.payload['text']).filter(Boolean)).toEqual(['before the crash', 'after the crash']);
    expect(workers).toHaveLength(2);
    expect(notices).toContainEqual({ incidentIds: [], eventIds: [], coreRestarted: true });
  } finally {
    await core.close();
  }
});
