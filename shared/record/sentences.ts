import { asKnown, parseEvent, type EventEnvelope, type EventKind, type KnownEvent } from './events.js';
import type { IncidentView } from './fold.js';
import { LABEL_GROUPS, type LabelGroup, type RowKind, type SentenceContext, type SentenceValues, type TimelineBadge } from './kind-spec.js';
import { badgeOf, kindSpec, KINDS } from './kinds.js';
import { translator } from '../text/translator.js';

/**
 * The one catalogue of what the record says, in English and French: every kind's sentences (from
 * the registry, shared/record/kinds.ts) and the words of the values they name. The console mounts
 * it in its i18next resources under `sentences` (renderer/i18n/en.ts, fr.ts); the report, built
 * in the core, loads the same into its own i18next instance. Both then call describeEvent.
 */
export const SENTENCE_LANGUAGES = ['en', 'fr'] as const;
export type SentenceLanguage = (typeof SENTENCE_LANGUAGES)[number];

type Labels = Record<LabelGroup, Record<string, string>>;

const LABELS: Record<SentenceLanguage, Labels> = {
  en: {
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
    role: {
      commander: 'incident commander',
      deputy: 'deputy',
      scribe: 'scribe',
      comms_lead: 'communications lead',
      ops_lead: 'operations lead',
      sme: 'subject-matter expert',
    },
    audience: { executives: 'Executives', internal: 'Internal', customers: 'Customers' },
    channel: { email: 'E-mail', chat: 'Chat', status_page: 'Status page', phone_bridge: 'Phone bridge', other: 'Other' },
    detectionSource: {
      user_report: 'User report',
      monitoring: 'Monitoring alert',
      service_desk: 'Service desk',
      third_party: 'Third-party alert',
      other: 'Other',
    },
    taskStatus: { todo: 'To do', doing: 'Doing', blocked: 'Blocked', done: 'Done' },
    severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' },
    deliveryKind: { email: 'e-mail', slack: 'Slack', teams: 'Microsoft Teams', mattermost: 'Mattermost', webhook: 'webhook' },
    publicStatus: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
    badge: {
      note: 'Note',
      decision: 'Decision',
      action: 'Action',
      finding: 'Finding',
      hypothesis: 'Hypothesis',
      external: 'External',
      declared: 'Declared',
      status: 'Status',
      priority: 'Priority',
      role: 'Role',
      handoff: 'Hand-off',
      task: 'Task',
      comms: 'Comms',
      sla: 'SLA',
      other: 'Other',
    } satisfies Record<TimelineBadge, string>,
  },
  fr: {
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
    role: {
      commander: 'gestionnaire des incidents',
      deputy: 'adjoint',
      scribe: 'scribe',
      comms_lead: 'responsable de la communication',
      ops_lead: 'responsable des opérations',
      sme: 'expert métier',
    },
    audience: { executives: 'Direction', internal: 'Interne', customers: 'Clients' },
    channel: { email: 'E-mail', chat: 'Messagerie', status_page: 'Page de statut', phone_bridge: 'Pont téléphonique', other: 'Autre' },
    detectionSource: {
      user_report: 'Signalement utilisateur',
      monitoring: 'Alerte de supervision',
      service_desk: 'Centre de services',
      third_party: 'Alerte d’un tiers',
      other: 'Autre',
    },
    taskStatus: { todo: 'À faire', doing: 'En cours', blocked: 'Bloquée', done: 'Terminée' },
    severity: { critical: 'Critique', high: 'Haute', medium: 'Moyenne', low: 'Basse', info: 'Info' },
    deliveryKind: { email: 'e-mail', slack: 'Slack', teams: 'Microsoft Teams', mattermost: 'Mattermost', webhook: 'webhook' },
    publicStatus: { investigating: 'Analyse en cours', identified: 'Cause identifiée', monitoring: 'Sous surveillance', resolved: 'Résolu' },
    badge: {
      note: 'Note',
      decision: 'Décision',
      action: 'Action',
      finding: 'Constat',
      hypothesis: 'Hypothèse',
      external: 'Externe',
      declared: 'Déclaration',
      status: 'Statut',
      priority: 'Priorité',
      role: 'Rôle',
      handoff: 'Passation',
      task: 'Tâche',
      comms: 'Comm.',
      sla: 'SLA',
      other: 'Autre',
    } satisfies Record<TimelineBadge, string>,
  },
};

const COMMON = {
  en: {
    unknownKind: 'Entry of an unknown kind (from a newer version)',
    unknownTask: 'a task no longer shown',
    unknownAudience: 'an audience',
  },
  fr: {
    unknownKind: 'Entrée d’un type inconnu (d’une version plus récente)',
    unknownTask: 'une tâche qui n’est plus affichée',
    unknownAudience: 'un public',
  },
} satisfies Record<SentenceLanguage, Record<string, string>>;

/** Kind `task.created` becomes the nested path `kind.task.created.<sentence>` (i18next's key separator is the dot). */
function kindTexts(language: SentenceLanguage): Record<string, Record<string, Record<string, string>>> {
  const tree: Record<string, Record<string, Record<string, string>>> = {};
  for (const [kind, spec] of Object.entries(KINDS)) {
    if (spec.shown !== 'row') continue;
    const [domain, action] = kind.split('.') as [string, string];
    (tree[domain] ??= {})[action] = (spec as RowKind<EventKind, string>).text[language];
  }
  return tree;
}

export const SENTENCES = {
  en: { ...COMMON.en, label: LABELS.en, kind: kindTexts('en') },
  fr: { ...COMMON.fr, label: LABELS.fr, kind: kindTexts('fr') },
};

/** Where the console mounts the catalogue in its own resources. */
export const SENTENCES_KEY = 'sentences';

/** Translates a key of the catalogue (relative to it), filling in `{{name}}`s. */
export type Translate = (key: string, values?: SentenceValues) => string;

export interface EventText {
  badge: TimelineBadge;
  text: string;
  details: string[];
  /** Free text a person typed (shown as written) rather than a sentence the console composed. */
  typed: boolean;
}

export interface DescribeOptions {
  t: Translate;
  /** The incident as it stands, to name tasks and audiences by their current titles. */
  view: IncidentView | null;
  time(at: number): string;
  duration(ms: number): string;
}

/**
 * What a row says: the kind's sentence built from its payload, in the reader's language. A kind
 * this version does not know, or a payload that fails its schema, gets a neutral sentence; a
 * kind that is never a row of its own says nothing.
 */
export function describeEvent(raw: EventEnvelope, options: DescribeOptions): EventText {
  const { t, view } = options;
  let event: KnownEvent | null;
  try {
    event = asKnown(parseEvent(raw));
  } catch {
    event = null;
  }
  if (!event) return { badge: 'other', text: t('unknownKind'), details: [], typed: false };
  const spec = kindSpec(event.kind);
  if (spec.shown !== 'row') return { badge: 'other', text: '', details: [], typed: false };
  const context: SentenceContext = {
    label: (group, value) => (Object.prototype.hasOwnProperty.call(LABELS.en[group], value) ? t(`label.${group}.${value}`) : value),
    taskTitle: (taskId) => view?.tasks.find((x) => x.id === taskId)?.title ?? t('unknownTask'),
    draftAudience: (draftId) => {
      const audience = view?.comms.find((d) => d.id === draftId)?.audience;
      return audience ? context.label('audience', audience) : t('unknownAudience');
    },
    time: options.time,
    duration: options.duration,
  };
  const [domain, action] = event.kind.split('.') as [string, string];
  const say = (variant: string, values?: SentenceValues) => t(`kind.${domain}.${action}.${variant}`, values);
  const said = spec.sentence(event.payload as never, say, context);
  return {
    badge: badgeOf(event),
    text: said.text,
    details: (said.details ?? []).filter((line) => line.length > 0),
    typed: spec.typed === true,
  };
}

/** A value's words in the reader's language (the badge of a row, a status…), through the same catalogue. */
export function labelOf(t: Translate, group: LabelGroup, value: string): string {
  return Object.prototype.hasOwnProperty.call(LABELS.en[group], value) ? t(`label.${group}.${value}`) : value;
}

const translators = new Map<SentenceLanguage, Translate>();

/**
 * A translator over the catalogue for code outside the console (tests; the report loads the same
 * catalogue with its own words, shared/review/report-text.ts): an i18next instance of its own.
 */
export function sentenceTranslator(language: SentenceLanguage): Translate {
  let t = translators.get(language);
  if (!t) {
    t = translator(SENTENCES[language], language) as unknown as Translate;
    translators.set(language, t);
  }
  return t;
}

export { LABEL_GROUPS };
