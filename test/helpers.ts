import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterEach } from 'vitest';
import { ApiError } from '../shared/api/api.js';
import type { EventEnvelope } from '../shared/record/events.js';
import { encodeHlc } from '../shared/record/hlc.js';

const made: string[] = [];

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'warroom-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** Hash of a SQLite file together with its WAL, to prove a refused write changed nothing on disk. */
export function fileFingerprint(file: string): string {
  const hash = createHash('sha256');
  for (const f of [file, `${file}-wal`]) if (existsSync(f)) hash.update(readFileSync(f));
  return hash.digest('hex');
}

export const declareInput = {
  title: 'Checkout API returns 502',
  description: 'Customers cannot pay',
  occurredAt: Date.UTC(2026, 10, 25, 9, 0),
  detectedAt: Date.UTC(2026, 10, 25, 9, 5),
  services: ['checkout', 'payments'],
  reporter: 'noc@example.com',
  detectionSource: 'monitoring' as const,
  category: 'software' as const,
  impact: 'high' as const,
  urgency: 'high' as const,
  commander: 'Alice',
};

/**
 * Each incident's shown-row count as the store keeps it (migration 14's table; from migration 16
 * on, the table up to the `timeline.countedUpTo` marker plus the shown rows after it) and as
 * counted from the rows: a test expects the two equal after whatever it did.
 */
export function shownCounts(db: { prepare(sql: string): { all(): unknown[] } }): { kept: unknown[]; counted: unknown[] } {
  const marker = db.prepare("SELECT CAST(value AS INTEGER) AS seq FROM meta WHERE key = 'timeline.countedUpTo'").all()[0] as { seq: number } | undefined;
  const after = marker ? `UNION ALL SELECT incident_id, count(*) FROM timeline_rows WHERE seq > ${marker.seq} AND shown = 1 GROUP BY incident_id` : '';
  return {
    kept: db
      .prepare(
        `SELECT incident_id, sum(shown) AS shown FROM (SELECT incident_id, shown FROM timeline_shown_counts ${after})
         GROUP BY incident_id HAVING sum(shown) <> 0 ORDER BY incident_id`,
      )
      .all(),
    counted: db.prepare('SELECT incident_id, count(*) AS shown FROM timeline_rows WHERE shown = 1 GROUP BY incident_id ORDER BY incident_id').all(),
  };
}

/** An event as a teammate's laptop ("laptop-far") wrote it and a pull brings it, stamped at `at`. */
export function farEvent(incidentId: string, kind: string, payload: Record<string, unknown>, at: number): EventEnvelope {
  return {
    id: uuidv7(),
    incidentId,
    kind,
    payload,
    actor: 'Far Away',
    deviceId: 'laptop-far',
    hlc: encodeHlc({ wall: at, counter: 0, node: 'laptop-far' }),
    recordedAt: at,
  };
}

/**
 * Runs a person's command that the record may refuse in a random sequence of steps (already
 * redacted, already starred, quarantined): a refusal writes nothing, so it is not a failure there.
 */
export function unlessRefused(command: () => unknown): void {
  try {
    command();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}
