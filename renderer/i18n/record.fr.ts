import type { recordEn } from './record.en.js';

/** Textes français de « le dossier ne dit que ce que les gens ont choisi » (issue #10). */
export const recordFr: typeof recordEn = {
  choice: {
    hint: 'Entrée applique · Échap annule',
  },
  askName: {
    title: 'Qui est à cette console ?',
    lead: 'Chaque entrée du dossier porte le nom de son auteur. Donnez le vôtre une fois ; il reste sur cet appareil et se change depuis la palette de commandes (Ctrl+K).',
    label: 'Votre nom',
    placeholder: 'par ex. Frank Moreau',
    save: 'Commencer',
    empty: 'Tapez votre nom : le dossier le portera dès la première entrée.',
    hint: 'Le nom accompagne chaque entrée que vous enregistrez, et part vers le hub de l’équipe quand la synchronisation est active.',
  },
  quick: {
    badOwner: 'Écrivez le responsable sous la forme @nom, par exemple /task Vérifier le DNS @ana 5m. Votre texte est conservé.',
    badCheckBack:
      '« {{value}} » n’est pas un délai de retour : écrivez une durée (5m, 1h30m, 2j — un nombre seul compte des minutes) ou une heure (14:32). Votre texte est conservé.',
    unknownAudience: '« {{audience}} » n’est pas encore un public. Le créer, avec la cadence habituelle, et lui préparer une mise à jour ?',
    createAudience: 'Créer « {{audience}} »',
    cancel: 'Annuler',
    reopened: 'La mise à jour pour {{audience}} n’est pas encore envoyée : elle est rouverte, plutôt qu’une seconde.',
  },
};
