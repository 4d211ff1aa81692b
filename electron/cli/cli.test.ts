import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, parseCli } from './cli.js';

const linux = { env: {}, platform: 'linux' as const, home: '/home/ana', cwd: '/work' };

describe('parseCli', () => {
  it('defaults to the per-user folder Electron uses and the default port', () => {
    expect(parseCli([], linux)).toEqual({
      kind: 'run',
      options: { dataDir: '/home/ana/.config/Warroom', port: DEFAULT_PORT, portExplicit: false, open: true },
    });
  });

  it('takes --data-dir, --port and --no-open in both spellings, resolving the folder against the working directory', () => {
    const spaced = parseCli(['--data-dir', 'store', '--port', '0', '--no-open'], linux);
    const joined = parseCli(['--data-dir=store', '--port=0', '--no-open'], linux);
    const expected = { kind: 'run', options: { dataDir: path.resolve('/work', 'store'), port: 0, portExplicit: true, open: false } };
    expect(spaced).toEqual(expected);
    expect(joined).toEqual(expected);
  });

  it('reads WARROOM_DATA_DIR, and the command line wins over it', () => {
    const env = { WARROOM_DATA_DIR: '/srv/warroom' };
    expect(parseCli([], { ...linux, env })).toMatchObject({ options: { dataDir: '/srv/warroom' } });
    expect(parseCli(['--data-dir', '/tmp/x'], { ...linux, env })).toMatchObject({ options: { dataDir: '/tmp/x' } });
  });

  it('lists every option for --help', () => {
    const result = parseCli(['--help'], linux);
    expect(result.kind).toBe('help');
    if (result.kind !== 'help') return;
    for (const option of ['--data-dir', '--port', '--no-open', '--help']) expect(result.text).toContain(option);
    expect(result.text).toContain('/home/ana/.config/Warroom');
    expect(parseCli(['-h'], linux).kind).toBe('help');
  });

  it('speaks French when the locale is French', () => {
    const result = parseCli(['--help'], { ...linux, env: { LANG: 'fr_FR.UTF-8' } });
    expect(result.kind === 'help' && result.text).toContain('Utilisation');
    const error = parseCli(['--port', 'abc'], { ...linux, env: { LANG: 'fr_FR.UTF-8' } });
    expect(error.kind === 'error' && error.message).toContain('Arguments invalides');
  });

  it.each([
    [['--port', 'abc'], '--port: must be a whole number'],
    [['--port', '70000'], '--port: must be at most 65535'],
    [['--port', '-1'], '--port: must be a whole number'],
    [['--data-dir'], '--data-dir needs a value'],
    [['--data-dir', '  '], '--data-dir: must not be empty'],
    [['--bogus'], 'unknown option --bogus'],
    [['--no-open=yes'], '--no-open does not take a value'],
  ])('refuses %j with a clear reason', (argv, reason) => {
    const result = parseCli(argv, linux);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toContain(reason);
    expect(result.kind === 'error' && result.message).toContain('--help');
  });

  it('lets unknown switches through when asked (Electron passes Chromium switches)', () => {
    expect(parseCli(['--enable-logging', '--data-dir', '/d'], { ...linux, allowUnknown: true })).toMatchObject({
      kind: 'run',
      options: { dataDir: '/d' },
    });
  });
});

describe('defaultDataDir', () => {
  it('matches Electron userData for productName Warroom on each platform', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Warroom');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/Warroom');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Warroom');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\Warroom');
    expect(defaultDataDir('win32', {}, 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\Warroom');
  });
});
