import type { alertsEn } from './alerts.en.js';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** Chaînes françaises de la boîte d’alertes (renderer/features/alerts). */
export const alertsFr: Widen<typeof alertsEn> = {
  title: 'Boîte d’alertes',
  button: 'Alertes',
  buttonHint: 'Alertes de la supervision (a)',
  buttonNew_one: 'Alertes, {{count}} nouvelle',
  buttonNew_other: 'Alertes, {{count}} nouvelles',
  palette: {
    group: 'Alertes',
    inbox: 'Boîte des alertes',
    inboxNew_one: 'Boîte des alertes — {{count}} nouvelle alerte',
    inboxNew_other: 'Boîte des alertes — {{count}} nouvelles alertes',
    which: 'Quelle alerte ?',
  },
  keysHint: '↑ ↓ choisir une alerte · Entrée déclare un incident à partir d’elle · t la rattache à un incident ouvert · k l’acquitte · Échap ferme',
  listLabel: 'Alertes, les plus urgentes d’abord',
  empty:
    'Aucune alerte. Les alertes d’Alertmanager, de Grafana ou d’autres sources apparaissent ici dès que le hub les reçoit et que cette console s’est synchronisée.',
  meta: 'de {{source}}, depuis {{time}}',
  acknowledgedBy: 'acquittée par {{actor}}',
  linkedCount_one: 'rattachée à {{count}} incident',
  linkedCount_other: 'rattachée à {{count}} incidents',
  declare: 'Déclarer un incident',
  attach: 'Rattacher à un incident',
  acknowledge: 'Acquitter',
  openSource: 'Ouvrir dans la source',
  declareTitle: 'Déclarer un incident à partir de cette alerte',
  declareHint: 'Survenu et détecté à : le début de l’alerte ; source : la supervision. Entrée déclare.',
  declareSubmit: 'Déclarer',
  attachTitle: 'Rattacher cette alerte à un incident ouvert',
  attachSubmit: 'Rattacher',
  noOpenIncident: 'Aucun incident ouvert auquel la rattacher : déclarez-en un à partir de l’alerte.',
  cancel: 'Annuler',
  failed: 'L’action sur l’alerte a échoué : {{message}}',
  entryFiring: 'L’alerte est toujours active.',
  entryResolved: 'L’alerte s’est résolue à {{time}}.',
  field: { title: 'Titre', impact: 'Impact', urgency: 'Urgence', category: 'Catégorie', commander: 'Responsable', incident: 'Incident' },
  state: { new: 'Nouvelle', acknowledged: 'Acquittée', linked: 'Rattachée', resolved: 'Résolue' },
  severity: { critical: 'Critique', high: 'Haute', medium: 'Moyenne', low: 'Basse', info: 'Info' },
};
