import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acquireDataLock } from '../electron/store/data-lock.js';
import { Store, STORE_FILE_NAME } from '../electron/store/store.js';
import { startHub } from '../hub/test/support.js';
import { SqliteHubStorage } from '../hub/storage-sqlite.js';
import { declareInput, tempDir } from './helpers.js';
import { WarroomCore } from '../electron/core/core.js';

/** Incidents, the people directory and the hub's team records are for their owner's eyes only. */

const mode = (file: string) => statSync(file).mode & 0o777;
let umask = 0;
beforeAll(() => {
  // The usual desktop umask, under which a plain create gives 0755 folders and 0644 files.
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

describe('the data folder and the store are private to the user', () => {
  test('a new data folder is 0700 and the store and its journal 0600', () => {
    const dir = path.join(tempDir(), 'Warroom');
    const lock = acquireDataLock(dir);
    const store = Store.open(path.join(dir, STORE_FILE_NAME));
    new WarroomCore(store, { dataDir: dir, transport: 'browser' }).handle('incident.declare', declareInput);
    try {
      expect(mode(dir)).toBe(0o700);
      for (const suffix of ['', '-wal', '-shm']) expect(mode(path.join(dir, `${STORE_FILE_NAME}${suffix}`))).toBe(0o600);
    } finally {
      store.close();
      lock.release();
    }
  });

  test('a folder and store made readable by an older version are closed again when opened', () => {
    const dir = path.join(tempDir(), 'Warroom');
    const file = path.join(dir, STORE_FILE_NAME);
    Store.open(file).close();
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    const store = Store.open(file);
    try {
      expect(mode(dir)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
    } finally {
      store.close();
    }
  });
});

describe('the hub database is private to the user', () => {
  test('a real hub process makes its folder 0700 and its file 0600, and closes a file an older version left 0644', async () => {
    const dir = path.join(tempDir(), 'hub-data');
    const file = path.join(dir, 'hub.sqlite');
    const hub = await startHub({ args: ['--db', file], env: {} });
    try {
      expect(mode(dir)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      if (existsSync(`${file}-wal`)) expect(mode(`${file}-wal`)).toBe(0o600);
    } finally {
      await hub.stop();
    }
    chmodSync(file, 0o644);
    const reopened = new SqliteHubStorage(file);
    expect(mode(file)).toBe(0o600);
    await reopened.close();
  });
});
