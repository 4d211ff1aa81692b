import type { quarantineEn } from './quarantine.en.js';

/** Chaînes françaises des événements en quarantaine (shared/record/untrusted.ts), à côté de l’état de synchronisation. */
export const quarantineFr: typeof quarantineEn = {
  note_one: '{{count}} événement en quarantaine',
  note_other: '{{count}} événements en quarantaine',
  title: 'Événements en quarantaine',
  intro:
    'Ces événements viennent d’un autre ordinateur, du hub ou d’un fichier. Ils sont conservés et transmis à l’équipe, mais cette console ne s’en sert pas : ils sont illisibles, ou leur horloge est trop en avance sur celle de cet ordinateur.',
  close: 'Fermer',
  from: 'de {{actor}} sur l’ordinateur {{device}}',
  more_one: 'et {{count}} plus ancien',
  more_other: 'et {{count}} plus anciens',
  code: {
    invalid_payload: 'Illisible par cette version',
    future_clock: 'Horloge trop en avance',
    future_breach: 'Dépassement daté dans le futur',
    wrong_stream: 'Sur le mauvais flux',
    refused_by_hub: 'Refusé par le hub',
    no_team_key: 'Scellé, et cet ordinateur n’a pas de clé d’équipe',
    unknown_key: 'Scellé avec une clé que cet ordinateur n’a pas',
    not_authentic: 'Ne s’ouvre pas avec la clé d’équipe (modifié ou falsifié)',
    not_sealed: 'Arrivé en clair d’une équipe qui scelle',
  },
};
