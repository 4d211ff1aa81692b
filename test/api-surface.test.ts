import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNEL_NAMES, channels } from '../shared/api/api.js';

/**
 * The whole contract between the renderer and the core, as JSON Schema. Any change to a channel,
 * its input or its output changes this file, so it shows up in review instead of slipping through.
 */
describe('API surface', () => {
  it('matches the recorded contract', async () => {
    const surface = Object.fromEntries(
      CHANNEL_NAMES.map((name) => {
        const { kind, input, output } = channels[name];
        return [name, { kind, input: z.toJSONSchema(input, { io: 'input' }), output: z.toJSONSchema(output) }];
      }),
    );
    await expect(JSON.stringify(surface, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/api-surface.json');
  });

  // That no name is declared twice is checked by mergeChannels when the contract loads (shared/api/merge-channels.test.ts).
  it('lists commands and queries only', () => {
    for (const name of CHANNEL_NAMES) expect(['query', 'command']).toContain(channels[name].kind);
  });
});
