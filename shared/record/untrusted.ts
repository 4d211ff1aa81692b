import { z } from 'zod';
import { isKnownKind, parseEnvelope, parseKnownPayload, type EventEnvelope } from './events.js';
import { MAX_CLOCK_SKEW_MS, wallOfChecked } from './hlc.js';

/**
 * The one path for everything that enters the core from outside it: API bodies, hub pages,
 * archives, scenario files and another laptop's clock. The same limits apply everywhere, and the
 * hub (hub/server.ts) applies them too, so nothing a console accepts can be refused further on
 * (an event refused by the hub would sit at the head of the outbox forever).
 *
 * Two outcomes besides "fine":
 * - refused: the event cannot even be kept (too large, too deep, a prototype name as a key, text
 *   that is not well-formed UTF-16, an envelope that is not an event). Nothing is written.
 * - quarantined: the envelope is sound but the event must not be folded (a payload this version
 *   rejects, a newer version's enum value, a stamp too far in the future, the wrong stream). It is
 *   stored, synced onward, never folded, and listed with its reason (`quarantine.list`).
 */
export const UNTRUSTED_LIMITS = {
  /** One event's JSON, in UTF-8 bytes: the hub's limit, and the console's at every entry. */
  maxEventBytes: 256 * 1024,
  /** Nesting inside one event (the deepest known kind, a hand-off briefing, uses 5). */
  maxEventDepth: 16,
  /** Nesting of a whole document: an API body, a push body, a pull page, an archive. */
  maxDocumentDepth: 32,
  /**
   * How far ahead of this machine's wall clock a received stamp may be. Laptops on NTP agree
   * within a second; five minutes leaves room for a clock set by hand, and is short next to the
   * shortest SLA target (15 minutes for a P1), so a laptop ahead by more cannot decide a breach,
   * win a last-writer-wins register for long, or drag our own clock with it.
   */
  maxClockSkewMs: MAX_CLOCK_SKEW_MS,
} as const;

/** Never a key of anything: as a key of a plain object they reach its prototype. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A lookup table keyed by text someone typed: no prototype, so no key can reach Object.prototype. */
export function nameTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` only when it is the record's own entry (never something inherited from a prototype). */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export class UntrustedInputError extends Error {
  constructor(
    readonly code: 'not_json' | 'too_deep' | 'too_large' | 'forbidden_name' | 'malformed_text',
    message: string,
  ) {
    super(message);
    this.name = 'UntrustedInputError';
  }
}

/**
 * Deepest nesting of a JSON text, stopping as soon as it passes `limit`; a linear scan, so a
 * 200,000-level document costs nothing and never reaches a recursive parser or serialiser.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Most of a page is text: jump to each quote (indexOf is fast) and see whether an odd run
      // of backslashes escapes it, rather than stepping through every letter.
      const opening = i;
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let backslashes = 0;
        while (i - backslashes - 1 > opening && text.charCodeAt(i - backslashes - 1) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** JSON.parse behind the depth limit: a document nested deeper than `maxDepth` is refused before it is parsed. */
export function parseUntrustedJson(text: string, maxDepth: number = UNTRUSTED_LIMITS.maxDocumentDepth): unknown {
  if (jsonDepthExceeds(text, maxDepth)) throw new UntrustedInputError('too_deep', `The JSON is nested more than ${maxDepth} levels deep.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UntrustedInputError('not_json', `The text is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function wellFormed(text: string): boolean {
  // ES2024's own check where the runtime has it (Node 20, every current browser): much faster on a long text.
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) return native.call(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** UTF-8 length of a string (lone surrogates counted as the 3 bytes of U+FFFD). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Walk a value (iteratively, never deeper than `maxDepth`) and say what is wrong with it, or
 * null: too deep, a prototype name as a key, a string or key that is not well-formed.
 */
export function structuralProblem(value: unknown, maxDepth: number): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (!wellFormed(current)) return `${path || '(root)'}: text with a lone surrogate (not valid Unicode)`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return `${path || '(root)'}: nested more than ${maxDepth} levels deep`;
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, depth: depth + 1, path: `${path}${path ? '.' : ''}${index}` }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const at = `${path}${path ? '.' : ''}${key}`;
      if (FORBIDDEN_NAMES.has(key)) return `${at}: "${key}" is not allowed as a name`;
      if (!wellFormed(key)) return `${path || '(root)'}: a key with a lone surrogate (not valid Unicode)`;
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, path: at });
    }
  }
  return null;
}

/** The longest JSON text of a finite number ("-2.2250738585072014e-308"). */
const MAX_NUMBER_JSON = 24;

/**
 * For a value made only of JSON's own types (text, finite numbers, booleans, null, plain objects
 * and arrays) with none of the problems structuralProblem finds: an upper bound of the UTF-8
 * bytes of its JSON, without building that JSON (a text's unit is at most 6 bytes, as \uXXXX).
 * -1 for anything else, and the full checks decide. One walk instead of the checks' walk, a
 * JSON.stringify and a count: the untrusted-input path runs it for every event of a catch-up.
 */
function soundJsonBound(value: unknown, maxDepth: number): number {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let bound = 0;
  while (values.length) {
    const current = values.pop();
    const depth = depths.pop()!;
    switch (typeof current) {
      case 'string':
        if (!wellFormed(current)) return -1;
        bound += 6 * current.length + 2;
        continue;
      case 'number':
        bound += MAX_NUMBER_JSON;
        continue;
      case 'boolean':
        bound += 5;
        continue;
      case 'object':
        break;
      default:
        return -1;
    }
    if (current === null) {
      bound += 4;
      continue;
    }
    if (depth + 1 > maxDepth) return -1;
    if (Array.isArray(current)) {
      if (Object.getPrototypeOf(current) !== Array.prototype) return -1;
      bound += 2 + current.length;
      for (let i = 0; i < current.length; i++) {
        // A hole reads as undefined: JSON says null, the full checks decide.
        values.push(current[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    const proto = Object.getPrototypeOf(current) as unknown;
    if (proto !== Object.prototype && proto !== null) return -1;
    const record = current as Record<string, unknown>;
    const keys = Object.keys(record);
    bound += 2;
    for (const key of keys) {
      if (FORBIDDEN_NAMES.has(key) || !wellFormed(key)) return -1;
      bound += 6 * key.length + 4;
      values.push(record[key]);
      depths.push(depth + 1);
    }
  }
  return bound;
}

/** Why an event can be kept but not folded. */
export const QUARANTINE_CODES = [
  'invalid_payload',
  'future_clock',
  'future_breach',
  'wrong_stream',
  'refused_by_hub',
  // A sealed team record (shared/sync/sealing.ts): what did not open, and what should have been sealed.
  'no_team_key',
  'unknown_key',
  'not_authentic',
  'not_sealed',
  // An incident is declared once (electron/store/store.ts).
  'second_declaration',
] as const;
export type QuarantineCode = (typeof QUARANTINE_CODES)[number];
export interface QuarantineReason {
  code: QuarantineCode;
  reason: string;
}

export type Admission = { ok: true; event: EventEnvelope; quarantine: QuarantineReason | null } | { ok: false; reason: string };

/** The team-settings stream (shared/clocks/policy.ts re-exports it): never declared, never listed. */
export const SETTINGS_STREAM_ID = '00000000-0000-0000-0000-000000000000';

function describeZod(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.') || '(root)'}: ${i.message}`).join('; ');
}

export interface AdmitOptions {
  /** This machine's wall clock; absent (the hub) = no clock bound, a relay keeps what it is given. */
  now?: number;
}

function quarantined(event: EventEnvelope, code: QuarantineCode, reason: string): Admission {
  return { ok: true, event, quarantine: { code, reason } };
}

/**
 * The check every event from outside goes through. Refused: nothing of it may be kept.
 * Admitted with a quarantine reason: keep it verbatim (to sync onward) and never fold it.
 */
export function admitEvent(raw: unknown, options: AdmitOptions = {}): Admission {
  const refused = keepable(raw);
  if (refused) return { ok: false, reason: refused.refused };
  const envelope = parseEnvelope(raw);
  if (!envelope.success) return { ok: false, reason: describeZod(envelope.error, '') };
  const event = envelope.data;
  if ((event.incidentId === SETTINGS_STREAM_ID) !== event.kind.startsWith('settings.')) {
    return quarantined(
      event,
      'wrong_stream',
      event.kind.startsWith('settings.') ? 'a team setting outside the settings stream' : 'an incident event on the team-settings stream',
    );
  }
  let parsed: EventEnvelope = event;
  if (isKnownKind(event.kind)) {
    try {
      // The envelope was just checked: only the payload is left (the same schemas as parseEvent).
      parsed = parseKnownPayload(event);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return quarantined(event, 'invalid_payload', `this version cannot read it: ${describeZod(error, 'payload')}`);
    }
  }
  if (options.now !== undefined) {
    // Checked once, on arrival, and never again once wall time catches up: the stamp misstates
    // when it was recorded, and folded later it would outrank what was recorded meanwhile
    // (ARCHITECTURE.md, "A stamp too far ahead stays quarantined").
    const bound = options.now + UNTRUSTED_LIMITS.maxClockSkewMs;
    // The envelope's check above held the stamp to its pattern.
    const wall = wallOfChecked(event.hlc);
    if (wall > bound) return quarantined(event, 'future_clock', `stamped ${formatAhead(wall - options.now)} ahead of this laptop's clock`);
    const occurredAt = event.payload['occurredAt'];
    if (event.kind === 'sla.breached' && typeof occurredAt === 'number' && occurredAt > bound) {
      return quarantined(event, 'future_breach', `a breach dated ${formatAhead(occurredAt - options.now)} in this laptop's future`);
    }
  }
  return { ok: true, event: parsed, quarantine: null };
}

/** Why an event cannot be kept at all (what the hub refuses too), or null when it can. */
function keepable(raw: unknown): null | { refused: string } {
  const bound = soundJsonBound(raw, UNTRUSTED_LIMITS.maxEventDepth);
  if (bound >= 0 && bound <= UNTRUSTED_LIMITS.maxEventBytes) return null;
  const shape = structuralProblem(raw, UNTRUSTED_LIMITS.maxEventDepth);
  if (shape) return { refused: shape };
  const json = JSON.stringify(raw) ?? '';
  // A UTF-16 unit is at most 3 bytes of UTF-8: most events are short enough to need no count.
  if (json.length * 3 > UNTRUSTED_LIMITS.maxEventBytes) {
    const bytes = utf8Bytes(json);
    if (bytes > UNTRUSTED_LIMITS.maxEventBytes) return { refused: `the event is ${bytes} bytes of JSON; at most ${UNTRUSTED_LIMITS.maxEventBytes}` };
  }
  return null;
}

/** Why an event cannot be kept whatever its envelope says (size, depth, names, text), or null. */
export function shapeRefusal(raw: unknown): string | null {
  return keepable(raw)?.refused ?? null;
}

/**
 * Why the hub would refuse this event (size, depth, names, envelope), or null; cheaper than
 * `admitEvent` (no payload check), for what is already in the log on its way out.
 */
export function refusalOf(raw: unknown): string | null {
  const refused = keepable(raw);
  if (refused) return refused.refused;
  const envelope = parseEnvelope(raw);
  return envelope.success ? null : describeZod(envelope.error, '');
}

function formatAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 72 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

export interface AdmittedBatch {
  /** Every event that may be kept, in order; those in `quarantine` are kept but never folded. */
  events: EventEnvelope[];
  quarantine: Map<string, QuarantineReason>;
  /** Events that cannot be kept at all, by position in the input. */
  refused: { index: number; reason: string }[];
}

/** `admitEvent` over a batch (a pull page, an archive, an API body of events). */
export function admitBatch(raw: readonly unknown[], options: AdmitOptions = {}): AdmittedBatch {
  const batch: AdmittedBatch = { events: [], quarantine: new Map(), refused: [] };
  raw.forEach((candidate, index) => {
    const admission = admitEvent(candidate, options);
    if (!admission.ok) {
      batch.refused.push({ index, reason: admission.reason });
      return;
    }
    batch.events.push(admission.event);
    if (admission.quarantine) batch.quarantine.set(admission.event.id, admission.quarantine);
  });
  return batch;
}
