import type { Category, Role, Status, TaskStatus } from '../record/events.js';
import type { Level } from '../incidents/priority.js';
import type { FishboneCategory, HypothesisState, LessonSection, ReviewMoment } from './review.js';
import type { Milestone } from './metrics.js';

/**
 * The words of an exported report, in English and French. The report is built outside the UI
 * (in the core, for a file), so it carries its own dictionary; the French follows DOMAIN.md's
 * vocabulary like the console's. `{name}` marks a value filled in by `fill`.
 */
export const REPORT_LANGUAGES = ['en', 'fr'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export interface ReportText {
  locale: string;
  /** Between a label and its value: French puts a space before the colon. */
  colon: string;
  docTitle: string;
  drill: string;
  generated: string;
  timesIn: string;
  sections: {
    summary: string;
    impact: string;
    timeline: string;
    metrics: string;
    chart: string;
    causes: string;
    hypotheses: string;
    whys: string;
    factors: string;
    followups: string;
    lessons: string;
    comms: string;
    drill: string;
  };
  fields: {
    status: string;
    priority: string;
    category: string;
    commander: string;
    roles: string;
    services: string;
    detectedBy: string;
    reporter: string;
    occurred: string;
    detected: string;
    declared: string;
    impact: string;
    urgency: string;
    priorityHistory: string;
    incidentId: string;
  };
  timeline: {
    hiddenNote: string;
    empty: string;
    redacted: string;
    edited: string;
    comment: string;
    when: string;
    who: string;
    what: string;
  };
  metrics: {
    metric: string;
    value: string;
    timeToDetect: string;
    timeToRespond: string;
    timeToMitigate: string;
    timeToResolve: string;
    slaResponse: string;
    slaResolution: string;
    met: string;
    breached: string;
    open: string;
    noTarget: string;
    unknown: string;
    margin: string;
    over: string;
    notRecorded: string;
    outOfOrder: string;
    reopened: string;
    updates: string;
    audience: string;
    sent: string;
    cadenceKept: string;
    timeAtPriority: string;
    paused: string;
    none: string;
  };
  chart: {
    caption: string;
    responseTarget: string;
    resolutionTarget: string;
    updates: string;
    phases: string;
    phase: string;
    from: string;
    to: string;
    duration: string;
  };
  causes: { why: string; because: string; none: string };
  followups: { action: string; owner: string; due: string; status: string; none: string; noOwner: string; noDue: string };
  lessons: { none: string };
  comms: { none: string; sentBy: string };
  drillText: { source: string; speed: string; original: string; drillTime: string; scenarioTime: string };
  duration: { d: string; h: string; min: string; s: string };
  status: Record<Status, string>;
  level: Record<Level, string>;
  category: Record<Category, string>;
  role: Record<Role, string>;
  taskStatus: Record<TaskStatus, string>;
  milestone: Record<Milestone, string>;
  moment: Record<ReviewMoment, string>;
  hypothesis: Record<HypothesisState, string>;
  fishbone: Record<FishboneCategory, string>;
  lessonSection: Record<LessonSection, string>;
  detectionSource: Record<string, string>;
  audience: Record<string, string>;
  channel: Record<string, string>;
}

const en: ReportText = {
  locale: 'en-GB',
  colon: ': ',
  docTitle: 'Post-incident report',
  drill: 'Drill — not a real incident',
  generated: 'Generated {at}',
  timesIn: 'Times are shown in {zone}.',
  sections: {
    summary: 'Summary',
    impact: 'Impact',
    timeline: 'Timeline',
    metrics: 'Metrics',
    chart: 'Phases',
    causes: 'Causes and contributing factors',
    hypotheses: 'Hypotheses',
    whys: '5 whys',
    factors: 'Contributing factors',
    followups: 'Follow-up actions',
    lessons: 'Lessons',
    comms: 'Updates sent',
    drill: 'Drill compared with the original',
  },
  fields: {
    status: 'Status',
    priority: 'Priority',
    category: 'Category',
    commander: 'Incident commander',
    roles: 'Roles',
    services: 'Impacted services',
    detectedBy: 'Detected by',
    reporter: 'Reporter',
    occurred: 'Occurred',
    detected: 'Detected',
    declared: 'Declared',
    impact: 'Impact',
    urgency: 'Urgency',
    priorityHistory: 'Priority over time',
    incidentId: 'Incident id',
  },
  timeline: {
    hiddenNote: '{count} entries hidden by the review are left out.',
    empty: 'No entries.',
    redacted: '[redacted: {reason}]',
    edited: '(edited)',
    comment: 'Review comment',
    when: 'When',
    who: 'Who',
    what: 'What',
  },
  metrics: {
    metric: 'Metric',
    value: 'Value',
    timeToDetect: 'Time to detect (occurred → detected)',
    timeToRespond: 'Time to respond (declared → first response)',
    timeToMitigate: 'Time to mitigate (detected → mitigated)',
    timeToResolve: 'Time to resolve (detected → resolved)',
    slaResponse: 'Response SLA',
    slaResolution: 'Resolution SLA',
    met: 'met',
    breached: 'breached',
    open: 'still running',
    noTarget: 'no target (best effort)',
    unknown: 'cannot be judged',
    margin: '{time} to spare',
    over: 'by {time}',
    notRecorded: 'not recorded ({milestone})',
    outOfOrder: '{milestone} is stamped before {after}',
    reopened: 'reopened {times} time(s)',
    updates: 'Updates per audience',
    audience: 'Audience',
    sent: 'Sent',
    cadenceKept: 'Cadence kept',
    timeAtPriority: 'Time at each priority',
    paused: 'SLA clocks paused',
    none: 'none',
  },
  chart: {
    caption: 'From occurrence to closure, with the SLA targets and every update sent.',
    responseTarget: 'response target',
    resolutionTarget: 'resolution target',
    updates: 'updates',
    phases: 'Phases',
    phase: 'Phase',
    from: 'From',
    to: 'To',
    duration: 'Duration',
  },
  causes: { why: 'Why?', because: 'Because', none: 'Nothing recorded.' },
  followups: { action: 'Action', owner: 'Owner', due: 'Due', status: 'Status', none: 'No follow-up actions.', noOwner: 'no owner', noDue: 'no date' },
  lessons: { none: 'Nothing recorded.' },
  comms: { none: 'No update was sent.', sentBy: 'sent by {who}' },
  drillText: {
    source: 'Replay of',
    speed: 'Speed',
    original: 'Original',
    drillTime: 'Drill (real time)',
    scenarioTime: 'Drill (scenario time)',
  },
  duration: { d: 'd', h: 'h', min: 'min', s: 's' },
  status: {
    detected: 'Detected',
    declared: 'Declared',
    investigating: 'Investigating',
    mitigated: 'Mitigated',
    resolved: 'Resolved',
    closed: 'Closed',
    reviewed: 'Reviewed',
  },
  level: { high: 'High', medium: 'Medium', low: 'Low' },
  category: { hardware: 'Hardware', software: 'Software', network: 'Network', security: 'Security', other: 'Other' },
  role: { commander: 'incident commander', deputy: 'deputy', scribe: 'scribe', comms_lead: 'communications lead', ops_lead: 'operations lead', sme: 'subject-matter expert' },
  taskStatus: { todo: 'To do', doing: 'Doing', blocked: 'Blocked', done: 'Done' },
  milestone: {
    occurred: 'Occurred',
    detected: 'Detected',
    declared: 'Declared',
    responded: 'First response',
    mitigated: 'Mitigated',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  moment: { detection: 'Detection', diagnosis: 'Diagnosis', repair: 'Repair', key: 'Key moment' },
  hypothesis: { open: 'open', ruled_out: 'ruled out', confirmed: 'confirmed' },
  fishbone: {
    people: 'People',
    process: 'Process',
    technology: 'Technology',
    environment: 'Environment',
    suppliers: 'Suppliers',
    communication: 'Communication',
  },
  lessonSection: { went_well: 'What went well', went_badly: 'What did not go well', lesson: 'Lessons learned' },
  detectionSource: {
    user_report: 'User report',
    monitoring: 'Monitoring alert',
    service_desk: 'Service desk',
    third_party: 'Third-party alert',
    other: 'Other',
  },
  audience: { executives: 'Executives', internal: 'Internal', customers: 'Customers' },
  channel: { email: 'e-mail', chat: 'chat', status_page: 'status page', phone_bridge: 'phone bridge', other: 'other' },
};

const fr: ReportText = {
  locale: 'fr-FR',
  colon: '\u00a0: ',
  docTitle: 'Rapport post-incident',
  drill: 'Exercice — pas un incident réel',
  generated: 'Généré le {at}',
  timesIn: 'Heures affichées dans le fuseau {zone}.',
  sections: {
    summary: 'Résumé',
    impact: 'Impact',
    timeline: 'Chronologie',
    metrics: 'Indicateurs',
    chart: 'Phases',
    causes: 'Causes et facteurs contributifs',
    hypotheses: 'Hypothèses',
    whys: '5 pourquoi',
    factors: 'Facteurs contributifs',
    followups: 'Actions de suivi',
    lessons: 'Enseignements',
    comms: 'Points de situation envoyés',
    drill: 'Exercice comparé à l’original',
  },
  fields: {
    status: 'Statut',
    priority: 'Priorité',
    category: 'Catégorie',
    commander: 'Gestionnaire des incidents',
    roles: 'Rôles',
    services: 'Services touchés',
    detectedBy: 'Détecté par',
    reporter: 'Signalé par',
    occurred: 'Survenu',
    detected: 'Détecté',
    declared: 'Déclaré',
    impact: 'Impact',
    urgency: 'Urgence',
    priorityHistory: 'Priorité au fil du temps',
    incidentId: 'Identifiant de l’incident',
  },
  timeline: {
    hiddenNote: '{count} entrées masquées par la revue ne figurent pas ici.',
    empty: 'Aucune entrée.',
    redacted: '[masqué : {reason}]',
    edited: '(modifié)',
    comment: 'Commentaire de revue',
    when: 'Quand',
    who: 'Qui',
    what: 'Quoi',
  },
  metrics: {
    metric: 'Indicateur',
    value: 'Valeur',
    timeToDetect: 'Délai de détection (survenu → détecté)',
    timeToRespond: 'Délai de prise en charge (déclaré → première réponse)',
    timeToMitigate: 'Délai d’atténuation (détecté → atténué)',
    timeToResolve: 'Délai de résolution (détecté → résolu)',
    slaResponse: 'SLA de prise en charge',
    slaResolution: 'SLA de résolution',
    met: 'respecté',
    breached: 'dépassé',
    open: 'en cours',
    noTarget: 'sans objectif (au mieux)',
    unknown: 'impossible à juger',
    margin: 'avec {time} d’avance',
    over: 'de {time}',
    notRecorded: 'non enregistré ({milestone})',
    outOfOrder: '{milestone} est daté avant {after}',
    reopened: 'rouvert {times} fois',
    updates: 'Points de situation par public',
    audience: 'Public',
    sent: 'Envoyés',
    cadenceKept: 'Rythme tenu',
    timeAtPriority: 'Temps passé à chaque priorité',
    paused: 'Horloges SLA en pause',
    none: 'aucun',
  },
  chart: {
    caption: 'De la survenue à la clôture, avec les objectifs SLA et chaque point de situation envoyé.',
    responseTarget: 'objectif de prise en charge',
    resolutionTarget: 'objectif de résolution',
    updates: 'points',
    phases: 'Phases',
    phase: 'Phase',
    from: 'Début',
    to: 'Fin',
    duration: 'Durée',
  },
  causes: { why: 'Pourquoi ?', because: 'Parce que', none: 'Rien d’enregistré.' },
  followups: { action: 'Action', owner: 'Responsable', due: 'Échéance', status: 'Statut', none: 'Aucune action de suivi.', noOwner: 'sans responsable', noDue: 'sans date' },
  lessons: { none: 'Rien d’enregistré.' },
  comms: { none: 'Aucun point de situation envoyé.', sentBy: 'envoyé par {who}' },
  drillText: {
    source: 'Rejeu de',
    speed: 'Vitesse',
    original: 'Original',
    drillTime: 'Exercice (temps réel)',
    scenarioTime: 'Exercice (temps du scénario)',
  },
  duration: { d: 'j', h: 'h', min: 'min', s: 's' },
  status: {
    detected: 'Détecté',
    declared: 'Déclaré',
    investigating: 'En analyse',
    mitigated: 'Atténué',
    resolved: 'Résolu',
    closed: 'Clos',
    reviewed: 'Revu (RPI)',
  },
  level: { high: 'Haute', medium: 'Moyenne', low: 'Basse' },
  category: { hardware: 'Matériel', software: 'Logiciel', network: 'Réseau', security: 'Sécurité', other: 'Autre' },
  role: {
    commander: 'gestionnaire des incidents',
    deputy: 'adjoint',
    scribe: 'scribe',
    comms_lead: 'responsable de la communication',
    ops_lead: 'responsable des opérations',
    sme: 'expert métier',
  },
  taskStatus: { todo: 'À faire', doing: 'En cours', blocked: 'Bloquée', done: 'Terminée' },
  milestone: {
    occurred: 'Survenu',
    detected: 'Détecté',
    declared: 'Déclaré',
    responded: 'Première réponse',
    mitigated: 'Atténué',
    resolved: 'Résolu',
    closed: 'Clos',
  },
  moment: { detection: 'Détection', diagnosis: 'Diagnostic', repair: 'Réparation', key: 'Moment clé' },
  hypothesis: { open: 'ouverte', ruled_out: 'écartée', confirmed: 'confirmée' },
  fishbone: {
    people: 'Personnes',
    process: 'Processus',
    technology: 'Technique',
    environment: 'Environnement',
    suppliers: 'Fournisseurs',
    communication: 'Communication',
  },
  lessonSection: { went_well: 'Ce qui a bien fonctionné', went_badly: 'Ce qui n’a pas bien fonctionné', lesson: 'Leçons apprises' },
  detectionSource: {
    user_report: 'Signalement utilisateur',
    monitoring: 'Alerte de supervision',
    service_desk: 'Centre de services',
    third_party: 'Alerte d’un tiers',
    other: 'Autre',
  },
  audience: { executives: 'Direction', internal: 'Interne', customers: 'Clients' },
  channel: { email: 'e-mail', chat: 'messagerie', status_page: 'page de statut', phone_bridge: 'pont téléphonique', other: 'autre' },
};

export const REPORT_TEXT: Record<ReportLanguage, ReportText> = { en, fr };

/** Put values into a sentence; a value is inserted as is, never read as a pattern. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole));
}
