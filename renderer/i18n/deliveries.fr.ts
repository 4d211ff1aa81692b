import type { deliveriesEn } from './deliveries.en.js';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** Chaînes françaises des envois (livraisons par le hub) et de la page de statut publique. */
export const deliveriesFr: Widen<typeof deliveriesEn> = {
  state: {
    waiting: 'En attente sur ce poste',
    handed: 'Confiée au hub',
    delivered: 'Livrée',
    failed: 'Échec',
  },
  heading: 'Envois',
  via: '{{channel}} ({{kind}})',
  deliver: 'Envoyer par le hub',
  deliverHint: 'Le hub la livre aux canaux de ce public (e-mail, messagerie, webhook) ; sans hub, elle attend sur ce poste.',
  kind: { email: 'e-mail', slack: 'Slack', teams: 'Microsoft Teams', mattermost: 'Mattermost', webhook: 'webhook' },
  publicOn: 'Affiché sur la page de statut publique sous le titre « {{title}} »',
  publicOff: 'Absent de la page de statut publique',
  makePublic: 'Afficher sur la page de statut',
  makePrivate: 'Retirer de la page de statut',
  publicTitle: 'Titre public',
  publish: 'Publier sur la page de statut',
  published: 'Publiée',
  publicStatus: { investigating: 'Analyse en cours', identified: 'Cause identifiée', monitoring: 'Sous surveillance', resolved: 'Résolu' },
  failedAction: 'L’action sur la page de statut a échoué : {{message}}',
};
