/**
 * Bodies from outside the team (monitoring sources) arrive as raw bytes: they are parsed here
 * with limits on size, depth and width, and names that could reach an object's prototype are
 * refused. Until the shared untrusted-input path (issue #9) lands this is the hub's own check;
 * the schemas that follow it come from shared/.
 */
export const UNTRUSTED_LIMITS = { bytes: 1024 * 1024, depth: 12, keys: 2000, arrayItems: 2000, string: 20_000 } as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class UntrustedInputError extends Error {
  override name = 'UntrustedInputError';
}

export function parseUntrustedJson(bytes: Buffer, limits = UNTRUSTED_LIMITS): unknown {
  if (bytes.length > limits.bytes) throw new UntrustedInputError(`body is ${bytes.length} bytes; at most ${limits.bytes}`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UntrustedInputError(`not JSON: ${(error as Error).message}`);
  }
  check(value, 0, limits, '$');
  return value;
}

function check(value: unknown, depth: number, limits: typeof UNTRUSTED_LIMITS, path: string): void {
  if (depth > limits.depth) throw new UntrustedInputError(`${path}: nested deeper than ${limits.depth}`);
  if (typeof value === 'string') {
    if (value.length > limits.string) throw new UntrustedInputError(`${path}: a string longer than ${limits.string}`);
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new UntrustedInputError(`${path}: not a finite number`);
  if (Array.isArray(value)) {
    if (value.length > limits.arrayItems) throw new UntrustedInputError(`${path}: more than ${limits.arrayItems} items`);
    value.forEach((item, i) => check(item, depth + 1, limits, `${path}[${i}]`));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length > limits.keys) throw new UntrustedInputError(`${path}: more than ${limits.keys} keys`);
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) throw new UntrustedInputError(`${path}: the key "${key}" is refused`);
      check((value as Record<string, unknown>)[key], depth + 1, limits, `${path}.${key}`);
    }
  }
}
