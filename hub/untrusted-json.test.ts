import { describe, expect, it } from 'vitest';
import { UNTRUSTED_LIMITS, UntrustedInputError as SharedUntrustedInputError } from '../shared/record/untrusted.js';
import { parseSourceBody, SOURCE_BODY_LIMITS, UntrustedInputError } from './untrusted-json.js';

/** A monitoring source's body goes through the same untrusted-input path as every other input (issue #13). */
describe('a source body on the shared untrusted-input path', () => {
  const refused = (body: Buffer | string) => {
    try {
      parseSourceBody(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
    } catch (error) {
      expect(error).toBeInstanceOf(SharedUntrustedInputError);
      return (error as InstanceType<typeof UntrustedInputError>).code;
    }
    return 'accepted';
  };

  it('is the shared error class, not a copy', () => {
    expect(UntrustedInputError).toBe(SharedUntrustedInputError);
    expect(SOURCE_BODY_LIMITS.depth).toBeLessThanOrEqual(UNTRUSTED_LIMITS.maxDocumentDepth);
  });

  it('accepts an ordinary alert body', () => {
    expect(parseSourceBody(Buffer.from(JSON.stringify({ title: 'Disk full', labels: { service: 'db' } })))).toEqual({
      title: 'Disk full',
      labels: { service: 'db' },
    });
  });

  it('refuses what the consoles refuse: lone surrogates in a value or a key, prototype names, nesting checked before parsing', () => {
    expect(refused('{"title":"\\ud800 half a character"}')).toBe('malformed_text');
    expect(refused('{"\\udc00":"x"}')).toBe('malformed_text');
    expect(refused('{"title":"x","__proto__":{"admin":true}}')).toBe('forbidden_name');
    expect(refused('{"link":{"constructor":{"prototype":1}}}')).toBe('forbidden_name');
    // Far too deep for a recursive walk: refused by the linear scan, before JSON.parse sees it.
    expect(refused('['.repeat(200_000) + ']'.repeat(200_000))).toBe('too_deep');
    expect(refused('{"title": ')).toBe('not_json');
  });

  it('refuses bytes that are not UTF-8 instead of turning them into replacement characters', () => {
    expect(refused(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toBe('malformed_text');
  });

  it('keeps the limits a source body needs besides: size and width', () => {
    expect(refused('x'.repeat(SOURCE_BODY_LIMITS.bytes + 1))).toBe('too_large');
    expect(refused(JSON.stringify({ d: 'x'.repeat(SOURCE_BODY_LIMITS.string + 1) }))).toBe('too_large');
    expect(refused(JSON.stringify(Array.from({ length: SOURCE_BODY_LIMITS.arrayItems + 1 }, () => 0)))).toBe('too_large');
  });
});
