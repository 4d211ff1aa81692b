import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../record/events.js';
import { encodeHlc } from '../record/hlc.js';
import {
  admitPulled,
  isSealedEvent,
  MAX_SEALED_EVENT_BYTES,
  openSealed,
  outgoing,
  SealedEventSchema,
  sealEvent,
  sealedForOutbox,
  sealToTeam,
  sealedRefusal,
  UNOPENED_KIND,
  type SealedEvent,
} from './sealing.js';
import {
  createKeyring,
  fingerprintOf,
  fromBase64Url,
  mergeKeyrings,
  newPairingCode,
  normalisePairingCode,
  rotateKeyring,
  teamPublicKeyOf,
  TeamKeyringSchema,
  toBase64Url,
  unwrapKeyring,
  wrapKeyring,
} from './team-key.js';

const NOW = Date.UTC(2026, 11, 3, 2, 0, 0);
const uuid = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const INCIDENT = uuid(0xabc);
const PHRASE = 'the attacker pivoted through the VPN concentrator';

function note(n: number, at = NOW + n, text = PHRASE): EventEnvelope {
  return {
    id: uuid(n),
    incidentId: INCIDENT,
    kind: 'timeline.entry',
    payload: { entryKind: 'note', text, occurredAt: at },
    actor: 'Ada',
    deviceId: 'laptopA',
    hlc: encodeHlc({ wall: at, counter: 0, node: 'laptopA' }),
    recordedAt: at,
  };
}

const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

describe('sealing an event with the team key', () => {
  const ring = createKeyring('ops', NOW - 60_000);

  it('hides everything but the routing fields, and opens to the same event', () => {
    const event = note(1);
    const sealed = sealEvent(event, ring);
    expect(JSON.stringify(sealed)).not.toContain('attacker');
    expect(JSON.stringify(sealed)).not.toContain('Ada');
    expect(sealed).toMatchObject({ seal: 'key', id: event.id, incidentId: INCIDENT, family: 'timeline', hlc: event.hlc, keyId: ring.current });
    expect(sealedRefusal(sealed)).toBeNull();
    expect(openSealed(sealed, ring)).toEqual({ ok: true, event });
    const pulled = admitPulled([sealed], ring, { now: NOW });
    expect(pulled.events).toEqual([event]);
    expect(pulled.quarantine.size).toBe(0);
  });

  it("writes the outbox's sealed JSON as JSON.stringify would, and it opens to the same event (any text, actor, device, kind)", () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    fc.assert(
      fc.property(
        fc.record({ text, actor: text, deviceId: text, kind: fc.constantFrom('timeline.entry', 'incident.declared', 'task.added', 'future_kind.x') }),
        fc.boolean(),
        ({ text: typed, actor, deviceId, kind }, madeJson) => {
          const event = { ...note(5, NOW + 5, typed), actor, deviceId, kind };
          // The store hands the payload's JSON it writes into the log; without it the sealer makes it.
          const { wire, keyId } = sealedForOutbox(event, ring, undefined, madeJson ? JSON.stringify(event.payload) : undefined);
          const sealed = JSON.parse(wire) as SealedEvent;
          expect(JSON.stringify(sealed)).toBe(wire);
          expect(Object.keys(sealed)).toEqual(['seal', 'v', 'id', 'incidentId', 'family', 'hlc', 'keyId', 'nonce', 'box']);
          expect(isSealedEvent(sealed)).toBe(true);
          expect(keyId).toBe(ring.current);
          expect(openSealed(sealed, ring)).toEqual({ ok: true, event });
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['id', (s: SealedEvent) => ({ ...s, id: uuid(99) })],
    ['incident', (s: SealedEvent) => ({ ...s, incidentId: uuid(98) })],
    ['kind family', (s: SealedEvent) => ({ ...s, family: 'tasks' })],
    ['clock', (s: SealedEvent) => ({ ...s, hlc: encodeHlc({ wall: NOW + 5, counter: 1, node: 'laptopA' }) })],
    ['ciphertext', (s: SealedEvent) => ({ ...s, box: flip(s.box, 10) })],
    ['nonce', (s: SealedEvent) => ({ ...s, nonce: flip(s.nonce, 3) })],
  ])('a sealed event whose %s was changed does not open, and is kept quarantined', (_what, tamper) => {
    const tampered = tamper(sealEvent(note(2), ring));
    const pulled = admitPulled([tampered], ring, { now: NOW });
    expect(pulled.refused).toEqual([]);
    expect(pulled.events).toHaveLength(1);
    expect(pulled.events[0]).toMatchObject({ id: tampered.id, kind: UNOPENED_KIND, payload: { sealed: tampered } });
    expect(pulled.quarantine.get(tampered.id)?.code).toBe('not_authentic');
    // Kept as it came, so it goes onward byte for byte.
    expect(outgoing(pulled.events[0]!, ring)).toEqual(tampered);
  });

  it('the hub refuses a sealed event over the size limit, counting its envelope, right at the limit', () => {
    const sealed = sealEvent(note(3), ring);
    const envelope = JSON.stringify({ ...sealed, box: '' }).length;
    const fits = { ...sealed, box: 'A'.repeat(MAX_SEALED_EVENT_BYTES - envelope) };
    expect(JSON.stringify(fits).length).toBe(MAX_SEALED_EVENT_BYTES);
    expect(sealedRefusal(fits)).toBeNull();
    const over = { ...sealed, box: 'A'.repeat(MAX_SEALED_EVENT_BYTES - envelope + 1) };
    expect(sealedRefusal(over)).toBe(`the sealed event is ${MAX_SEALED_EVENT_BYTES + 1} bytes; at most ${MAX_SEALED_EVENT_BYTES}`);
    // A box as long as the schema allows, with the envelope around it: over.
    expect(sealedRefusal({ ...sealed, box: 'A'.repeat(MAX_SEALED_EVENT_BYTES) })).toMatch(/^the sealed event is \d+ bytes; at most /);
    expect(sealedRefusal({ ...sealed, box: 'A'.repeat(MAX_SEALED_EVENT_BYTES + 1) })).toMatch(/^box: /);
  });

  it('another team key (a wrong key) neither opens nor passes for the team', () => {
    const other = createKeyring('ops', NOW - 30_000);
    const sealed = sealEvent(note(3), other);
    expect(admitPulled([sealed], ring, { now: NOW }).quarantine.get(sealed.id)?.code).toBe('unknown_key');
    expect(admitPulled([sealed], null, { now: NOW }).quarantine.get(sealed.id)?.code).toBe('no_team_key');
    // A key file claiming the team's key id with other bytes is refused outright.
    const forged = { ...other, current: ring.current, keys: [{ ...other.keys[0]!, id: ring.current }] };
    expect(TeamKeyringSchema.safeParse(forged).success).toBe(false);
  });

  it('the same team name with another key does not open either (the AEAD, not the id, decides)', () => {
    const other = createKeyring('ops', NOW);
    const sealed = { ...sealEvent(note(4), other), keyId: ring.current };
    expect(admitPulled([sealed], ring, { now: NOW }).quarantine.get(sealed.id)?.code).toBe('not_authentic');
  });

  it('a laptop holding the team key quarantines events that arrive in clear after the team began sealing', () => {
    const before = note(5, ring.keys[0]!.createdAt - 1000);
    const after = note(6);
    const pulled = admitPulled([before, after], ring, { now: NOW });
    expect(pulled.events.map((e) => e.id)).toEqual([before.id, after.id]);
    expect(pulled.quarantine.has(before.id)).toBe(false);
    expect(pulled.quarantine.get(after.id)?.code).toBe('not_sealed');
    // A team without a key syncs in clear, as before.
    expect(admitPulled([after], null, { now: NOW }).quarantine.size).toBe(0);
    expect(outgoing(after, null)).toBe(after);
  });

  it('after a rotation new events use the new key and old events still open', () => {
    const old = sealEvent(note(7), ring);
    const rotated = rotateKeyring(ring, NOW);
    const fresh = sealEvent(note(8), rotated);
    expect(fresh.keyId).not.toBe(old.keyId);
    expect(openSealed(old, rotated).ok).toBe(true);
    expect(openSealed(fresh, rotated).ok).toBe(true);
    // A laptop left with the old keyring cannot open what is sealed after the rotation.
    expect(openSealed(fresh, ring)).toMatchObject({ ok: false, reason: { code: 'unknown_key' } });
    // Merging a key file brings the new key and makes it current; merging the old one back changes nothing.
    const merged = mergeKeyrings(ring, rotated);
    expect(merged.current).toBe(rotated.current);
    expect(mergeKeyrings(merged, ring)).toEqual(merged);
    expect(() => mergeKeyrings(ring, createKeyring('sec', NOW))).toThrow(/team "sec"/);
  });
});

describe('the sealed envelope’s shape check (written out, for speed)', () => {
  const ring = createKeyring('ops', NOW - 60_000);
  const keySealed = sealEvent(note(30), ring);
  const boxSealed = sealToTeam({ ...note(31), kind: 'alert.received', deviceId: 'hub' }, { ...teamPublicKeyOf(ring), team: 'ops' });
  const zodRefusal = (raw: unknown): string | null => {
    const parsed = SealedEventSchema.safeParse(raw);
    return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  };
  const fields = [...new Set([...Object.keys(boxSealed), 'extra', 'constructor'])];
  // Near misses of each field's pattern, and values of the wrong type.
  const nearMiss = (valid: unknown) =>
    typeof valid === 'string'
      ? fc.oneof(
          fc.nat({ max: Math.max(0, valid.length - 1) }).map((at) => valid.slice(0, at) + valid.slice(at + 1)),
          fc
            .tuple(fc.nat({ max: valid.length }), fc.constantFrom('A', 'a', 'Z', '0', '-', '_', ':', '.', '"', '\\', ' ', 'é', '\n'))
            .map(([at, c]) => valid.slice(0, at) + c + valid.slice(at)),
          fc
            .tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), fc.constantFrom('G', 'g', 'Z', '+', '/', '=', ' ', 'É'))
            .map(([at, c]) => valid.slice(0, at) + c + valid.slice(at + 1)),
          fc.constant(valid.toUpperCase()),
          fc.constant(''),
        )
      : fc.constantFrom(0, 2, '1', 1.5);
  const mutation = fc.oneof(
    // A field removed, set to anything at all, or near its pattern.
    fc.record({ field: fc.constantFrom(...fields), remove: fc.constant(true), value: fc.constant(undefined as unknown) }),
    fc.record({ field: fc.constantFrom(...fields), remove: fc.constant(false), value: fc.anything() }),
    // Around the family's length limit (32).
    fc.record({ field: fc.constant('family'), remove: fc.constant(false), value: fc.stringMatching(/^[a-z][a-z0-9_]{28,34}$/) as fc.Arbitrary<unknown> }),
    fc
      .constantFrom(...fields)
      .chain((field) =>
        fc.record({ field: fc.constant(field), remove: fc.constant(false), value: nearMiss((boxSealed as Record<string, unknown>)[field] ?? 'x') }),
      ),
  );

  it('accepts exactly what SealedEventSchema accepts, and refuses with the schema’s words', () => {
    fc.assert(
      fc.property(fc.constantFrom(keySealed, boxSealed), fc.array(mutation, { maxLength: 3 }), (valid, changes) => {
        const raw: Record<string, unknown> = { ...valid };
        for (const change of changes) {
          if (change.remove) delete raw[change.field];
          else raw[change.field] = change.value;
        }
        // Through JSON, as every envelope arrives.
        const arrived = JSON.parse(JSON.stringify(raw)) as unknown;
        expect(isSealedEvent(arrived)).toBe(SealedEventSchema.safeParse(arrived).success);
        expect(sealedRefusal(arrived)).toBe(zodRefusal(arrived));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves what is not a plain object to the schema', () => {
    for (const odd of [
      null,
      7,
      'sealed',
      [keySealed],
      Object.assign(Object.create(null) as object, keySealed),
      JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(keySealed).slice(1)}`),
    ]) {
      expect(isSealedEvent(odd)).toBe(false);
      expect(sealedRefusal(odd)).toBe(zodRefusal(odd));
    }
    expect(isSealedEvent(keySealed)).toBe(true);
    expect(isSealedEvent(boxSealed)).toBe(true);
  });

  it('a laptop refuses a broken envelope with the reason, and keeps nothing of it', () => {
    const broken = [
      { ...keySealed, keyId: 'not-a-key-id' },
      { ...keySealed, extra: 'field' },
      { ...keySealed, v: 2 },
      { ...keySealed, seal: 'box' },
      { ...keySealed, box: `${keySealed.box}==` },
    ];
    const pulled = admitPulled([...broken, keySealed], ring, { now: NOW });
    expect(pulled.refused).toEqual([
      { index: 0, reason: 'keyId: must be a team key id (16 hex digits)' },
      { index: 1, reason: '(root): Unrecognized key: "extra"' },
      { index: 2, reason: 'v: Invalid input: expected 1' },
      { index: 3, reason: 'epk: Invalid input: expected string, received undefined' },
      { index: 4, reason: 'box: Invalid string: must match pattern /^[A-Za-z0-9_-]+$/' },
    ]);
    // Only the intact one is kept; nothing of the broken ones, not even quarantined.
    expect(pulled.events.map((e) => e.id)).toEqual([keySealed.id]);
    expect(pulled.quarantine.size).toBe(0);
  });
});

describe('the team public key: what the hub seals to', () => {
  const ring = createKeyring('ops', NOW - 60_000);
  const alert: EventEnvelope = {
    id: uuid(20),
    incidentId: uuid(21),
    kind: 'alert.received',
    payload: { title: 'db-primary down' },
    actor: 'Prometheus',
    deviceId: 'hub',
    hlc: encodeHlc({ wall: NOW, counter: 0, node: 'hub' }),
    recordedAt: NOW,
  };

  it('opens with the team key and hides the alert from whoever reads the store', () => {
    const sealed = sealToTeam(alert, { ...teamPublicKeyOf(ring), team: 'ops' });
    expect(JSON.stringify(sealed)).not.toContain('db-primary');
    expect(openSealed(sealed, ring)).toEqual({ ok: true, event: alert });
  });

  it('may only carry what the hub itself writes', () => {
    const forged = sealToTeam({ ...note(22), deviceId: 'hub' }, { ...teamPublicKeyOf(ring), team: 'ops' });
    expect(openSealed(forged, ring)).toMatchObject({ ok: false, reason: { code: 'not_authentic' } });
    const notHub = sealToTeam({ ...alert, deviceId: 'laptopA' }, { ...teamPublicKeyOf(ring), team: 'ops' });
    expect(openSealed(notHub, ring)).toMatchObject({ ok: false, reason: { code: 'not_authentic' } });
  });
});

describe('pairing code and passphrase', () => {
  it('wrap the keyring so only both together open it', async () => {
    const ring = createKeyring('ops', NOW);
    const code = newPairingCode();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(normalisePairingCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    const wrapped = await wrapKeyring(ring, code, 'correct horse battery');
    expect(JSON.stringify(wrapped)).not.toContain(ring.keys[0]!.key);
    expect(await unwrapKeyring(wrapped, code, 'correct horse battery')).toEqual(ring);
    expect(await unwrapKeyring(wrapped, code, 'correct horse battery!')).toBeNull();
    expect(await unwrapKeyring(wrapped, newPairingCode(), 'correct horse battery')).toBeNull();
  }, 90_000);

  it('fingerprints differ between keys and base64url round-trips', () => {
    const a = fromBase64Url(createKeyring('ops', NOW).keys[0]!.key);
    const b = fromBase64Url(createKeyring('ops', NOW).keys[0]!.key);
    expect(fingerprintOf(a)).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(b));
    expect(fromBase64Url(toBase64Url(a))).toEqual(a);
  });
});
