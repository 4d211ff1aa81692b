import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A file only this user can read that sends the browser on to the launch link, so the token
 * never appears in the opener's command line (`ps` shows it to every local user). Removed once
 * the link has been used, or after a few minutes if it never is.
 */
export function writeLauncher(url: string): { file: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warroom-open-'));
  const file = path.join(dir, 'open-warroom.html');
  const target = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>Warroom</title>\n`,
    { mode: 0o600 },
  );
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
