import type { z } from 'zod';

/** One channel of the API contract: a query or a command, with the schemas of what goes in and comes out. */
export interface ChannelSpec {
  kind: 'query' | 'command';
  input: z.ZodType;
  output: z.ZodType;
}
export type ChannelMap = Readonly<Record<string, ChannelSpec>>;

type Merged<T extends readonly ChannelMap[]> = T extends readonly [infer Head extends ChannelMap, ...infer Rest extends readonly ChannelMap[]]
  ? Head & Merged<Rest>
  : unknown;
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * The channel map is assembled from one piece per feature. Spreading them would let a later piece
 * silently replace a channel of the same name; this refuses it when the module loads, so a clash
 * fails every test and the app's start rather than routing calls to the wrong handler.
 */
export function mergeChannels<const T extends readonly ChannelMap[]>(...pieces: T): Flat<Merged<T>> {
  const merged: Record<string, ChannelSpec> = {};
  for (const piece of pieces) {
    for (const [name, spec] of Object.entries(piece)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new Error(`Channel "${name}" is declared twice in the API contract`);
      merged[name] = spec;
    }
  }
  return merged as Flat<Merged<T>>;
}
