import { parseUntrustedJson, structuralProblem, UntrustedInputError } from '../shared/record/untrusted.js';

/**
 * Bodies from outside the team (monitoring sources) arrive as raw bytes. They go through the
 * shared untrusted-input path (shared/record/untrusted.ts), the one every other input takes:
 * nesting checked before parsing, no prototype names, well-formed text. What is added here is
 * only what a source's body needs besides: its size in bytes, UTF-8 that decodes, and bounds on
 * its width (how many keys, items and characters), since one body may carry many alerts.
 */
export const SOURCE_BODY_LIMITS = { bytes: 1024 * 1024, depth: 12, keys: 2000, arrayItems: 2000, string: 20_000 } as const;

export { UntrustedInputError };

export function parseSourceBody(bytes: Buffer, limits = SOURCE_BODY_LIMITS): unknown {
  if (bytes.length > limits.bytes) throw new UntrustedInputError('too_large', `body is ${bytes.length} bytes; at most ${limits.bytes}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UntrustedInputError('malformed_text', 'body is not UTF-8 text');
  }
  const value = parseUntrustedJson(text, limits.depth);
  const structure = structuralProblem(value, limits.depth);
  if (structure) throw new UntrustedInputError(structure.includes('not allowed as a name') ? 'forbidden_name' : 'malformed_text', structure);
  const width = widthProblem(value, limits);
  if (width) throw new UntrustedInputError('too_large', width);
  return value;
}

/** How wide a body is, walked iteratively (its depth is already bounded): keys, items, string lengths, finite numbers. */
function widthProblem(value: unknown, limits: typeof SOURCE_BODY_LIMITS): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '$' }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.string) return `${path}: a string longer than ${limits.string}`;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return `${path}: not a finite number`;
    } else if (Array.isArray(current)) {
      if (current.length > limits.arrayItems) return `${path}: more than ${limits.arrayItems} items`;
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current);
      if (keys.length > limits.keys) return `${path}: more than ${limits.keys} keys`;
      for (const key of keys) stack.push({ value: (current as Record<string, unknown>)[key], path: `${path}.${key}` });
    }
  }
  return null;
}
