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
});
