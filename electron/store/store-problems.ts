import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Why a store (or its data folder) cannot be used, in terms a user can act on. The worker sends
 * the kind and the file across the thread boundary; the entry points word it in the console's
 * language (electron/cli/cli.ts).
 */
export const STORE_PROBLEMS = ['not_a_database', 'damaged', 'read_only', 'disk_full', 'cannot_open'] as const;
export type StoreProblem = (typeof STORE_PROBLEMS)[number];

export class StoreOpenError extends Error {
  constructor(
    readonly problem: StoreProblem,
    readonly file: string,
    /** SQLite's or the OS's own words, for support. */
    readonly detail: string,
  ) {
    super(`${problem}: ${file}: ${detail}`);
    this.name = 'StoreOpenError';
  }
}

/** A SQLite or file-system error as a store problem, or null when it is something else. */
export function storeProblemOf(error: unknown): StoreProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_NOTADB') return 'not_a_database';
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read_only';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk_full';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'cannot_open';
  return null;
}

/** Rethrow a recognised problem as a StoreOpenError naming the file; anything else as it was. */
export function asStoreOpenError(error: unknown, file: string): unknown {
  if (error instanceof StoreOpenError) return error;
  let problem = storeProblemOf(error);
  // SQLite says "unable to open database file" for a file it may read but not write (it needs
  // its journals too): when the permissions are the reason, say that.
  if (problem === 'cannot_open' && !writable(file)) problem = 'read_only';
  return problem ? new StoreOpenError(problem, file, error instanceof Error ? error.message : String(error)) : error;
}

/**
 * A folder that could not be made: on a read-only disk mkdir may say ENOENT rather than EROFS, so
 * the nearest folder that does exist is asked whether it can be written.
 */
export function folderProblem(error: unknown, dir: string): unknown {
  const known = asStoreOpenError(error, dir);
  if (known instanceof StoreOpenError) return known;
  let parent = dir;
  while (!existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
    return error;
  } catch (denied) {
    return new StoreOpenError('read_only', dir, denied instanceof Error ? denied.message : String(denied));
  }
}

function writable(file: string): boolean {
  try {
    if (existsSync(file)) accessSync(file, constants.W_OK);
    accessSync(path.dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
