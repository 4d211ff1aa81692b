import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { mergeChannels } from './merge-channels.js';
import { channels } from './api.js';
import { ROLE_CHANNELS } from '../roles/roles.js';
import { CLOCK_CHANNELS } from '../clocks/policy.js';
import { TIMELINE_CHANNELS } from '../timeline/channels.js';
import { REVIEW_CHANNELS } from '../review/review.js';
import { LIBRARY_CHANNELS } from '../library/channels.js';
import { ALERT_CHANNELS } from '../alerts/channels.js';

const query = { kind: 'query', input: z.strictObject({}), output: z.string() } as const;
const command = { kind: 'command', input: z.strictObject({}), output: z.number() } as const;

describe('mergeChannels', () => {
  it('keeps every channel of every piece, in order', () => {
    const merged = mergeChannels({ 'a.get': query }, { 'b.set': command, 'b.get': query });
    expect(Object.keys(merged)).toEqual(['a.get', 'b.set', 'b.get']);
    expect(merged['b.set']).toBe(command);
  });

  it('refuses a channel name declared by two pieces, naming it', () => {
    expect(() => mergeChannels({ 'a.get': query, 'x.same': query }, { 'x.same': command })).toThrow('Channel "x.same" is declared twice');
  });

  it('the contract holds each feature piece as declared: no channel of one piece was replaced by another', () => {
    const contract: Record<string, unknown> = channels;
    for (const piece of [ROLE_CHANNELS, CLOCK_CHANNELS, TIMELINE_CHANNELS, REVIEW_CHANNELS, LIBRARY_CHANNELS, ALERT_CHANNELS]) {
      for (const [name, spec] of Object.entries(piece)) expect(contract[name], name).toBe(spec);
    }
  });
});
