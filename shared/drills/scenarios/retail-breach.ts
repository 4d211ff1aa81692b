import type { Scenario } from './schema.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Modelled on the 2013 retail breach of DOMAIN.md: the security tooling raised the alarm and
 * the alarm was seen, but nobody acted on it for days. Fictional company, people and hosts.
 * The drill tests whether this team treats an alert as the start of an incident.
 */
export const retailBreach: Scenario = {
  format: 'warroom-scenario',
  version: 1,
  id: 'retail-breach-alerts',
  title: {
    en: 'Retail card breach: alerts seen, not acted on',
    fr: 'Fuite de cartes chez un distributeur : alertes vues, non traitées',
  },
  summary: {
    en: 'Malware alerts fire on the point-of-sale update servers of Larchmont Stores on a Friday night. The alerts reach people, but nobody owns them. Card data starts leaving the network while the weekend sales peak approaches.',
    fr: 'Des alertes de logiciel malveillant se déclenchent un vendredi soir sur les serveurs de mise à jour des caisses de Larchmont Stores. Les alertes arrivent à des personnes, mais personne n’en est responsable. Des données de cartes commencent à sortir du réseau à l’approche du pic de ventes du week-end.',
  },
  basedOn: {
    en: 'A retailer’s breach (2013): alerts from security tooling were seen and not acted on quickly.',
    fr: 'La fuite d’un distributeur (2013) : les alertes des outils de sécurité ont été vues sans être traitées rapidement.',
  },
  incident: {
    title: {
      en: 'Malware alerts on point-of-sale update servers',
      fr: 'Alertes de logiciel malveillant sur les serveurs de mise à jour des caisses',
    },
    description: {
      en: 'The malware detection sandbox flags an unknown binary on pos-upd-02, the server that pushes updates to store tills. The SOC forwarded the alert by e-mail; no one has acknowledged it.',
      fr: 'Le bac à sable de détection signale un binaire inconnu sur pos-upd-02, le serveur qui pousse les mises à jour vers les caisses des magasins. Le SOC a transféré l’alerte par e-mail ; personne n’en a accusé réception.',
    },
    services: ['Point of sale', 'Card payments', 'Store network'],
    reporter: 'SOC night shift (FireWatch alert FW-2231)',
    detectionSource: 'monitoring',
    category: 'security',
    impact: 'medium',
    urgency: 'high',
    detectedAfterMs: 40 * MIN,
  },
  injects: [
    {
      atMs: 0,
      entryKind: 'external',
      from: 'FireWatch malware sandbox',
      text: {
        en: 'ALERT FW-2231 (severity high): unknown binary "svc_pos.exe" on pos-upd-02 contacts 203.0.113.45 over port 443.',
        fr: 'ALERTE FW-2231 (gravité haute) : binaire inconnu « svc_pos.exe » sur pos-upd-02, en contact avec 203.0.113.45 sur le port 443.',
      },
    },
    {
      atMs: 4 * MIN,
      entryKind: 'note',
      from: 'SOC night shift',
      text: {
        en: 'We forwarded FW-2231 to the HQ security mailbox as per procedure. No reply. Nobody from HQ security is on call tonight.',
        fr: 'Nous avons transféré FW-2231 à la boîte du service sécurité du siège, selon la procédure. Pas de réponse. Personne n’est d’astreinte à la sécurité du siège ce soir.',
      },
    },
    {
      atMs: 9 * MIN,
      entryKind: 'external',
      from: 'FireWatch malware sandbox',
      text: {
        en: 'ALERT FW-2238 (severity high): same malware family now on pos-stg-01, pos-stg-03 and pos-stg-04.',
        fr: 'ALERTE FW-2238 (gravité haute) : la même famille de logiciel malveillant est maintenant sur pos-stg-01, pos-stg-03 et pos-stg-04.',
      },
    },
    {
      atMs: 15 * MIN,
      entryKind: 'note',
      from: 'IT operations',
      text: {
        en: 'Automatic quarantine is switched off on the sandbox (too many false positives last year). Switching it on needs a change approval.',
        fr: 'La mise en quarantaine automatique est désactivée sur le bac à sable (trop de faux positifs l’an dernier). La réactiver demande une approbation de changement.',
      },
    },
    {
      atMs: 24 * MIN,
      entryKind: 'external',
      from: 'Network monitoring',
      text: {
        en: 'Unusual outbound FTP from pos-stg-03 to an external host: about 2 GB in the last hour, in small bursts.',
        fr: 'FTP sortant inhabituel de pos-stg-03 vers un hôte externe : environ 2 Go sur la dernière heure, par petites rafales.',
      },
    },
    {
      atMs: 33 * MIN,
      entryKind: 'note',
      from: 'Store operations',
      text: {
        en: 'The weekend sales peak starts in two hours. Stores ask whether they should keep taking cards.',
        fr: 'Le pic de ventes du week-end commence dans deux heures. Les magasins demandent s’ils doivent continuer à accepter les cartes.',
      },
    },
    {
      atMs: 45 * MIN,
      entryKind: 'external',
      from: 'Card processor fraud desk',
      text: {
        en: 'We see a fraud pattern on cards used in your stores over the last ten days. Please confirm whether you have a compromise.',
        fr: 'Nous voyons un schéma de fraude sur des cartes utilisées dans vos magasins ces dix derniers jours. Merci de confirmer si vous êtes compromis.',
      },
    },
    {
      atMs: 56 * MIN,
      entryKind: 'note',
      from: 'Legal',
      text: {
        en: 'Who must be told, and by when? Card brands, the data protection authority, customers. We need facts to decide.',
        fr: 'Qui doit être informé, et quand ? Les réseaux de cartes, l’autorité de protection des données, les clients. Il nous faut des faits pour décider.',
      },
    },
    {
      atMs: 70 * MIN,
      entryKind: 'finding',
      from: 'Forensics partner',
      text: {
        en: 'Memory-scraping malware confirmed on sampled tills. Card data is staged on pos-stg-03 before it leaves.',
        fr: 'Logiciel de capture mémoire confirmé sur les caisses échantillonnées. Les données de cartes sont regroupées sur pos-stg-03 avant de sortir.',
      },
    },
    {
      atMs: 88 * MIN,
      entryKind: 'external',
      from: 'Press office',
      text: {
        en: 'A journalist asks for comment on "reports of a card breach at Larchmont Stores" before publishing tonight.',
        fr: 'Un journaliste demande un commentaire sur « des informations faisant état d’une fuite de cartes chez Larchmont Stores » avant publication ce soir.',
      },
    },
  ],
  // The original team took days: a first response the next working day, exfiltration stopped two weeks later.
  reference: { respondMs: 62 * HOUR, mitigateMs: 7 * 24 * HOUR, resolveMs: null },
};
