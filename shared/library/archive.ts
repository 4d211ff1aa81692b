import { z } from 'zod';
import { foldText } from '../text/fold.js';
import { IdSchema, TimestampSchema, type EventEnvelope } from '../record/events.js';
import { message } from '../text/errors.js';
import { admitBatch, parseUntrustedJson, SETTINGS_STREAM_ID, UNTRUSTED_LIMITS, UntrustedInputError, type QuarantineReason } from '../record/untrusted.js';

/**
 * A portable incident archive: the whole event log of one incident (live record and review
 * events alike) in a versioned JSON document. Importing it goes through the same validation
 * and fold as sync, so an archive can never hold what a hub could not deliver.
 */
export const ARCHIVE_FORMAT = 'warroom-incident';
export const ARCHIVE_VERSION = 1;

/**
 * What one archive may hold, on both sides: export refuses to write a file that import would
 * refuse (an incident too large is said so before any work), and import reads what export
 * writes. A 10,000-entry incident is about 3 MiB of JSON; 200,000 entries about 60 MiB, 10 MiB
 * gzipped. Import reads Warroom's own layout (one event per line) line by line, checking each
 * event as it comes; any other layout of the same JSON is read whole, up to `documentBytes`.
 */
export const ARCHIVE_LIMITS = {
  /** The file as picked, gzipped or not: what crosses IPC or HTTP in one call. */
  fileBytes: 96 * 1024 * 1024,
  /** The JSON once uncompressed (a gzip bomb stops here). */
  bytes: 320 * 1024 * 1024,
  /** A file not in Warroom's one-event-per-line layout is parsed whole, so it stays smaller. */
  documentBytes: 32 * 1024 * 1024,
  events: 500_000,
} as const;

const MIB = 1024 * 1024;

/**
 * Event lines read, or events checked, between two yields of parseArchiveSteps: a few tens of
 * milliseconds, after which the console records what was typed meanwhile (checking a 200,000-event
 * archive in one go held the core's thread for 1.2–2.4 s).
 */
const PARSE_SLICE = 4000;

export const ArchiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: TimestampSchema,
  incidentId: IdSchema,
  /** Which build wrote it, for a human reading the file; never trusted for anything. */
  producer: z.string().max(100).optional(),
  events: z.array(z.unknown()).min(1, 'an archive holds at least the declaration').max(ARCHIVE_LIMITS.events),
});
export type Archive = z.infer<typeof ArchiveSchema>;

/**
 * Raised for any archive that must be refused: a stable reason and its params, which the console
 * says in the person's language (renderer/api/error-text.ts), and an English message for logs.
 */
export class ArchiveError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** The first refused field of a zod error, as a path (an identifier, never zod's English). */
const firstPath = (error: z.ZodError) => error.issues[0]?.path.join('.') || '(root)';

export interface ParsedArchive {
  incidentId: string;
  exportedAt: number;
  events: EventEnvelope[];
  /** Events kept but never folded (shared/record/untrusted.ts), e.g. a newer version's values. */
  quarantine: Map<string, QuarantineReason>;
}

/**
 * One event per line: still one JSON document, but readable and diffable by a person, and
 * written and read a line at a time (electron/core/library/archive-export.ts writes it). The first
 * line is the header up to `"events":[` (archiveHead), each event line ends with a comma but the
 * last, and the document ends with a `]}` line (ARCHIVE_TAIL). Events are in causal order, so a
 * reader (or a diff) sees the incident unfold from top to bottom.
 */
const EVENTS_OPEN = ',"events":[';
export const ARCHIVE_TAIL = ']}\n';

/** The first line of an archive: its header, opening the events array. */
export function archiveHead(header: Omit<Archive, 'events'>): string {
  return `${JSON.stringify(header).slice(0, -1)}${EVENTS_OPEN}`;
}

const BOM = [0xef, 0xbb, 0xbf];

// shared/ sees neither DOM nor Node types; TextDecoder is a global of every runtime that runs it.
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }) => { decode(bytes: Uint8Array): string };
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ArchiveError('archive_not_utf8', 'The file is not text in UTF-8: it is not a Warroom archive.');
  }
}

/**
 * The document read line by line when it is in the layout serializeArchive writes: the header
 * and each event parsed on its own (through the untrusted-input path), so no text or parse tree
 * of the whole file is ever built. Null when the file is laid out any other way.
 */
function* readLines(raw: Uint8Array): Generator<void, Record<string, unknown> | null> {
  let start = raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2] ? 3 : 0;
  const nextLine = (): string | null => {
    if (start >= raw.length) return null;
    let end = raw.indexOf(0x0a, start);
    if (end < 0) end = raw.length;
    const line = decodeUtf8(raw.subarray(start, end)).replace(/\r$/, '');
    start = end + 1;
    return line;
  };
  const first = nextLine();
  if (first === null || !first.endsWith(EVENTS_OPEN)) return null;
  let header: unknown;
  try {
    header = parseUntrustedJson(`${first.slice(0, -EVENTS_OPEN.length)}}`);
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return null;
  const events: unknown[] = [];
  let ended = false;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    if (ended) {
      if (line.trim() !== '') return null;
      continue;
    }
    const last = !line.endsWith(',');
    try {
      // Inside the document an event sits two levels down: the same depth budget as a whole parse.
      events.push(parseUntrustedJson(last ? line : line.slice(0, -1), UNTRUSTED_LIMITS.maxDocumentDepth - 2));
    } catch {
      return null;
    }
    if (events.length % PARSE_SLICE === 0) yield;
    if (events.length > ARCHIVE_LIMITS.events) {
      throw new ArchiveError('archive_import_too_many_events', `The archive holds more than ${ARCHIVE_LIMITS.events.toLocaleString('en')} events.`, {
        limit: ARCHIVE_LIMITS.events,
      });
    }
    // Only the last event line has no comma: the `]}` line must follow it.
    if (last && nextLine() !== ']}') return null;
    if (last) ended = true;
  }
  return ended ? { ...header, events } : null;
}

function describe(error: z.ZodError, prefix = ''): string {
  return error.issues.map((i) => `${prefix}${i.path.join('.') || (prefix ? prefix.slice(0, -1) : '(root)')}: ${i.message}`).join('; ');
}

/**
 * Validate an archive's text completely before anything is written: the document (through the
 * one untrusted-input path: size, nesting depth, names, clock bound), every event, one incident
 * only, never the team-settings stream, and a declaration to anchor it. An event this version
 * cannot fold is kept quarantined, as sync does; anything that cannot be kept refuses the file.
 * `now` is this machine's clock. Throws ArchiveError naming the first problem. Yields every
 * PARSE_SLICE lines or events, so the console runs what arrives meanwhile (importArchiveSteps).
 */
export function* parseArchiveSteps(bytes: Uint8Array, now: number): Generator<void, ParsedArchive> {
  if (bytes.length > ARCHIVE_LIMITS.bytes) {
    throw new ArchiveError('archive_too_big', `The archive is larger than ${ARCHIVE_LIMITS.bytes / MIB} MiB.`, { mib: ARCHIVE_LIMITS.bytes / MIB });
  }
  let raw: unknown = yield* readLines(bytes);
  if (raw === null) {
    if (bytes.length > ARCHIVE_LIMITS.documentBytes) {
      throw new ArchiveError(
        'archive_not_by_line',
        `The archive is larger than ${ARCHIVE_LIMITS.documentBytes / MIB} MiB and not laid out one event per line as Warroom writes it.`,
        {
          mib: ARCHIVE_LIMITS.documentBytes / MIB,
        },
      );
    }
    const text = decodeUtf8(bytes);
    try {
      raw = parseUntrustedJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      if (error instanceof UntrustedInputError && error.code === 'too_deep')
        throw new ArchiveError('archive_too_deep', `The file is not a Warroom incident archive: ${error.message}`);
      throw new ArchiveError('archive_not_json', `The file is not JSON: ${message(error).replace(/^The text is not JSON: /, '')}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ArchiveError('archive_not_archive', 'The file is not a Warroom incident archive.');
  const record = raw as Record<string, unknown>;
  if (record['format'] !== ARCHIVE_FORMAT) {
    throw new ArchiveError(
      'archive_not_archive',
      `The file is not a Warroom incident archive (format ${JSON.stringify(record['format'] ?? null).slice(0, 60)}).`,
    );
  }
  if (typeof record['version'] === 'number' && record['version'] > ARCHIVE_VERSION) {
    throw new ArchiveError(
      'archive_newer',
      `The archive was written by a newer version of Warroom (archive v${record['version']}; this version reads v${ARCHIVE_VERSION}).`,
      {
        version: record['version'],
        supported: ARCHIVE_VERSION,
      },
    );
  }
  const parsed = ArchiveSchema.safeParse(raw);
  if (!parsed.success) throw new ArchiveError('archive_malformed', `The archive is malformed: ${describe(parsed.error)}`, { path: firstPath(parsed.error) });
  const { incidentId, exportedAt } = parsed.data;
  if (incidentId === SETTINGS_STREAM_ID) {
    throw new ArchiveError(
      'archive_settings',
      'This file holds team settings, not an incident: team settings travel through sync and are never imported. Nothing was changed.',
    );
  }
  const total = parsed.data.events.length;
  const admitted: EventEnvelope[] = [];
  const quarantine = new Map<string, QuarantineReason>();
  for (let from = 0; from < total; from += PARSE_SLICE) {
    yield;
    const slice = admitBatch(parsed.data.events.slice(from, from + PARSE_SLICE), { now });
    const refused = slice.refused[0];
    if (refused) {
      const n = from + refused.index + 1;
      throw new ArchiveError('archive_event_invalid', `Event ${n} of ${total} is invalid: ${refused.reason}`, { n, total });
    }
    for (const event of slice.events) admitted.push(event);
    for (const [id, reason] of slice.quarantine) quarantine.set(id, reason);
  }
  const byId = new Map<string, { event: EventEnvelope; json: string }>();
  let declared = false;
  for (let index = 0; index < admitted.length; index++) {
    if (index > 0 && index % PARSE_SLICE === 0) yield;
    const event = admitted[index]!;
    if (event.incidentId !== incidentId) {
      throw new ArchiveError(
        'archive_other_incident',
        `Event ${index + 1} of ${total} belongs to incident ${event.incidentId}, not to the archive's incident ${incidentId}: an archive holds one incident.`,
        { n: index + 1, total },
      );
    }
    const json = JSON.stringify(event);
    const seen = byId.get(event.id);
    if (seen && seen.json !== json) throw new ArchiveError('archive_event_twice', `Event ${event.id} appears twice with different contents.`);
    if (event.kind === 'incident.declared' && !quarantine.has(event.id)) declared = true;
    byId.set(event.id, { event, json });
  }
  if (!declared) throw new ArchiveError('archive_no_declaration', `The archive has no declaration for incident ${incidentId} that this console can read.`);
  return { incidentId, exportedAt, events: [...byId.values()].map((x) => x.event), quarantine };
}

/**
 * A file name safe on every OS from a title anyone could have typed: no path separators, no
 * dots to climb with, no reserved characters, bounded length.
 */
export function safeFileStem(title: string, fallback = 'incident'): string {
  // NFKC first turns compatibility forms (ligatures, full-width letters) into plain ones to keep.
  const stem = foldText(title.normalize('NFKC'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return stem || fallback;
}

/** YYYY-MM-DD of a UTC timestamp, for file names that sort by date. */
export function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function archiveFileName(title: string, exportedAt: number, gzip: boolean): string {
  return `${safeFileStem(title)}-${isoDay(exportedAt)}.warroom.json${gzip ? '.gz' : ''}`;
}
