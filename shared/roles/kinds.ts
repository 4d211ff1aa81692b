import { rowKind } from '../record/kind-spec.js';

/**
 * Roles, experts and hand-offs. A hand-off start carries its briefing: the row says what was
 * handed over (status, priority, how many open tasks and hypotheses, the note), and the full
 * briefing stays in the record.
 */
export const ROLE_KINDS = {
  'incident.role': rowKind<'incident.role'>()({
    fold: 'incident',
    badge: 'role',
    text: { en: { role: '{{person}} is now {{role}}' }, fr: { role: '{{person}} est désormais {{role}}' } },
    sentence: (p, say, { label }) => ({ text: say('role', { person: p.person, role: label('role', p.role) }) }),
  }),
  'incident.sme': rowKind<'incident.sme'>()({
    fold: 'incident',
    badge: 'role',
    text: {
      en: {
        added: '{{person}} joins as {{speciality}} expert',
        addedPlain: '{{person}} joins as subject-matter expert',
        removed: '{{person}} is no longer an expert on this incident',
      },
      fr: {
        added: '{{person}} rejoint l’incident comme expert {{speciality}}',
        addedPlain: '{{person}} rejoint l’incident comme expert métier',
        removed: '{{person}} n’est plus expert sur cet incident',
      },
    },
    sentence: ({ person, speciality, active }, say) => ({
      text: !active ? say('removed', { person }) : speciality ? say('added', { person, speciality }) : say('addedPlain', { person }),
    }),
  }),
  'command.handoff_started': rowKind<'command.handoff_started'>()({
    fold: 'incident',
    badge: 'handoff',
    text: {
      en: {
        started: 'Command hand-off started: {{from}} → {{to}}',
        noCommander: 'unassigned',
        summary: 'Briefing: {{status}} · {{priority}} · {{tasks}} · {{hypotheses}}',
        tasks_one: '{{count}} open task',
        tasks_other: '{{count}} open tasks',
        hypotheses_one: '{{count}} hypothesis',
        hypotheses_other: '{{count}} hypotheses',
      },
      fr: {
        started: 'Passation du commandement lancée : {{from}} → {{to}}',
        noCommander: 'non attribué',
        summary: 'Briefing : {{status}} · {{priority}} · {{tasks}} · {{hypotheses}}',
        tasks_one: '{{count}} tâche ouverte',
        tasks_other: '{{count}} tâches ouvertes',
        hypotheses_one: '{{count}} hypothèse',
        hypotheses_other: '{{count}} hypothèses',
      },
    },
    sentence: ({ to, briefing }, say, { label }) => ({
      text: say('started', { from: briefing.from || say('noCommander'), to }),
      details: [
        say('summary', {
          status: label('status', briefing.status),
          priority: briefing.priority,
          tasks: say('tasks', { count: briefing.openTasksTotal }),
          hypotheses: say('hypotheses', { count: briefing.hypothesesTotal }),
        }),
        briefing.note,
      ],
    }),
  }),
  'command.handoff_acknowledged': rowKind<'command.handoff_acknowledged'>()({
    fold: 'incident',
    badge: 'handoff',
    text: {
      en: { acknowledged: '{{commander}} acknowledged the briefing and took command' },
      fr: { acknowledged: '{{commander}} a accusé réception du briefing et pris le commandement' },
    },
    sentence: (p, say) => ({ text: say('acknowledged', { commander: p.commander }) }),
  }),
} as const;
