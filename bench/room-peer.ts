import path from 'node:path';
import { createInterface } from 'node:readline';
import { WarroomCore } from '../electron/core/core.js';
import { RoomServer } from '../electron/sync/room.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import type { TeamKeyring } from '../shared/sync/team-key.js';

/**
 * A console serving its store to room peers, in a process of its own (bench/room.bench.ts): as
 * in a room, the laptop that serves is not the one that pulls. Reads `{ dir, ring }` as one JSON
 * line on stdin (the keyring never on the command line), prints its peer code as one JSON line,
 * and serves until stdin closes.
 */
const lines = createInterface({ input: process.stdin });
let store: Store | null = null;
let server: RoomServer | null = null;
lines.once('line', (line) => {
  const { dir, ring } = JSON.parse(line) as { dir: string; ring: TeamKeyring };
  store = Store.open(path.join(dir, STORE_FILE_NAME));
  // The search index a console running all along would have built while it was idle: not this bench's to time.
  store.searchIndex.catchUp();
  const core = new WarroomCore(store, { dataDir: dir, transport: 'browser' });
  server = new RoomServer({ core, store, keyring: () => ring });
  void server.listen('127.0.0.1', 0).then((code) => process.stdout.write(`${JSON.stringify(code)}\n`));
});
lines.once('close', () => {
  void (server?.close() ?? Promise.resolve()).then(() => {
    store?.close();
    process.exit(0);
  });
});
