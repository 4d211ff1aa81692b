import { rowKind } from '../record/kind-spec.js';

/** A drill starting and stopping (shared/drills/drills.ts reads them); its injects are ordinary timeline entries. The sentence says which, so the badge stays neutral. */
export const DRILL_KINDS = {
  'drill.started': rowKind<'drill.started'>()({
    fold: 'drills',
    badge: 'other',
    text: {
      en: { started: 'Drill started: replay of “{{source}}” at {{speed}}× ({{count}} injects)' },
      fr: { started: 'Exercice lancé : rejeu de « {{source}} » à {{speed}}× ({{count}} injections)' },
    },
    sentence: (p, say) => ({ text: say('started', { source: p.sourceTitle, speed: String(p.speed), count: p.injects }) }),
  }),
  'drill.stopped': rowKind<'drill.stopped'>()({
    fold: 'drills',
    badge: 'other',
    text: {
      en: { stopped: 'Drill injects stopped: {{delivered}} delivered, {{cancelled}} cancelled' },
      fr: { stopped: 'Injections de l’exercice arrêtées : {{delivered}} livrées, {{cancelled}} annulées' },
    },
    sentence: (p, say) => ({ text: say('stopped', { delivered: String(p.delivered), cancelled: String(p.cancelled) }) }),
  }),
} as const;
