import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import { BUILTIN_AUDIENCES, promisedNextAt, type AudienceCadence } from '../../../shared/comms/cadence.js';
import { changesSince, type CommsChange } from '../../../shared/comms/templates.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { CommsContext } from '../../../shared/clocks/policy.js';
import { describeDuration } from '../clocks/duration-text.js';
import { shortTime } from '../../ui/format.js';

export interface TemplateInput {
  view: IncidentView;
  audience: string;
  /** When the draft is written; the promised next update counts from here. */
  now: number;
  cadence: AudienceCadence;
  /** What the core found for this audience: when it last heard from us, and the decisions since. */
  context: CommsContext;
}

type Known = (typeof BUILTIN_AUDIENCES)[number] | 'other';

/**
 * A starting point for a status update, in the console's language and in the register of its
 * audience: customers get plain words and no internal detail, executives the business view,
 * internal teams the working detail. Each says what changed since this audience last heard
 * from us and when it will hear again (DOMAIN.md's "regular updates carry…"); the writer
 * completes and edits it.
 */
export function draftTemplate({ view, audience, now, cadence, context }: TemplateInput, t: TFunction, locale: Locale): string {
  const known: Known = (BUILTIN_AUDIENCES as readonly string[]).includes(audience) ? (audience as Known) : 'other';
  const time = (at: number) => shortTime(at, now, locale);
  const nextAt = promisedNextAt(view, cadence, now);
  const services = view.services.join(', ');
  const impact = t(`level.${view.impact}`);
  const status = t(`status.${view.status}`);
  const changes = changesSince(view, context.decisions, context.lastSentAt ?? view.declaredAt).filter(
    // Customers hear where things stand, never the room's working detail: no priority label (an
    // internal yardstick) and no decisions (they name systems, vendors, people). The writer adds
    // what they choose to share.
    (c) => known !== 'customers' || c.kind === 'status',
  );
  const changeLines = (): string[] => {
    if (!changes.length) return context.lastSentAt === null ? [] : [t('template.sinceLast', { time: time(context.lastSentAt) }), t('template.noChange')];
    const heading = context.lastSentAt === null ? t('template.sinceDeclared') : t('template.sinceLast', { time: time(context.lastSentAt) });
    return [heading, ...changes.map((c) => changeLine(c, t, time))];
  };
  const next = nextAt === null ? t('template.nextAtChange') : time(nextAt);

  if (known === 'customers') {
    return [
      t('template.greeting_customers', { title: view.title }),
      // Internal service names (checkout-api, DC1…) mean nothing to a customer and say too much.
      t('template.customersIntroNoServices'),
      t(`template.customerStatus.${view.status}`),
      ...changeLines(),
      nextAt === null ? t('template.customersNextAtChange') : t('template.customersNext', { next }),
    ].join('\n');
  }
  const impactLine = services ? t('template.impact', { impact, services }) : t('template.impactNoServices', { impact });
  if (known === 'executives') {
    return [
      t('template.greeting_executives', { title: view.title }),
      t('template.execStatus', {
        priority: view.priority,
        status,
        declared: time(view.declaredAt),
        elapsed: describeDuration(Math.max(0, now - view.declaredAt), t),
      }),
      impactLine,
      ...changeLines(),
      t('template.next', { next }),
    ].join('\n');
  }
  return [
    t(known === 'internal' ? 'template.greeting_internal' : 'template.greeting_other', { title: view.title }),
    t('template.status', { status, priority: view.priority }),
    impactLine,
    ...(known === 'internal' && view.roles.commander ? [t('template.commander', { commander: view.roles.commander })] : []),
    ...changeLines(),
    t('template.doing'),
    t('template.next', { next }),
  ].join('\n');
}

function changeLine(change: CommsChange, t: TFunction, time: (at: number) => string): string {
  switch (change.kind) {
    case 'status':
      return t('template.changeStatus', { status: t(`status.${change.status}`), time: time(change.at) });
    case 'priority':
      return t('template.changePriority', { priority: change.priority, time: time(change.at) });
    case 'decision':
      return t('template.changeDecision', { text: change.text, time: time(change.at) });
  }
}
