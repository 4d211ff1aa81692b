import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { keychainSecretStore, keyringOf, type SafeStorageLike } from '../electron/host/secrets.js';
import { startCore } from '../electron/host/host.js';
import { tempDir } from './helpers.js';

/**
 * A stand-in for Electron's safeStorage (Electron's API, not one of ours; Electron cannot run
 * here): it seals by reversing and tagging the text, and says which backend it would use.
 */
function safeStorage(backend: string | null, available = true): SafeStorageLike & { sealed: number } {
  const stand = {
    sealed: 0,
    isEncryptionAvailable: () => available,
    encryptString(text: string) {
      stand.sealed++;
      return Buffer.from(`sealed:${[...text].reverse().join('')}`);
    },
    decryptString: (data: Buffer) => [...data.toString().replace(/^sealed:/, '')].reverse().join(''),
    ...(backend === null ? {} : { getSelectedStorageBackend: () => backend }),
  };
  return stand;
}

describe('where the hub token is kept, and what the settings are told', () => {
  test('the real backend is named: a Linux keyring, the macOS keychain, DPAPI on Windows', () => {
    expect(keyringOf(safeStorage('gnome_libsecret'), 'linux')).toBe('gnome_libsecret');
    expect(keyringOf(safeStorage('kwallet6'), 'linux')).toBe('kwallet6');
    expect(keyringOf(safeStorage('basic_text'), 'linux')).toBe('basic_text');
    expect(keyringOf(safeStorage('something_new'), 'linux')).toBe('unknown');
    expect(keyringOf(safeStorage(null), 'darwin')).toBe('macos_keychain');
    expect(keyringOf(safeStorage(null), 'win32')).toBe('windows_dpapi');
    expect(keyringOf(safeStorage('gnome_libsecret', false), 'linux')).toBe('none');
  });

  test('with a real keyring the token is sealed by it, and the store says which one', () => {
    const dir = tempDir();
    const stand = safeStorage('gnome_libsecret');
    const secrets = keychainSecretStore(dir, stand, 'linux');
    expect({ kind: secrets.kind, keyring: secrets.keyring }).toEqual({ kind: 'keychain', keyring: 'gnome_libsecret' });
    secrets.save('team-token-1');
    expect(stand.sealed).toBe(1);
    expect(readFileSync(path.join(dir, 'hub-token.sealed'), 'utf8')).not.toContain('team-token-1');
    expect(secrets.load()).toBe('team-token-1');
  });

  test('under basic_text the token is never "sealed" with the built-in key: it goes to the 0600 private file, and the store says so', () => {
    const dir = tempDir();
    const stand = safeStorage('basic_text');
    const secrets = keychainSecretStore(dir, stand, 'linux');
    expect({ kind: secrets.kind, keyring: secrets.keyring }).toEqual({ kind: 'private_file', keyring: 'basic_text' });
    secrets.save('team-token-2');
    expect(stand.sealed).toBe(0);
    expect(existsSync(path.join(dir, 'hub-token.sealed'))).toBe(false);
    expect(statSync(path.join(dir, 'hub-token')).mode & 0o777).toBe(0o600);
    expect(secrets.load()).toBe('team-token-2');
  });

  test('a token an older version sealed under basic_text moves to the private file on first load', () => {
    const dir = tempDir();
    const stand = safeStorage('basic_text');
    writeFileSync(path.join(dir, 'hub-token.sealed'), stand.encryptString('old-token'));
    const secrets = keychainSecretStore(dir, stand, 'linux');
    expect(secrets.load()).toBe('old-token');
    expect(existsSync(path.join(dir, 'hub-token.sealed'))).toBe(false);
    expect(readFileSync(path.join(dir, 'hub-token'), 'utf8')).toBe('old-token');
    expect(statSync(path.join(dir, 'hub-token')).mode & 0o777).toBe(0o600);
  });

  test('the console reports the real backend to the settings (app.info)', async () => {
    for (const [backend, expected] of [
      ['basic_text', { tokenStore: 'private_file', tokenKeyring: 'basic_text' }],
      ['kwallet5', { tokenStore: 'keychain', tokenKeyring: 'kwallet5' }],
    ] as const) {
      const dir = tempDir();
      const core = await startCore({ dataDir: dir, transport: 'electron', secrets: keychainSecretStore(dir, safeStorage(backend), 'linux') });
      try {
        expect(await core.call('app.info', {})).toMatchObject(expected);
      } finally {
        await core.close();
      }
    }
  });
});
