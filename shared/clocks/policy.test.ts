import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCES } from '../comms/cadence.js';
import { parseEvent, type EventEnvelope, type EventKind, type PayloadOf } from '../record/events.js';
import { encodeHlc } from '../record/hlc.js';
import {
  AudienceSettingInputSchema,
  cadenceOf,
  DEFAULT_CALLOUT,
  effectiveSettings,
  foldSettings,
  SETTINGS_STREAM_ID,
  SlaSettingInputSchema,
} from './policy.js';
import { DEFAULT_SLA_POLICY } from './sla.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 8, 0);
let n = 0;

/** Stamps are unique per device (the counter makes them so), as a real HLC guarantees. */
function settingsEvent<K extends EventKind>(kind: K, payload: PayloadOf<K>, wall: number, node = 'dev-a', incidentId = SETTINGS_STREAM_ID): EventEnvelope {
  n++;
  return parseEvent({
    id: `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
    incidentId,
    kind,
    payload,
    actor: 'Ada',
    deviceId: node,
    hlc: encodeHlc({ wall, counter: n, node }),
    recordedAt: wall,
  });
}

describe('team settings fold', () => {
  it('is the defaults of DOMAIN.md when nothing was set', () => {
    const settings = effectiveSettings(foldSettings([]));
    expect(settings.slaPolicy).toEqual(DEFAULT_SLA_POLICY);
    expect(settings.audiences.map((a) => a.name)).toEqual(['customers', 'internal', 'executives']);
    expect(settings.audiences[0]).toMatchObject({ ...DEFAULT_CADENCES.customers, builtin: true, active: true });
    expect(settings.callout).toEqual(DEFAULT_CALLOUT);
  });

  it('keeps the latest stamp per field: two laptops changing different fields both keep theirs', () => {
    const events = [
      settingsEvent('settings.sla', { priority: 'P1', responseMs: 10 * MIN }, T0 + 2, 'dev-b'),
      settingsEvent('settings.sla', { priority: 'P1', resolutionMs: 120 * MIN }, T0 + 1, 'dev-a'),
      settingsEvent('settings.sla', { priority: 'P1', responseMs: 20 * MIN }, T0 + 1, 'dev-a'),
      settingsEvent('settings.sla', { priority: 'P5', responseMs: 3 * 60 * MIN, pausable: false }, T0),
    ];
    const policy = effectiveSettings(foldSettings(events)).slaPolicy;
    expect(policy.P1).toEqual({ responseMs: 10 * MIN, resolutionMs: 120 * MIN, pausable: true });
    expect(policy.P5).toEqual({ responseMs: 3 * 60 * MIN, resolutionMs: null, pausable: false });
    expect(policy.P2).toEqual(DEFAULT_SLA_POLICY.P2);
  });

  it('null sets a target to best effort, and a later value brings it back', () => {
    const off = settingsEvent('settings.sla', { priority: 'P3', responseMs: null }, T0);
    expect(effectiveSettings(foldSettings([off])).slaPolicy.P3.responseMs).toBeNull();
    const back = settingsEvent('settings.sla', { priority: 'P3', responseMs: 60 * MIN }, T0 + 1);
    expect(effectiveSettings(foldSettings([back, off])).slaPolicy.P3.responseMs).toBe(60 * MIN);
  });

  it('adds audiences by name after the built-in ones, with the new-audience rhythm unless set', () => {
    const events = [
      settingsEvent('settings.audience', { audience: 'Regulators', everyMs: 4 * 60 * MIN }, T0),
      settingsEvent('settings.audience', { audience: 'Partners', active: true }, T0),
      settingsEvent('settings.audience', { audience: 'executives', active: false }, T0),
    ];
    const settings = effectiveSettings(foldSettings(events));
    expect(settings.audiences.map((a) => [a.name, a.active, a.builtin])).toEqual([
      ['customers', true, true],
      ['internal', true, true],
      ['executives', false, true],
      ['Partners', true, false],
      ['Regulators', true, false],
    ]);
    expect(cadenceOf(settings, 'Regulators')).toMatchObject({ firstMs: DEFAULT_CADENCES.internal.firstMs, everyMs: 4 * 60 * MIN });
    expect(cadenceOf(settings, 'typed on a draft only')).toEqual(DEFAULT_CADENCES.internal);
  });

  it('turns the deputy call-out off with null', () => {
    const settings = effectiveSettings(foldSettings([settingsEvent('settings.callout', { everyMs: null }, T0)]));
    expect(settings.callout).toEqual({ everyMs: null, stalledAfterMs: DEFAULT_CALLOUT.stalledAfterMs });
  });

  it('ignores settings events written on an incident stream', () => {
    const stray = settingsEvent('settings.sla', { priority: 'P1', responseMs: MIN }, T0, 'dev-a', '00000000-0000-7000-8000-0000000000aa');
    expect(effectiveSettings(foldSettings([stray])).slaPolicy.P1).toEqual(DEFAULT_SLA_POLICY.P1);
  });

  it('any delivery order and any duplication give the same settings', () => {
    const priority = fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5' as const);
    const duration = fc.option(
      fc.integer({ min: 1, max: 500 }).map((m) => m * MIN),
      { nil: null },
    );
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('settings.sla' as const),
        payload: fc.record({ priority, responseMs: duration, pausable: fc.boolean() }, { requiredKeys: ['priority'] }),
      }),
      fc.record({
        kind: fc.constant('settings.audience' as const),
        payload: fc.record({ audience: fc.constantFrom('customers', 'Regulators'), everyMs: duration, active: fc.boolean() }, { requiredKeys: ['audience'] }),
      }),
      fc.record({ kind: fc.constant('settings.callout' as const), payload: fc.record({ everyMs: duration }, { requiredKeys: [] }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(step, fc.integer({ min: 0, max: 5 }), fc.constantFrom('dev-a', 'dev-b')), { minLength: 1, maxLength: 25 }),
        fc.integer(),
        (steps, seed) => {
          const events = steps.map(([s, dt, node], i) => settingsEvent(s.kind, s.payload as never, T0 + i * 3 + dt, node));
          const shuffled = fc.sample(fc.shuffledSubarray([...events, ...events.slice(0, 3)], { minLength: events.length + Math.min(3, events.length) }), {
            seed,
            numRuns: 1,
          })[0]!;
          expect(effectiveSettings(foldSettings(shuffled))).toEqual(effectiveSettings(foldSettings(events)));
        },
      ),
    );
  });
});

describe('what may be typed into the settings', () => {
  it('refuses targets that are not whole minutes, below a minute or above a year, and empty changes', () => {
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1', responseMs: 15 * MIN }).success).toBe(true);
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1', responseMs: null }).success).toBe(true);
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1', responseMs: 30_000 }).error?.issues[0]?.message).toBe('must be at least one minute');
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1', responseMs: 90_500 }).error?.issues[0]?.message).toBe('must be whole minutes');
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1', resolutionMs: 400 * 24 * 60 * MIN }).success).toBe(false);
    expect(SlaSettingInputSchema.safeParse({ priority: 'P1' }).success).toBe(false);
    expect(SlaSettingInputSchema.safeParse({ priority: 'P9', pausable: true }).success).toBe(false);
  });

  it('needs an audience name and at least one field', () => {
    expect(AudienceSettingInputSchema.safeParse({ audience: '  ', active: true }).success).toBe(false);
    expect(AudienceSettingInputSchema.safeParse({ audience: 'Regulators' }).success).toBe(false);
    expect(AudienceSettingInputSchema.parse({ audience: ' Regulators ', firstMs: null })).toEqual({ audience: 'Regulators', firstMs: null });
  });
});
