import type { layoutEn } from './layout.en.js';

/** Chaînes françaises de la disposition : volets redimensionnables, mode focus. */
export const layoutFr: typeof layoutEn = {
  resizeColumns: 'Redimensionner la chronologie et les volets de droite (← →)',
  resizeRows: 'Redimensionner les tâches et la communication (↑ ↓)',
  focusOn: 'Mode focus : {{pane}} agrandi — z pour rendre à chaque volet sa taille',
  panes: { timeline: 'chronologie', tasks: 'tâches', comms: 'communication' },
};
