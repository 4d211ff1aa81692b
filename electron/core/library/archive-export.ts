import { createGzip, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { refuse, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import { ARCHIVE_FORMAT, ARCHIVE_LIMITS, ARCHIVE_TAIL, ARCHIVE_VERSION, archiveFileName, archiveHead } from '../../../shared/library/archive.js';
import { APP_VERSION } from '../../../shared/record/version.js';
import type { EventRow } from '../../store/event-row.js';

/**
 * The incident archive, written a slice of events at a time straight from SQLite rows: no
 * array of every event, no parse of every payload, no one string of the whole file. The same
 * writer serves the core's own `archive.export` (tests, benchmarks: one go, on the core's
 * connection) and the host's (exportArchiveOffCore below: its own read-only connection on a
 * snapshot, yielding between slices, so recording never waits for an export).
 */

/** A slice ends at this much JSON (or SLICE_EVENTS events): a few milliseconds of work. */
const SLICE_BYTES = 256 * 1024;
const SLICE_EVENTS = 2000;
const MIB = 1024 * 1024;

/**
 * The incident's events in causal order, quarantined ones left out (as the core's own reads do).
 * The payload column is the JSON text the store wrote with JSON.stringify, so it is spliced in as
 * is: the line equals JSON.stringify of the event, in the envelope's key order.
 */
function eventLine(row: EventRow): string {
  return (
    `{"id":${JSON.stringify(row.id)},"incidentId":${JSON.stringify(row.incident_id)},"kind":${JSON.stringify(row.kind)},` +
    `"payload":${row.payload},"actor":${JSON.stringify(row.actor)},"deviceId":${JSON.stringify(row.device_id)},` +
    `"hlc":${JSON.stringify(row.hlc)},"recordedAt":${JSON.stringify(row.recorded_at)}}`
  );
}

export interface ArchivePlan {
  title: string;
  events: number;
  /** The archive's text in slices: the header line, then a slice of events per chunk, then the tail. */
  chunks: Generator<string>;
}

/**
 * Plan an export on `db` (inside a read transaction the caller holds, so the count and the rows
 * are one snapshot): refuse what import would refuse before any work, then hand out the text.
 */
export function planArchive(db: Database.Database, incidentId: string, exportedAt: number): ArchivePlan {
  const incident = db.prepare<[string], { title: string }>('SELECT title FROM incidents WHERE id = ? AND declared = 1').get(incidentId);
  if (!incident) throw refuse('not_found', 'no_incident', `No incident with id ${incidentId}`);
  const where = 'FROM events e WHERE incident_id = ? AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.seq = e.seq)';
  const events = db.prepare<[string], { n: number }>(`SELECT count(*) AS n ${where}`).get(incidentId)?.n ?? 0;
  if (events > ARCHIVE_LIMITS.events) {
    throw refuse(
      'conflict',
      'archive_too_many_events',
      `This incident holds ${events.toLocaleString('en')} events; an archive holds at most ${ARCHIVE_LIMITS.events.toLocaleString('en')}, so no archive was written.`,
      { events, limit: ARCHIVE_LIMITS.events },
    );
  }
  const rows = db.prepare<[string], EventRow>(`SELECT id, incident_id, kind, hlc, recorded_at, actor, device_id, payload ${where} ORDER BY hlc, id`);
  const header = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt, incidentId, producer: `Warroom ${APP_VERSION}` } as const;
  function* chunks(): Generator<string> {
    let slice: string[] = [archiveHead(header)];
    let length = 0;
    let first = true;
    for (const row of rows.iterate(incidentId)) {
      const line = `${first ? '\n' : ',\n'}${eventLine(row)}`;
      slice.push(line);
      length += line.length;
      first = false;
      if (length >= SLICE_BYTES || slice.length >= SLICE_EVENTS) {
        yield slice.join('');
        slice = [];
        length = 0;
      }
    }
    slice.push(`\n${ARCHIVE_TAIL}`);
    yield slice.join('');
  }
  return { title: incident.title, events, chunks: chunks() };
}

/** Counts what is written and stops as soon as the file would be one import refuses. */
function sizeGuard(gzip: boolean) {
  let text = 0;
  let file = 0;
  return {
    text(bytes: number) {
      text += bytes;
      if (text > ARCHIVE_LIMITS.bytes) {
        const limit = ARCHIVE_LIMITS.bytes / MIB;
        throw refuse(
          'conflict',
          'archive_too_large',
          `This incident's archive would be larger than ${limit} MiB of JSON, more than an import reads; no archive was written.`,
          { limit },
        );
      }
      if (!gzip && text > ARCHIVE_LIMITS.fileBytes) {
        const limit = ARCHIVE_LIMITS.fileBytes / MIB;
        const why = `Uncompressed, this incident's archive would be larger than ${limit} MiB, more than an import reads: export it compressed (gzip). No archive was written.`;
        throw refuse('conflict', 'archive_needs_gzip', why, { limit });
      }
    },
    file(bytes: number) {
      file += bytes;
      if (file > ARCHIVE_LIMITS.fileBytes) {
        const limit = ARCHIVE_LIMITS.fileBytes / MIB;
        throw refuse('conflict', 'archive_too_large', `Even compressed, this incident's archive would be larger than ${limit} MiB; no archive was written.`, {
          limit,
        });
      }
    },
  };
}

function exportFile(title: string, exportedAt: number, gzip: boolean, bytes: Buffer): ChannelOutput<'archive.export'> {
  return { fileName: archiveFileName(title, exportedAt, gzip), mimeType: gzip ? 'application/gzip' : 'application/json', base64: bytes.toString('base64') };
}

/** In one go on the core's own connection: for callers that hold the core directly. */
export function exportArchiveNow(
  db: Database.Database,
  { incidentId, gzip }: ParsedInput<'archive.export'>,
  exportedAt: number,
): ChannelOutput<'archive.export'> {
  const guard = sizeGuard(gzip);
  const plan = db.transaction(() => {
    const planned = planArchive(db, incidentId, exportedAt);
    const parts: Buffer[] = [];
    for (const chunk of planned.chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      guard.text(bytes.length);
      parts.push(bytes);
    }
    return { title: planned.title, text: Buffer.concat(parts) };
  })();
  const bytes = gzip ? gzipSync(plan.text) : plan.text;
  guard.file(bytes.length);
  return exportFile(plan.title, exportedAt, gzip, bytes);
}

export interface OffCoreExport {
  /** The store file, opened here read-only beside the core's connection. */
  file: string;
  nativeBinding?: string;
  exportedAt: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The host's archive export: its own read-only connection holds one snapshot of the record (WAL
 * lets the core keep writing meanwhile), the text is produced a slice at a time with a turn of
 * the event loop between slices and compressed by zlib's stream off the thread, so the core
 * worker never sees the export and the main thread keeps answering calls.
 */
export async function exportArchiveOffCore(
  options: OffCoreExport,
  { incidentId, gzip }: ParsedInput<'archive.export'>,
): Promise<ChannelOutput<'archive.export'>> {
  const db = new Database(options.file, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  const guard = sizeGuard(gzip);
  const parts: Buffer[] = [];
  const zip = gzip ? createGzip() : null;
  const zipped = zip
    ? new Promise<void>((resolve, reject) => {
        zip.on('data', (chunk: Buffer) => {
          try {
            guard.file(chunk.length);
            parts.push(chunk);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            zip.destroy();
          }
        });
        zip.on('end', resolve);
        zip.on('error', reject);
      })
    : Promise.resolve();
  // A refusal found by the compressor must not wait for the writer to notice.
  zipped.catch(() => undefined);
  let plan: ArchivePlan | null = null;
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN');
    plan = planArchive(db, incidentId, options.exportedAt);
    for (const chunk of plan.chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      guard.text(bytes.length);
      if (zip) {
        if (zip.destroyed) break;
        // The compressor's refusal (too large) ends the wait as well as its drain.
        if (!zip.write(bytes)) await Promise.race([new Promise<void>((resolve) => zip.once('drain', resolve)), zipped]);
      } else parts.push(bytes);
      await nextTurn();
    }
    zip?.end();
    await zipped;
    if (!zip) guard.file(parts.reduce((sum, part) => sum + part.length, 0));
    return exportFile(plan.title, options.exportedAt, gzip, Buffer.concat(parts));
  } finally {
    plan?.chunks.return(undefined);
    zip?.destroy();
    db.close();
  }
}
