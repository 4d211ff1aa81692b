import { z } from 'zod';
import { foldText } from '../text/fold.js';
import { IdSchema, TimestampSchema, type EventEnvelope } from '../record/events.js';
import { message } from '../text/errors.js';
import { admitBatch, parseUntrustedJson, SETTINGS_STREAM_ID, UntrustedInputError, type QuarantineReason } from '../record/untrusted.js';

/**
 * A portable incident archive: the whole event log of one incident (live record and review
 * events alike) in a versioned JSON document. Importing it goes through the same validation
 * and fold as sync, so an archive can never hold what a hub could not deliver.
 */
export const ARCHIVE_FORMAT = 'warroom-incident';
export const ARCHIVE_VERSION = 1;

export const ARCHIVE_LIMITS = {
  /** Uncompressed JSON; a 10,000-entry incident is about 3 MiB. */
  bytes: 32 * 1024 * 1024,
  events: 100_000,
} as const;

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

/** Raised for any archive that must be refused; the message says why, for the person who picked the file. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface ParsedArchive {
  incidentId: string;
  exportedAt: number;
  events: EventEnvelope[];
  /** Events kept but never folded (shared/record/untrusted.ts), e.g. a newer version's values. */
  quarantine: Map<string, QuarantineReason>;
}

/** Events in causal order, so a reader (or a diff) sees the incident unfold from top to bottom. */
export function buildArchive(incidentId: string, events: readonly EventEnvelope[], exportedAt: number, producer?: string): Archive {
  const own = events.filter((e) => e.incidentId === incidentId).sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : 1));
  return { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt, incidentId, ...(producer ? { producer } : {}), events: own };
}

/** One event per line: still one JSON document, but readable and diffable by a person. */
export function serializeArchive(archive: Archive): string {
  const { events, ...header } = archive;
  const head = JSON.stringify(header).slice(0, -1);
  return `${head},"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

function describe(error: z.ZodError, prefix = ''): string {
  return error.issues.map((i) => `${prefix}${i.path.join('.') || (prefix ? prefix.slice(0, -1) : '(root)')}: ${i.message}`).join('; ');
}

/**
 * Validate an archive's text completely before anything is written: the document (through the
 * one untrusted-input path: size, nesting depth, names, clock bound), every event, one incident
 * only, never the team-settings stream, and a declaration to anchor it. An event this version
 * cannot fold is kept quarantined, as sync does; anything that cannot be kept refuses the file.
 * `now` is this machine's clock. Throws ArchiveError naming the first problem.
 */
export function parseArchive(text: string, now: number): ParsedArchive {
  if (text.length > ARCHIVE_LIMITS.bytes) {
    throw new ArchiveError(`The archive is larger than ${ARCHIVE_LIMITS.bytes / 1024 / 1024} MiB.`);
  }
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (error instanceof UntrustedInputError && error.code === 'too_deep') throw new ArchiveError(`The file is not a Warroom incident archive: ${error.message}`);
    throw new ArchiveError(`The file is not JSON: ${message(error).replace(/^The text is not JSON: /, '')}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ArchiveError('The file is not a Warroom incident archive.');
  const record = raw as Record<string, unknown>;
  if (record['format'] !== ARCHIVE_FORMAT) {
    throw new ArchiveError(`The file is not a Warroom incident archive (format ${JSON.stringify(record['format'] ?? null).slice(0, 60)}).`);
  }
  if (typeof record['version'] === 'number' && record['version'] > ARCHIVE_VERSION) {
    throw new ArchiveError(`The archive was written by a newer version of Warroom (archive v${record['version']}; this version reads v${ARCHIVE_VERSION}).`);
  }
  const parsed = ArchiveSchema.safeParse(raw);
  if (!parsed.success) throw new ArchiveError(`The archive is malformed: ${describe(parsed.error)}`);
  const { incidentId, exportedAt } = parsed.data;
  if (incidentId === SETTINGS_STREAM_ID) {
    throw new ArchiveError('This file holds team settings, not an incident: team settings travel through sync and are never imported. Nothing was changed.');
  }
  const total = parsed.data.events.length;
  const admitted = admitBatch(parsed.data.events, { now });
  const refused = admitted.refused[0];
  if (refused) throw new ArchiveError(`Event ${refused.index + 1} of ${total} is invalid: ${refused.reason}`);
  const byId = new Map<string, { event: EventEnvelope; json: string }>();
  let declared = false;
  admitted.events.forEach((event, index) => {
    if (event.incidentId !== incidentId) {
      throw new ArchiveError(`Event ${index + 1} of ${total} belongs to incident ${event.incidentId}, not to the archive's incident ${incidentId}: an archive holds one incident.`);
    }
    const json = JSON.stringify(event);
    const seen = byId.get(event.id);
    if (seen && seen.json !== json) throw new ArchiveError(`Event ${event.id} appears twice with different contents.`);
    if (event.kind === 'incident.declared' && !admitted.quarantine.has(event.id)) declared = true;
    byId.set(event.id, { event, json });
  });
  if (!declared) throw new ArchiveError(`The archive has no declaration for incident ${incidentId} that this console can read.`);
  return { incidentId, exportedAt, events: [...byId.values()].map((x) => x.event), quarantine: admitted.quarantine };
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
