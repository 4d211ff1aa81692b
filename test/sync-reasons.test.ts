import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initI18n } from '../renderer/i18n/index.js';
import { syncReasonText } from '../renderer/features/sync/sync-reason-text.js';
import { SYNC_REASON_CODES, syncReasonEnglish } from '../shared/sync/sync-reasons.js';
import { SyncError } from '../electron/sync/sync.js';

/**
 * Why sync failed, in the UI's language (issue #12): the engine gives each failure a stable
 * code, the console says it in English or French, and a failure it has no words for stays
 * readable in the engine's English.
 */
describe('sync failure reasons', () => {
  it('has English and French words for every reason the sync engine can give', () => {
    const source = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'electron', 'sync', 'sync.ts'), 'utf8');
    // Every snake_case word on a line that makes a SyncError or says why the status is an error.
    const lines = source.split('\n').filter((line) => line.includes('new SyncError(') || line.includes('reason: blocked'));
    const used = new Set(lines.flatMap((line) => [...line.matchAll(/'([a-z]+(?:_[a-z]+)+|[a-z]+)'/g)].map((m) => m[1]!)).filter((word) => word !== 'code'));
    // The engine names no reason outside the list (a new one gets words in both languages first).
    expect([...used].filter((code) => !(SYNC_REASON_CODES as readonly string[]).includes(code))).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
    const i18n = initI18n('en');
    for (const language of ['en', 'fr'])
      expect(
        SYNC_REASON_CODES.filter((code) => !i18n.exists(`sync.reason.${code}`, { lng: language, fallbackLng: [] })),
        `reasons without words in ${language}`,
      ).toEqual([]);
  });

  it('says a refused token in French in the French UI, with its figures, and keeps the English for a reason it does not know', async () => {
    const i18n = initI18n('fr');
    await i18n.changeLanguage('fr');
    const refused = new SyncError({ code: 'token_refused' }, false);
    expect(refused.message).toBe('The hub refused the team token (401). Check the token in the sync settings.');
    expect(syncReasonText({ reason: refused.reason, error: refused.message })).toBe(
      'Le hub a refusé le jeton d’équipe (401). Vérifiez le jeton dans les réglages de synchronisation.',
    );
    const unavailable = { code: 'hub_unavailable_detail', params: { status: 503, detail: 'maintenance until 02:00' } } as const;
    expect(syncReasonText({ reason: unavailable, error: syncReasonEnglish(unavailable) })).toBe('Le hub est indisponible (HTTP 503) : maintenance until 02:00');
    // A code from a newer core, or a failure inside this laptop without one: the English, never blank.
    expect(syncReasonText({ reason: { code: 'quantum_flux' }, error: 'The flux capacitor refused.' })).toBe('The flux capacitor refused.');
    expect(syncReasonText({ reason: null, error: 'SQLITE_BUSY: database is locked' })).toBe('SQLITE_BUSY: database is locked');
    await i18n.changeLanguage('en');
    expect(syncReasonText({ reason: refused.reason, error: refused.message })).toBe(refused.message);
  });
});
