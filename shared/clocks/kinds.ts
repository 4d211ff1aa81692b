import { hiddenKind, rowKind } from '../record/kind-spec.js';
import { zoneCity } from './zones.js';

/** SLA clocks, wall clocks and the team settings (on their own stream, folded by shared/clocks/policy.ts). */
export const CLOCK_KINDS = {
  'sla.paused': rowKind<'sla.paused'>()({
    fold: 'incident',
    badge: 'sla',
    text: { en: { paused: 'SLA clocks paused: {{reason}}' }, fr: { paused: 'Horloges SLA en pause : {{reason}}' } },
    sentence: (p, say) => ({ text: say('paused', { reason: p.reason }) }),
  }),
  'sla.resumed': rowKind<'sla.resumed'>()({
    fold: 'incident',
    badge: 'sla',
    text: { en: { resumed: 'SLA clocks resumed' }, fr: { resumed: 'Horloges SLA relancées' } },
    sentence: (_p, say) => ({ text: say('resumed') }),
  }),
  'sla.breached': rowKind<'sla.breached'>()({
    fold: 'incident',
    badge: 'sla',
    text: {
      en: {
        response: 'Response SLA breached — target {{target}} at {{priority}}',
        resolution: 'Resolution SLA breached — target {{target}} at {{priority}}',
      },
      fr: {
        response: 'SLA de prise en charge dépassé — objectif {{target}} en {{priority}}',
        resolution: 'SLA de résolution dépassé — objectif {{target}} en {{priority}}',
      },
    },
    sentence: ({ clock, targetMs, priority }, say, { duration }) => ({ text: say(clock, { target: duration(targetMs), priority }) }),
  }),
  'incident.timezones': rowKind<'incident.timezones'>()({
    fold: 'incident',
    badge: 'sla',
    text: {
      en: { set: 'Wall clocks: {{zones}}', cleared: 'Wall clocks removed' },
      fr: { set: 'Horloges murales : {{zones}}', cleared: 'Horloges murales retirées' },
    },
    sentence: ({ zones }, say) => ({
      text: zones.length ? say('set', { zones: zones.map((z) => `${zoneCity(z)} (${z})`).join(', ') }) : say('cleared'),
    }),
  }),
  'settings.sla': hiddenKind('elsewhere', 'policy'),
  'settings.audience': hiddenKind('elsewhere', 'policy'),
  'settings.callout': hiddenKind('elsewhere', 'policy'),
} as const;
