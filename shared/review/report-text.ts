import type { LabelGroup } from '../record/kind-spec.js';
import { SENTENCES, labelOf, type SentenceLanguage, type Translate } from '../record/sentences.js';
import { translator, type KeyOf, type Values, type Words } from '../text/translator.js';

/**
 * The words of an exported report, in English and French: an i18next catalogue loaded into the
 * same instance as the record's sentences (shared/record/sentences.ts), whose value labels
 * (status, level, role, audience, channel…) the report uses too rather than a copy. The report
 * is built outside the UI (in the core, for a file), so it has its own i18next instance; the
 * French follows DOMAIN.md's vocabulary like the console's.
 */
export const REPORT_LANGUAGES = ['en', 'fr'] as const satisfies readonly SentenceLanguage[];
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

const en = {
  locale: 'en-GB',
  colon: ': ',
  docTitle: 'Post-incident report',
  drill: 'Drill — not a real incident',
  generated: 'Generated {{at}}',
  timesIn: 'Times are shown in {{zone}}.',
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
    hiddenNote_one: 'One entry hidden by the review is left out.',
    hiddenNote_other: '{{count}} entries hidden by the review are left out.',
    empty: 'No entries.',
    redacted: '[redacted: {{reason}}]',
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
    margin: '{{time}} to spare',
    over: 'by {{time}}',
    notRecorded: 'not recorded ({{milestone}})',
    outOfOrder: '{{milestone}} is stamped before {{after}}',
    reopened_one: 'reopened once',
    reopened_other: 'reopened {{count}} times',
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
  comms: { none: 'No update was sent.', sentBy: 'sent by {{who}}' },
  drillText: {
    source: 'Replay of',
    speed: 'Speed',
    original: 'Original',
    drillTime: 'Drill (real time)',
    scenarioTime: 'Drill (scenario time)',
  },
  duration: { d: 'd', h: 'h', min: 'min', s: 's' },
  category: { hardware: 'Hardware', software: 'Software', network: 'Network', security: 'Security', other: 'Other' },
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
} as const;

const fr: Words<typeof en> = {
  locale: 'fr-FR',
  colon: '\u00a0: ',
  docTitle: 'Rapport post-incident',
  drill: 'Exercice — pas un incident réel',
  generated: 'Généré le {{at}}',
  timesIn: 'Heures affichées dans le fuseau {{zone}}.',
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
    hiddenNote_one: 'Une entrée masquée par la revue ne figure pas ici.',
    hiddenNote_other: '{{count}} entrées masquées par la revue ne figurent pas ici.',
    empty: 'Aucune entrée.',
    redacted: '[masqué : {{reason}}]',
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
    margin: 'avec {{time}} d’avance',
    over: 'de {{time}}',
    notRecorded: 'non enregistré ({{milestone}})',
    outOfOrder: '{{milestone}} est daté avant {{after}}',
    reopened_one: 'rouvert une fois',
    reopened_other: 'rouvert {{count}} fois',
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
  followups: {
    action: 'Action',
    owner: 'Responsable',
    due: 'Échéance',
    status: 'Statut',
    none: 'Aucune action de suivi.',
    noOwner: 'sans responsable',
    noDue: 'sans date',
  },
  lessons: { none: 'Rien d’enregistré.' },
  comms: { none: 'Aucun point de situation envoyé.', sentBy: 'envoyé par {{who}}' },
  drillText: {
    source: 'Rejeu de',
    speed: 'Vitesse',
    original: 'Original',
    drillTime: 'Exercice (temps réel)',
    scenarioTime: 'Exercice (temps du scénario)',
  },
  duration: { d: 'j', h: 'h', min: 'min', s: 's' },
  category: { hardware: 'Matériel', software: 'Logiciel', network: 'Réseau', security: 'Sécurité', other: 'Autre' },
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
};

const WORDS: Record<ReportLanguage, Words<typeof en>> = { en, fr };

export type ReportKey = KeyOf<typeof en>;

/** The report's translator: its own words by key, and the record's catalogue it shares. */
export interface ReportText {
  (key: ReportKey, values?: Values): string;
  /** A value's words from the sentence catalogue (a status, a role, an audience…), else the value as recorded. */
  label(group: LabelGroup, value: string): string;
  /** The record's sentences, for describeEvent. */
  say: Translate;
  /** For Intl's date formats. */
  locale: string;
}

const made = new Map<ReportLanguage, ReportText>();

export function reportText(language: ReportLanguage): ReportText {
  const cached = made.get(language);
  if (cached) return cached;
  const t = translator({ ...SENTENCES[language], report: WORDS[language] }, language) as unknown as Translate;
  const text: ReportText = Object.assign((key: ReportKey, values?: Values) => t(`report.${key}`, values), {
    label: (group: LabelGroup, value: string) => labelOf(t, group, value),
    say: t,
    locale: WORDS[language].locale,
  });
  made.set(language, text);
  return text;
}
