import type { Database } from 'better-sqlite3';
import { migration as m001 } from './001_event_log.js';
import { migration as m002 } from './002_incident_projection.js';
import { migration as m003 } from './003_outbox.js';
import { migration as m004 } from './004_timeline_rows.js';
import { migration as m005 } from './005_library_drills.js';
import { migration as m006 } from './006_people.js';
import { migration as m007 } from './007_quarantine.js';
import { migration as m008 } from './008_search_index_off_write_path.js';
import { migration as m009 } from './009_outbox_marker.js';
import { migration as m010 } from './010_one_timeline_index.js';
import { migration as m011 } from './011_delivery_events_index.js';
import { migration as m012 } from './012_withheld_words_by_the_store.js';
import { migration as m013 } from './013_sealed_outbox.js';
import { migration as m014 } from './014_timeline_shown_counts.js';
import { migration as m015 } from './015_shown_counts_by_the_store.js';
import { migration as m016 } from './016_shown_counts_up_to_a_marker.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; a migration, once shipped, is never edited — add the next number instead. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class StoreVersionError extends Error {
  constructor(
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `This data file was written by a newer version of Warroom (schema v${fileVersion}; this version understands up to v${supportedVersion}). ` +
        'Update Warroom to open it; the file has not been changed.',
    );
    this.name = 'StoreVersionError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function assertSupportedVersion(db: Database): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) throw new StoreVersionError(current, LATEST_SCHEMA_VERSION);
}

/**
 * Bring the file up to `target`, all pending steps in one transaction: a failure part-way
 * leaves the file exactly as it was. A file from a newer version is refused untouched.
 */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION): void {
  assertSupportedVersion(db);
  const current = schemaVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
