import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './handle.js';

const PLAIN_FILE = 'hub-token';
const SEALED_FILE = 'hub-token.sealed';

function writePrivate(file: string, data: string | Buffer): void {
  // Write then rename, so a crash never leaves half a token behind.
  const temp = `${file}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/**
 * Browser mode has no OS keychain: the token sits in a file only this user can read, next to
 * (never inside) the SQLite store, so copying the data file to a colleague never leaks it.
 */
export function privateFileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, PLAIN_FILE);
  return {
    kind: 'private_file',
    load: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    save: (token) => writePrivate(file, token),
    clear: () => rmSync(file, { force: true }),
  };
}

/** The subset of Electron's safeStorage we use; passed in so this module stays free of Electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Electron: the token is sealed with the OS keychain (safeStorage); falls back to a private file where none exists. */
export function keychainSecretStore(dataDir: string, safeStorage: SafeStorageLike): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return privateFileSecretStore(dataDir);
  const file = path.join(dataDir, SEALED_FILE);
  return {
    kind: 'keychain',
    load: () => (existsSync(file) ? safeStorage.decryptString(readFileSync(file)) || null : null),
    save: (token) => writePrivate(file, safeStorage.encryptString(token)),
    clear: () => rmSync(file, { force: true }),
  };
}
