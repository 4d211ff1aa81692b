import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText } from './fold.js';

describe('foldText', () => {
  it('drops case and accents, in French and elsewhere', () => {
    expect(foldText('Décision Équipe')).toBe('decision equipe');
    expect(foldText('Chloé ATTÉNUÉ')).toBe('chloe attenue');
    expect(foldText('Ångström Øre naïve')).toBe('angstrom øre naive');
  });

  it('keeps everything else as typed, so it can be a search column and a key', () => {
    expect(foldText('  P1 · incident #42 ')).toBe('  p1 · incident #42 ');
  });

  it('folds plain ASCII (its fast path) exactly as any other text', () => {
    const reference = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) });
    const mixed = fc.string({ unit: fc.constantFrom('a', 'Z', 'é', 'É', 'e\u0301', 'İ', 'ß', 'Ω', '\u212a', '😀', ' ', '\n', '\x7f', '\x80') });
    fc.assert(
      fc.property(fc.oneof(ascii, mixed, fc.string({ unit: 'binary' })), (text) => {
        expect(foldText(text)).toBe(reference(text));
      }),
      { numRuns: 1000 },
    );
  });
});
