import { rowKind } from '../record/kind-spec.js';

/**
 * What reaches the room from monitoring. The alerts stream's own events never show on an
 * incident's timeline (the inbox folds them, shared/alerts/alerts.ts); they are described all
 * the same for the library and exports. `alert.attached` is the incident's own entry, an external one.
 */
const attachedText = {
  en: { attached: 'Alert from {{source}}: {{title}} ({{severity}})' },
  fr: { attached: 'Alerte de {{source}} : {{title}} ({{severity}})' },
};

export const ALERT_KINDS = {
  'alert.received': rowKind<'alert.received'>()({
    fold: 'alerts',
    badge: 'other',
    text: attachedText,
    sentence: (p, say, { label }) => ({
      text: say('attached', { source: p.integration, title: p.title, severity: label('severity', p.severity) }),
      details: p.link ? [p.link] : [],
    }),
  }),
  'alert.acknowledged': rowKind<'alert.acknowledged'>()({
    fold: 'alerts',
    badge: 'other',
    text: { en: { acknowledged: 'Acknowledged' }, fr: { acknowledged: 'Acquittée' } },
    sentence: (_p, say) => ({ text: say('acknowledged') }),
  }),
  'alert.linked': rowKind<'alert.linked'>()({
    fold: 'alerts',
    badge: 'other',
    text: { en: { linked: 'Linked' }, fr: { linked: 'Rattachée' } },
    sentence: (_p, say) => ({ text: say('linked') }),
  }),
  'alert.attached': rowKind<'alert.attached'>()({
    fold: 'alerts',
    badge: 'external',
    text: attachedText,
    sentence: (p, say, { label }) => ({
      text: say('attached', { source: p.integration, title: p.title, severity: label('severity', p.severity) }),
      details: p.link ? [p.link] : [],
    }),
  }),
  /** The incident's own record that an attached alert resolved at its source (recorded once, shared/alerts/alerts.ts resolutions). */
  'alert.resolved': rowKind<'alert.resolved'>()({
    // The incident's fold keeps when each attached alert resolved (IncidentView.resolvedAlerts), so its entry says it from the record.
    fold: 'incident',
    badge: 'external',
    text: { en: { resolved: 'Alert resolved at its source: {{title}}' }, fr: { resolved: 'Alerte résolue à la source : {{title}}' } },
    sentence: (p, say) => ({ text: say('resolved', { title: p.title }) }),
  }),
} as const;
