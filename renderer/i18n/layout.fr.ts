import type { layoutEn } from './layout.en.js';

/** Chaînes françaises de la disposition : volets redimensionnables, mode focus. */
export const layoutFr: typeof layoutEn = {
  resizeColumns: 'Redimensionner la chronologie et les volets de droite (← →)',
  resizeRows: 'Redimensionner les tâches et la communication (↑ ↓)',
  focusOn: 'Mode focus : {{pane}} agrandi — z pour rendre à chaque volet sa taille',
  calloutClear: 'Tour de table : rien à signaler',
  calloutDue_one: 'Tour de table : {{count}} à relancer',
  calloutDue_other: 'Tour de table : {{count}} à relancer',
  editingUpdate: 'Modification du point pour {{audience}} — Ctrl+Entrée enregistre, Échap annule',
  editedAbove: 'En cours de modification dans la zone de rédaction',
  palette: {
    approve: 'Approuver le point pour {{audience}} ({{channel}})',
    send: 'Marquer envoyé : le point pour {{audience}} ({{channel}})',
  },
  more: 'Plus',
  moreHint: 'Bibliothèque (b), export (e), exercice (x)',
  showMore: 'Afficher la suite ({{count}} caractères)',
  showLess: 'Réduire',
  declared: {
    withKey: '« {{title}} » est déclaré. Alt+{{n}} pour y passer.',
    withList: '« {{title}} » est déclaré. i affiche la liste des incidents, pour y passer.',
    switch: 'Y passer',
  },
  panes: { timeline: 'chronologie', tasks: 'tâches', comms: 'communication' },
};
