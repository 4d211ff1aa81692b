import { describe, expect, test } from 'vitest';
import { parseEvent } from '../record/events.js';
import { describeEvent, sentenceTranslator } from '../record/sentences.js';

/**
 * A delivery failure comes from the hub, which has no reader: it travels as a code and values, and
 * each console says it in its reader's language. A code this version does not know (a newer hub)
 * is accepted and shown in the hub's own English words rather than quarantined.
 */
const outcome = (extra: Record<string, unknown>) =>
  parseEvent({
    id: '0190a0b0-0000-7000-8000-000000000001',
    incidentId: '0190a0b0-0000-7000-8000-000000000100',
    kind: 'delivery.outcome',
    payload: {
      draftId: '0190a0b0-0000-7000-8000-000000000200',
      channelId: 'status-hook',
      channelKind: 'webhook',
      state: 'failed',
      attempts: 5,
      reason: 'could not reach hooks.example (ECONNREFUSED)',
      occurredAt: 1_700_000_000_000,
      ...extra,
    },
    actor: 'hub',
    deviceId: 'hub',
    hlc: '001700000000000:000000:hub',
    recordedAt: 1_700_000_000_000,
  });

const say = (language: 'en' | 'fr', extra: Record<string, unknown>) =>
  describeEvent(outcome(extra), { t: sentenceTranslator(language), view: null, time: String, duration: String }).text;

describe('a delivery failure, said by the console', () => {
  const failure = { code: 'unreachable', params: { host: 'hooks.example', cause: 'ECONNREFUSED' } };

  test('in the reader’s language, from its code', () => {
    expect(say('fr', { failure })).toBe('Mise à jour non livrée par status-hook (webhook) : impossible de joindre hooks.example (ECONNREFUSED)');
    expect(say('en', { failure })).toBe('Update not delivered through status-hook (webhook): could not reach hooks.example (ECONNREFUSED)');
  });

  test('in the hub’s words when the code is unknown here or absent (an older hub)', () => {
    const newer = { failure: { code: 'quota_exceeded', params: { host: 'hooks.example' } } };
    expect(say('fr', newer)).toBe('Mise à jour non livrée par status-hook (webhook) : could not reach hooks.example (ECONNREFUSED)');
    expect(say('fr', {})).toContain(': could not reach hooks.example (ECONNREFUSED)');
  });

  test('a failure that is not a code and values is refused like any malformed payload; a prototype key is dropped', () => {
    expect(() => outcome({ failure: { code: 'Not A Code', params: {} } })).toThrow();
    expect(() => outcome({ failure: { code: 'smtp', params: { 'server name': 'x' } } })).toThrow();
    expect(() => outcome({ failure: { code: 'smtp', params: { detail: 'x'.repeat(301) } } })).toThrow();
    const hostile = outcome({ failure: { code: 'smtp', params: JSON.parse('{"__proto__":{"polluted":"yes"},"server":"mx","detail":"550"}') } });
    expect(Object.keys((hostile.payload['failure'] as { params: object }).params)).toEqual(['server', 'detail']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
