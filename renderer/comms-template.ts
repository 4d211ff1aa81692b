import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import { AUDIENCES } from '../shared/events.js';
import type { IncidentView } from '../shared/fold.js';
import { UPDATE_CADENCE_MS } from './cadence.js';
import { shortTime } from './format.js';

/**
 * A starting point for a status update, in the console's language, filled from the
 * incident as it stands: what, status and priority, impact and services, and when the
 * next update will come (DOMAIN.md's "regular updates carry…"). The writer completes it.
 */
export function draftTemplate(view: IncidentView, audience: string, now: number, t: TFunction, locale: Locale): string {
  const known = (AUDIENCES as readonly string[]).includes(audience) ? (audience as (typeof AUDIENCES)[number]) : 'other';
  const impact = t(`level.${view.impact}`);
  // The next update is promised one cadence after this one goes out.
  const cadence = UPDATE_CADENCE_MS[view.priority];
  const next = cadence === null ? t('template.nextAtChange') : shortTime(now + cadence, now, locale);
  return [
    t(`template.greeting_${known}`, { title: view.title }),
    t('template.status', { status: t(`status.${view.status}`), priority: view.priority }),
    view.services.length ? t('template.impact', { impact, services: view.services.join(', ') }) : t('template.impactNoServices', { impact }),
    t('template.doing'),
    t('template.next', { next }),
  ].join('\n');
}
