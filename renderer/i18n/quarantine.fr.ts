import type { quarantineEn } from './quarantine.en.js';

/** Chaînes françaises des événements en quarantaine (shared/record/untrusted.ts), à côté de l’état de synchronisation. */
export const quarantineFr: typeof quarantineEn = {
  note_one: '{{count}} événement en quarantaine',
  note_other: '{{count}} événements en quarantaine',
  title: 'Événements en quarantaine',
  intro:
    'Ces événements viennent d’un autre ordinateur, du hub ou d’un fichier. Ils sont conservés et transmis à l’équipe, mais cette console les laisse hors des incidents qu’elle affiche, pour l’une de ces raisons :',
  family: {
    unreadable: 'Illisible : cette version ne sait pas lire ce qu’il dit, il est sur le mauvais flux, ou le hub ne l’accepterait pas.',
    clock:
      'Daté en avance : horodaté plus de 5 minutes en avance sur l’horloge de cet ordinateur, ou un dépassement daté dans son futur. Il reste à l’écart même une fois cette heure venue : son horodatage le placerait après tout ce que l’équipe a enregistré entre-temps.',
    sealed:
      'Scellé : l’équipe scelle son dossier et cet événement ne s’ouvre pas ici (pas de clé d’équipe, une clé que cet ordinateur n’a pas, ou modifié en chemin), ou il est arrivé en clair.',
    declaration: 'Seconde déclaration : un incident déjà déclaré ici a été déclaré de nouveau ; l’accepter aurait réécrit l’incident.',
  },
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
    second_declaration: 'Seconde déclaration',
  },
  detail: {
    invalid_payload: 'Cette version ne sait pas lire ce qu’il dit.',
    future_clock: 'Horodaté {{ahead}} en avance sur l’horloge de cet ordinateur.',
    future_clock_unknown: 'Horodaté trop en avance sur l’horloge de cet ordinateur.',
    future_breach: 'Un dépassement daté dans le futur de cet ordinateur n’est pas pris en compte.',
    wrong_stream: 'Un réglage d’équipe et un événement d’incident confondus : il est sur le mauvais flux.',
    refused_by_hub: 'Le hub ne l’accepterait pas : il ne peut pas être synchronisé.',
    second_declaration: 'Une seconde déclaration d’un incident déjà déclaré ici : elle l’aurait réécrit.',
    no_team_key: 'Il est scellé, et cet ordinateur n’a pas de clé d’équipe pour l’ouvrir.',
    unknown_key: 'Il est scellé avec une clé d’équipe que cet ordinateur n’a pas.',
    not_authentic: 'Il ne s’ouvre pas avec la clé d’équipe : modifié ou falsifié en chemin.',
    not_sealed: 'Il est arrivé en clair alors que l’équipe scelle son dossier.',
  },
};
