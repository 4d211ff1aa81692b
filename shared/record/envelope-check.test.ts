import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventEnvelopeSchema, NOTE_KINDS, parseEnvelope, parseKnownPayload, PayloadSchemas, type EventEnvelope } from './events.js';
import { encodeHlc } from './hlc.js';
import { jsonDepthExceeds, shapeRefusal, structuralProblem, UNTRUSTED_LIMITS, utf8Bytes } from './untrusted.js';

/**
 * The untrusted-input path answers the common case by hand (parseEnvelope, and one walk for the
 * shape and size of an event): these properties hold it to what the schema and the full checks
 * say, for valid events, each field replaced by anything, and hostile shapes.
 */

const RUNS = process.env['CI'] ? 5_000 : 1_000;

const uuid = fc.uuid({ version: 7 });
const validEnvelope = fc.record({
  id: uuid,
  incidentId: uuid,
  // Around the 64-letter bound too.
  kind: fc.oneof(
    fc.constantFrom('timeline.entry', 'incident.declared', 'a.b.c'),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,10}(\.[a-z][a-z0-9_]{0,10}){1,2}$/),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })).map(([a, b]) => `${'k'.repeat(a)}.${'x'.repeat(b)}`),
  ),
  payload: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
  // Around the 120-letter bound, with and without spaces to trim.
  actor: fc
    .tuple(
      fc.constantFrom('', ' ', '\t ', '  '),
      fc.oneof(
        fc.string(),
        fc.tuple(fc.constantFrom('a', 'é', '😀'), fc.integer({ min: 0, max: 125 })).map(([letter, n]) => letter.repeat(n)),
      ),
      fc.constantFrom('', ' ', '\n'),
    )
    .map((parts) => parts.join('')),
  deviceId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  hlc: fc
    .record({
      wall: fc.integer({ min: 0, max: 10 ** 14 }),
      counter: fc.integer({ min: 0, max: 36 ** 6 - 1 }),
      node: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    })
    .map(encodeHlc),
  recordedAt: fc.integer({ min: 0, max: 8_640_000_000_000_000 }),
});

/** Anything in a field's place: near misses of every rule, other types, and no value at all. */
const oddValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    '',
    ' ',
    '  padded actor  ',
    'x'.repeat(121),
    'Timeline.Entry',
    'a'.repeat(30) + '.' + 'b'.repeat(40),
    -0,
    -1,
    1.5,
    NaN,
    Infinity,
    2 ** 53,
    null,
  ),
  fc.constantFrom(8_640_000_000_000_001, 'not-a-uuid', '018f2f0e-0000-7000-8000-00000000000G', '000000000000001:000000', 'dev ice'),
  fc.constant(undefined),
  fc.constant([]),
  fc.constant(new Date(0)),
  fc.constant(Object.create({ inherited: 1 }) as object),
);

const KEYS = ['id', 'incidentId', 'kind', 'payload', 'actor', 'deviceId', 'hlc', 'recordedAt'] as const;

const candidate = fc.oneof(
  validEnvelope,
  fc.tuple(validEnvelope, fc.constantFrom(...KEYS), oddValue).map(([envelope, key, value]) => ({ ...envelope, [key]: value })),
  fc.tuple(validEnvelope, fc.constantFrom(...KEYS)).map(([envelope, key]) => {
    const copy: Record<string, unknown> = { ...envelope };
    delete copy[key];
    return copy;
  }),
  fc.tuple(validEnvelope, fc.string(), fc.anything()).map(([envelope, key, value]) => ({ ...envelope, [key]: value })),
  // Received as JSON: `__proto__` arrives as an own key.
  validEnvelope.map((envelope) => ({ ...envelope, payload: JSON.parse(`{"__proto__":{"x":1},"k":${JSON.stringify(envelope.payload)}}`) as unknown })),
  validEnvelope.map((envelope) => ({ ...envelope, payload: Object.assign(Object.create(null) as object, envelope.payload) })),
  validEnvelope.map((envelope) => ({ ...envelope, payload: { ...envelope.payload, [Symbol('s')]: 1 } })),
  validEnvelope.map((envelope) => Object.assign(Object.create({ extra: 1 }) as object, envelope)),
  fc.anything(),
);

describe('parseEnvelope', () => {
  test('accepts exactly what EventEnvelopeSchema accepts, with the same event', () => {
    fc.assert(
      fc.property(candidate, (raw) => {
        const schema = EventEnvelopeSchema.safeParse(raw);
        const fast = parseEnvelope(raw);
        expect(fast.success).toBe(schema.success);
        if (fast.success && schema.success) {
          expect(fast.data).toStrictEqual(schema.data);
          // Same order of fields too: what is stored and relayed is the same text.
          expect(JSON.stringify(fast.data)).toBe(JSON.stringify(schema.data));
        }
        if (!fast.success && !schema.success) expect(fast.error.issues).toEqual(schema.error.issues);
      }),
      { numRuns: RUNS },
    );
  });

  test('a trimmed actor and a copied payload, as the schema gives them', () => {
    const raw = { ...fc.sample(validEnvelope, { numRuns: 1, seed: 1 })[0]!, actor: '  Dana  ' };
    const parsed = parseEnvelope(raw);
    expect(parsed.success && parsed.data.actor).toBe('Dana');
    expect(parsed.success && parsed.data.payload).not.toBe(raw.payload);
  });
});

describe('parseKnownPayload', () => {
  const ENTRY_KEYS = ['entryKind', 'text', 'occurredAt'] as const;
  const validEntry = fc.record({
    entryKind: fc.constantFrom(...NOTE_KINDS),
    // Around the 1-letter and 10,000-letter bounds, with and without spaces to trim.
    text: fc
      .tuple(
        fc.constantFrom('', ' ', '\n\t', '\u00a0', '\ufeff'),
        fc.oneof(
          fc.string(),
          fc
            .tuple(
              fc.constantFrom('a', 'é', '😀', ' '),
              fc.oneof(fc.integer({ min: 0, max: 10_002 }), fc.constantFrom(1, 4_999, 5_000, 5_001, 9_999, 10_000, 10_001)),
            )
            .map(([letter, n]) => letter.repeat(n)),
        ),
        fc.constantFrom('', ' ', '\r\n'),
      )
      .map((parts) => parts.join('')),
    occurredAt: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(0, -0, 8_640_000_000_000_000)),
  });
  const entryPayload = fc.oneof(
    validEntry,
    fc.tuple(validEntry, fc.constantFrom(...ENTRY_KEYS), oddValue).map(([payload, key, value]) => ({ ...payload, [key]: value })),
    fc.tuple(validEntry, fc.constantFrom(...ENTRY_KEYS)).map(([payload, key]) => {
      const copy: Record<string, unknown> = { ...payload };
      delete copy[key];
      return copy;
    }),
    // A newer version's fields, before, between and after the known ones.
    fc
      .tuple(validEntry, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.boolean())
      .map(([payload, extra, first]) => (first ? { ...extra, ...payload } : { ...payload, ...extra })),
    fc.tuple(validEntry, fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf')).map(([payload, key]) => ({ ...payload, [key]: 1 })),
    validEntry.map((payload) => JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(payload).slice(1)}`) as Record<string, unknown>),
    validEntry.map((payload) => Object.assign(Object.create(null) as object, payload) as Record<string, unknown>),
    validEntry.map((payload) => Object.assign(Object.create({ inherited: 1 }) as object, payload) as Record<string, unknown>),
  );
  const schema = PayloadSchemas['timeline.entry'].loose();
  const envelope = (payload: unknown): EventEnvelope => ({
    ...fc.sample(validEnvelope, { numRuns: 1, seed: 2 })[0]!,
    kind: 'timeline.entry',
    payload: payload as Record<string, unknown>,
  });

  test("an entry's payload is accepted exactly as its tolerant schema accepts it, with the same fields in the same order", () => {
    fc.assert(
      fc.property(entryPayload, (payload) => {
        const expected = schema.safeParse(payload);
        let parsed: EventEnvelope | Error;
        try {
          parsed = parseKnownPayload(envelope(payload));
        } catch (error) {
          parsed = error as Error;
        }
        if (!expected.success) {
          expect(parsed).toBeInstanceOf(Error);
          expect((parsed as { issues?: unknown }).issues).toEqual(expected.error.issues);
          return;
        }
        expect(parsed).not.toBeInstanceOf(Error);
        const { payload: got } = parsed as EventEnvelope;
        // toStrictEqual tells 0 from -0, and a missing key from an undefined one.
        expect(got).toStrictEqual(expected.data);
        expect(Object.keys(got)).toEqual(Object.keys(expected.data));
        expect(got).not.toBe(payload);
      }),
      { numRuns: RUNS },
    );
  });
});

/** What the shape check said before it had a fast path: the full walk, then the exact UTF-8 size of the JSON. */
function referenceRefusal(raw: unknown): string | null {
  const shape = structuralProblem(raw, UNTRUSTED_LIMITS.maxEventDepth);
  if (shape) return shape;
  const bytes = utf8Bytes(JSON.stringify(raw) ?? '');
  return bytes > UNTRUSTED_LIMITS.maxEventBytes ? `the event is ${bytes} bytes of JSON; at most ${UNTRUSTED_LIMITS.maxEventBytes}` : null;
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
}

describe('shapeRefusal', () => {
  const hostile = fc.oneof(
    candidate,
    fc.integer({ min: 10, max: 20 }).map((depth) => nested(depth, 'x')),
    // Around the size limit, in one and in several texts, in ASCII, in 2- and 3-byte letters and in escapes.
    fc
      .tuple(fc.constantFrom('a', 'é', '€', '"', '\n', '😀', '\u0001'), fc.integer({ min: 40_000, max: 270_000 }), fc.integer({ min: 1, max: 3 }))
      .map(([letter, units, parts]) => ({ texts: Array.from({ length: parts }, () => letter.repeat(Math.ceil(units / parts / letter.length))) })),
    fc.constantFrom(
      { text: 'lone \ud800 surrogate' },
      { ['\udc00key']: 1 },
      JSON.parse('{"__proto__": 1}') as unknown,
      { constructor: 1 },
      {
        when: new Date(0),
      },
    ),
    fc.constantFrom([1, , 3], { gone: undefined }, { big: 10n }, { fn: () => 1 }),
  );

  test('refuses exactly what the full checks refuse, with the same reason', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        let reference: string | null | Error;
        try {
          reference = referenceRefusal(raw);
        } catch (error) {
          reference = error as Error;
        }
        if (reference instanceof Error) expect(() => shapeRefusal(raw)).toThrow(reference.message);
        else expect(shapeRefusal(raw)).toBe(reference);
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});

/** The scan jsonDepthExceeds made before it jumped from quote to quote: one letter at a time. */
function referenceDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

describe('jsonDepthExceeds', () => {
  test('answers as the letter-by-letter scan, for JSON and for any text of its letters', () => {
    const letters = fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', ',', ':');
    const text = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.array(letters, { maxLength: 60 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6 }), (json, limit) => {
        expect(jsonDepthExceeds(json, limit)).toBe(referenceDepthExceeds(json, limit));
      }),
      { numRuns: RUNS },
    );
  });
});
