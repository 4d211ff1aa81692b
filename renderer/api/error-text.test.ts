import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, describeIssues } from '../../shared/api/api.js';
import { ZoneInputSchema } from '../../shared/clocks/zones.js';
import { initI18n } from '../i18n/index.js';
import { errorText } from './error-text.js';

const refused = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a refusal');
  return new ApiError(describeIssues(parsed.error));
};

describe('errorText: what a person reads is built from the codes, in their language', () => {
  it('says a core refusal by its reason, with its params translated', () => {
    const i18n = initI18n('fr');
    const error = new ApiError({
      code: 'conflict',
      message: 'The incident is already resolved.',
      reason: 'incident_same_status',
      params: { status: 'resolved' },
    });
    expect(errorText(error)).toBe('L’incident est déjà au statut Résolu.');
    void i18n.changeLanguage('en');
    expect(errorText(error)).toBe('The incident is already Resolved.');
  });

  it('names each refused field and its problem, never zod’s English', () => {
    const i18n = initI18n('fr');
    const title = refused(z.strictObject({ title: z.string().trim().min(1).max(200) }), { title: '' });
    expect(errorText(title)).toBe('Titre : est vide');
    const long = refused(z.strictObject({ reason: z.string().max(200) }), { reason: 'x'.repeat(201) });
    expect(errorText(long)).toBe('Motif : est trop long (au plus 200 caractères)');
    const zone = refused(z.strictObject({ zones: z.array(ZoneInputSchema) }), { zones: ['Mars/Olympus'] });
    expect(errorText(zone)).toMatch(/^Fuseau horaire : « Mars\/Olympus » n’est pas un fuseau horaire connu/);
    for (const error of [title, long, zone]) expect(errorText(error)).not.toMatch(/Too small|Too big|expected|unknown time zone/i);
    void i18n.changeLanguage('en');
    expect(errorText(title)).toBe('Title: is empty');
  });

  it('falls back on the kind of failure, and on "no answer" for anything that is not an API error', () => {
    initI18n('en');
    expect(errorText(new ApiError({ code: 'not_found', message: 'No person with id 7 in the directory.' }))).toBe('What this refers to is no longer here.');
    expect(errorText(new TypeError('Failed to fetch'))).toBe('The console core did not answer. Nothing was recorded; try again.');
  });

  it('says an archive’s refusal in French with its params, never the core’s English', () => {
    initI18n('fr');
    const error = new ApiError({
      code: 'invalid_input',
      message: 'Event 3 of 9 is invalid: payload.text: Too small',
      reason: 'archive_event_invalid',
      params: { n: 3, total: 9 },
    });
    expect(errorText(error)).toBe('L’événement 3 sur 9 de l’archive n’est pas valide : elle n’a pas été importée et rien n’a changé.');
  });
});
