import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';

/**
 * The store holds incidents and the people directory: other local users must not read it.
 * Modes are set explicitly, not left to the umask, and reset on folders and files made by an
 * older version (0755 / 0644). On Windows chmod only toggles read-only; the profile folder's
 * ACL already keeps other users out there.
 */

/** The data folder is Warroom's own: made 0700, or set back to 0700 when this user owns it (never a shared folder it was pointed at). */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const owner = statSync(dir).uid;
  if (process.getuid === undefined || owner === process.getuid()) tighten(dir, 0o700);
}

/** On a read-only mount or a file someone else owns the mode cannot change; opening then says what is wrong. */
function tighten(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EPERM') throw error;
  }
}

/** A SQLite file and the journals beside it; SQLite gives new journals the mode of the main file. */
export function privateDatabaseFiles(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(name)) tighten(name, 0o600);
  }
}
