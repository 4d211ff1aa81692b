import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenKeyring } from '../../shared/api/api.js';
import type { SecretSlot, SecretStore } from './handle.js';

const PLAIN_FILE = 'hub-token';
const SEALED_FILE = 'hub-token.sealed';
/** The team keyring (shared/sync/team-key.ts) is kept exactly like the hub token, in its own file. */
const TEAM_KEY_FILE = 'team-key';

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
 * `keyring` says which keyring was found wanting, when one was asked (basic_text on Linux).
 */
export function privateFileSecretStore(dataDir: string, keyring?: TokenKeyring): SecretStore {
  const file = path.join(dataDir, PLAIN_FILE);
  return {
    kind: 'private_file',
    ...(keyring ? { keyring } : {}),
    load: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    save: (token) => writePrivate(file, token),
    clear: () => rmSync(file, { force: true }),
    teamKey: privateFileSlot(path.join(dataDir, TEAM_KEY_FILE)),
  };
}

function privateFileSlot(file: string): SecretSlot {
  return {
    load: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    save: (secret) => writePrivate(file, secret),
    clear: () => rmSync(file, { force: true }),
  };
}

/**
 * The subset of Electron's safeStorage we use; passed in so this module stays free of Electron
 * (and testable with a stand-in). getSelectedStorageBackend exists on Linux only.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Linux backends that keep the key in a real keyring; anything else is not one. */
const LINUX_KEYRINGS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * Which secret storage safeStorage would really use here. On Linux without a keyring Electron
 * falls back to `basic_text`: a key built into Chromium, the same on every machine, so "encrypted"
 * tokens are readable by anyone who can read the file. That is not a keychain and is never called one.
 */
export function keyringOf(safeStorage: SafeStorageLike, platform: NodeJS.Platform): TokenKeyring {
  if (!safeStorage.isEncryptionAvailable()) return 'none';
  if (platform === 'darwin') return 'macos_keychain';
  if (platform === 'win32') return 'windows_dpapi';
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  if (LINUX_KEYRINGS.has(backend)) return backend as TokenKeyring;
  return backend === 'basic_text' ? 'basic_text' : 'unknown';
}

/**
 * Electron: the token is sealed with the OS keychain (safeStorage) when there is a real one.
 * Without one (no keyring, or Linux's basic_text fallback) it goes to the 0600 private file
 * instead, and the settings say so and why; a token an older version sealed with basic_text is
 * moved there on first load (basic_text protects nothing the file mode does not).
 */
export function keychainSecretStore(dataDir: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretStore {
  const keyring = keyringOf(safeStorage, platform);
  const sealed = path.join(dataDir, SEALED_FILE);
  const sealedTeamKey = path.join(dataDir, `${TEAM_KEY_FILE}.sealed`);
  if (keyring === 'none' || keyring === 'basic_text' || keyring === 'unknown') {
    const plain = privateFileSecretStore(dataDir, keyring);
    return {
      ...plain,
      load: () => {
        const kept = plain.load();
        if (kept !== null || !existsSync(sealed) || keyring === 'none') return kept;
        const token = safeStorage.decryptString(readFileSync(sealed)) || null;
        if (token) plain.save(token);
        rmSync(sealed, { force: true });
        return token;
      },
      clear: () => {
        plain.clear();
        rmSync(sealed, { force: true });
      },
    };
  }
  return {
    kind: 'keychain',
    keyring,
    load: () => (existsSync(sealed) ? safeStorage.decryptString(readFileSync(sealed)) || null : null),
    save: (token) => writePrivate(sealed, safeStorage.encryptString(token)),
    clear: () => rmSync(sealed, { force: true }),
    teamKey: {
      load: () => (existsSync(sealedTeamKey) ? safeStorage.decryptString(readFileSync(sealedTeamKey)) || null : null),
      save: (secret) => writePrivate(sealedTeamKey, safeStorage.encryptString(secret)),
      clear: () => rmSync(sealedTeamKey, { force: true }),
    },
  };
}
