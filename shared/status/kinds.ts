import { rowKind } from '../record/kind-spec.js';

/** The public status page: whether the incident shows there, and the updates published on it. */
export const STATUS_KINDS = {
  'status.visibility': rowKind<'status.visibility'>()({
    fold: 'status',
    badge: 'comms',
    text: {
      en: { shown: 'Incident shown on the public status page as “{{title}}”', hidden: 'Incident taken off the public status page' },
      fr: { shown: 'Incident affiché sur la page de statut publique sous le titre « {{title}} »', hidden: 'Incident retiré de la page de statut publique' },
    },
    sentence: (p, say) => ({ text: p.public ? say('shown', { title: p.title }) : say('hidden') }),
  }),
  'status.published': rowKind<'status.published'>()({
    fold: 'status',
    badge: 'comms',
    text: {
      en: { published: 'Update published on the public status page ({{status}})' },
      fr: { published: 'Mise à jour publiée sur la page de statut publique ({{status}})' },
    },
    sentence: (p, say, { label }) => ({ text: say('published', { status: label('publicStatus', p.status) }), details: [p.body] }),
    reportDetails: true,
  }),
} as const;
