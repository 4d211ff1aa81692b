import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import type { MetricProblem } from '../../../shared/review/metrics.js';
import { en } from '../../i18n/en.js';
import { fr } from '../../i18n/fr.js';
import { problemEventIds, problemText } from './review-text.js';

async function translator(lng: 'en' | 'fr'): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({
    lng,
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance.t;
}

const ID = '01900000-0000-7000-8000-000000000001';

/** One of every problem a metric can report. */
const PROBLEMS: MetricProblem[] = [
  { code: 'missing', milestone: 'mitigated' },
  { code: 'out_of_order', milestone: 'detected', after: 'occurred' },
  { code: 'reopened', times: 1 },
  { code: 'reopened', times: 3 },
  { code: 'priority_changed', priority: 'P1' },
  { code: 'no_target', priority: 'P5' },
  { code: 'backdated', eventIds: [ID] },
  { code: 'before_declared', eventIds: [ID, ID] },
  { code: 'still_open' },
];

describe('what a metric problem says', () => {
  it('says every problem in words, in English and in French, never as a raw key', async () => {
    for (const lng of ['en', 'fr'] as const) {
      const t = await translator(lng);
      for (const problem of PROBLEMS) {
        const text = problemText(problem, t);
        expect(text, `${lng} ${problem.code}`).not.toMatch(/review\.|\{\{/);
        expect(text.length).toBeGreaterThan(10);
      }
    }
  });

  it('names the milestones and counts', async () => {
    const t = await translator('en');
    expect(problemText({ code: 'out_of_order', milestone: 'detected', after: 'occurred' }, t)).toBe(
      '“detected” is stamped before “occurred”: check the times.',
    );
    expect(problemText({ code: 'reopened', times: 1 }, t)).toBe('Reopened once: measured to the last resolution.');
    expect(problemText({ code: 'reopened', times: 2 }, t)).toBe('Reopened 2 times: measured to the last resolution.');
    const fr = await translator('fr');
    expect(problemText({ code: 'missing', milestone: 'mitigated' }, fr)).toBe('Aucune heure « atténué » n’a été enregistrée.');
  });

  it('points at the entries a problem names', () => {
    expect(problemEventIds({ code: 'backdated', eventIds: [ID] })).toEqual([ID]);
    expect(problemEventIds({ code: 'still_open' })).toEqual([]);
  });
});
