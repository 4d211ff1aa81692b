import { describe, expect, it } from 'vitest';
import { QUARANTINE_CODES } from '../../../shared/record/untrusted.js';
import { initI18n } from '../../i18n/index.js';
import { FAMILY_OF, QUARANTINE_FAMILIES } from './quarantine-families.js';

/**
 * The quarantine dialog's introduction explains every reason an event can be set aside for
 * (issue #9): each reason the core gives belongs to a family the introduction has a sentence
 * for, in English and in French, and no family is said for nothing.
 */
describe('the quarantine introduction', () => {
  it('has a family, said in English and French, for every reason the core quarantines with', () => {
    const i18n = initI18n('en');
    for (const code of QUARANTINE_CODES) expect(QUARANTINE_FAMILIES, code).toContain(FAMILY_OF[code]);
    expect(new Set(QUARANTINE_CODES.map((code) => FAMILY_OF[code]))).toEqual(new Set(QUARANTINE_FAMILIES));
    for (const language of ['en', 'fr']) {
      const sentences = QUARANTINE_FAMILIES.map((family) => i18n.t(`quarantine.family.${family}`, { lng: language, fallbackLng: [] }));
      for (const [index, sentence] of sentences.entries()) expect(sentence, `${language}: ${QUARANTINE_FAMILIES[index]}`).not.toMatch(/^quarantine\./);
      expect(new Set(sentences).size).toBe(QUARANTINE_FAMILIES.length);
    }
    // The sealed family names what each sealed reason is about, in both languages.
    expect(i18n.t('quarantine.family.sealed', { lng: 'en' })).toMatch(/no team key.*does not hold.*changed.*unsealed/);
    expect(i18n.t('quarantine.family.sealed', { lng: 'fr' })).toMatch(/pas de clé d’équipe.*n’a pas.*modifié.*en clair/);
  });
});
