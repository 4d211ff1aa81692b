import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeUtf8 } from './read-body.js';

describe('a pulled page read as text', () => {
  test('reads exactly as the UTF-8 decoder does: ASCII, accents, other scripts, emoji, broken bytes', () => {
    const page = (text: string) => Buffer.from(`{"events":[{"text":${JSON.stringify(text)}}],"more":false}`);
    for (const text of ['Fail over to DC2', 'Chloé: ça repart', '切换到备用线路', '📟 paged', '']) {
      expect(decodeUtf8(page(text))).toBe(page(text).toString('utf8'));
    }
    // A sequence cut short, a lone continuation byte, an overlong form: replaced the same way.
    for (const bytes of [[0x61, 0xc3], [0x80, 0x61], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]]) {
      expect(decodeUtf8(Buffer.from(bytes))).toBe(Buffer.from(bytes).toString('utf8'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), (bytes, text) => {
        expect(decodeUtf8(Buffer.from(bytes))).toBe(Buffer.from(bytes).toString('utf8'));
        expect(decodeUtf8(Buffer.from(text))).toBe(text);
      }),
    );
  });
});
