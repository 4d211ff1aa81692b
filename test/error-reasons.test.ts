import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initI18n } from '../renderer/i18n/index.js';

/**
 * Errors people can read (issue #10): every stable reason the core, the archive reader and the
 * scenario reader refuse with has words in English and in French (renderer/api/error-text.ts
 * says a reason with no words by its kind of failure only, which tells the user much less).
 */
describe('refusal reasons', () => {
  it('has English and French words for every reason the core, the archive and the scenario reader can refuse with', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const sources = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) return sources(rel);
        return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [readFileSync(path.join(root, rel), 'utf8')] : [];
      });
    const reasons = new Set<string>();
    for (const text of [...sources('electron'), ...sources('shared')]) {
      // refuse('code', 'reason', …), conflict('reason', …) helpers, and the archive's and scenario reader's own errors.
      for (const match of text.matchAll(/\b(?:refuse\(\s*'[a-z_]+',\s*|conflict\(\s*|new (?:ArchiveError|ScenarioError)\(\s*)'([a-z_]+)'/g))
        reasons.add(match[1]!);
    }
    expect(reasons.size).toBeGreaterThan(40);
    for (const reason of ['archive_not_json', 'archive_rewrite', 'scenario_invalid', 'not_a_drill', 'pdf_no_chromium', 'search_no_words'])
      expect([...reasons]).toContain(reason);
    const i18n = initI18n('en');
    const missing = (language: string) => [...reasons].filter((reason) => !i18n.exists(`record.errors.reason.${reason}`, { lng: language, fallbackLng: [] }));
    expect(missing('en'), 'reasons without English words').toEqual([]);
    expect(missing('fr'), 'reasons without French words').toEqual([]);
  });
});
