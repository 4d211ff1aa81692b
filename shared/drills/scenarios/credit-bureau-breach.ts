import type { Scenario } from './schema.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * Modelled on the 2017 credit bureau breach of DOMAIN.md: a known vulnerability left
 * unpatched in a public web application, then communication that was slow and opaque.
 * Fictional company, people and systems.
 */
export const creditBureauBreach: Scenario = {
  format: 'warroom-scenario',
  version: 1,
  id: 'credit-bureau-unpatched',
  title: {
    en: 'Credit bureau breach: unpatched known vulnerability, slow communication',
    fr: 'Fuite chez un bureau de crédit : vulnérabilité connue non corrigée, communication lente',
  },
  summary: {
    en: 'Crestline Credit finds attackers in its online dispute portal through a web-framework flaw patched upstream two months ago. The records at stake are personal and sensitive; regulators, customers and the press will want answers, and leadership is tempted to wait.',
    fr: 'Crestline Credit découvre des attaquants dans son portail de contestation en ligne, entrés par une faille d’un framework web corrigée par l’éditeur il y a deux mois. Les données en jeu sont personnelles et sensibles ; régulateurs, clients et presse voudront des réponses, et la direction est tentée d’attendre.',
  },
  basedOn: {
    en: 'A credit bureau’s breach (2017): a known vulnerability left unpatched; slow and opaque communication.',
    fr: 'La fuite d’un bureau de crédit (2017) : une vulnérabilité connue non corrigée ; une communication lente et opaque.',
  },
  incident: {
    title: {
      en: 'Suspicious traffic from the online dispute portal',
      fr: 'Trafic suspect depuis le portail de contestation en ligne',
    },
    description: {
      en: 'After an expired certificate was renewed on the traffic inspection appliance, the security team can see encrypted traffic from the dispute portal again, and some of it looks wrong.',
      fr: 'Après le renouvellement d’un certificat expiré sur l’équipement d’inspection du trafic, l’équipe sécurité voit de nouveau le trafic chiffré du portail de contestation, et une partie semble anormale.',
    },
    services: ['Online dispute portal', 'Consumer credit files'],
    reporter: 'Network security team',
    detectionSource: 'monitoring',
    category: 'security',
    impact: 'high',
    urgency: 'medium',
    // Eleven weeks in the original; scenario times stop at a week, so a drill's clocks stay readable.
    detectedAfterMs: 7 * DAY,
  },
  injects: [
    {
      atMs: 0,
      entryKind: 'finding',
      from: 'Network security',
      text: {
        en: 'The inspection appliance’s certificate had expired ten months ago; since the renewal, we see outbound transfers from the dispute portal to unknown addresses.',
        fr: 'Le certificat de l’équipement d’inspection avait expiré il y a dix mois ; depuis le renouvellement, nous voyons des transferts sortants du portail de contestation vers des adresses inconnues.',
      },
    },
    {
      atMs: 5 * MIN,
      entryKind: 'finding',
      from: 'Security operations',
      text: {
        en: 'Portal web logs show requests exploiting CVE-2099-0042 in the web framework. The upstream fix was published two months ago.',
        fr: 'Les journaux web du portail montrent des requêtes exploitant CVE-2099-0042 dans le framework web. Le correctif de l’éditeur a été publié il y a deux mois.',
      },
    },
    {
      atMs: 11 * MIN,
      entryKind: 'note',
      from: 'Patch management',
      text: {
        en: 'The advisory went to the application owners’ list, but the dispute portal’s owner was not on it. The scan that should have caught it skipped that host.',
        fr: 'L’avis a été envoyé à la liste des responsables d’applications, mais le responsable du portail n’y figurait pas. Le scan qui aurait dû le détecter a sauté cet hôte.',
      },
    },
    {
      atMs: 19 * MIN,
      entryKind: 'finding',
      from: 'Security operations',
      text: {
        en: 'The attackers queried tables holding names, national ID numbers, dates of birth and addresses. Queries go back weeks.',
        fr: 'Les attaquants ont interrogé des tables contenant noms, numéros d’identité nationaux, dates de naissance et adresses. Les requêtes remontent à plusieurs semaines.',
      },
    },
    {
      atMs: 28 * MIN,
      entryKind: 'note',
      from: 'Legal',
      text: {
        en: 'Several regulators must be notified within fixed deadlines once we are aware of a breach. The clock may already be running.',
        fr: 'Plusieurs régulateurs doivent être notifiés dans des délais fixes dès que nous avons connaissance d’une fuite. Le délai court peut-être déjà.',
      },
    },
    {
      atMs: 39 * MIN,
      entryKind: 'note',
      from: 'Executive office',
      text: {
        en: 'Leadership asks to say nothing, internally or externally, until the full scope is known.',
        fr: 'La direction demande de ne rien dire, en interne comme à l’extérieur, tant que l’étendue complète n’est pas connue.',
      },
    },
    {
      atMs: 54 * MIN,
      entryKind: 'finding',
      from: 'Forensics partner',
      text: {
        en: 'Exfiltration ran for about eleven weeks. The scope could reach tens of millions of consumer records.',
        fr: 'L’exfiltration a duré environ onze semaines. L’étendue pourrait atteindre des dizaines de millions de dossiers de consommateurs.',
      },
    },
    {
      atMs: 68 * MIN,
      entryKind: 'external',
      from: 'Customer service',
      text: {
        en: 'The “am I affected?” site planned for customers sits on a brand-new domain that security tools flag as phishing.',
        fr: 'Le site « suis-je concerné ? » prévu pour les clients est sur un tout nouveau domaine que les outils de sécurité signalent comme de l’hameçonnage.',
      },
    },
    {
      atMs: 84 * MIN,
      entryKind: 'external',
      from: 'Press office',
      text: {
        en: 'A newspaper has a tip about the breach and will publish tomorrow morning, with or without our comment.',
        fr: 'Un journal a été informé de la fuite et publiera demain matin, avec ou sans notre commentaire.',
      },
    },
  ],
  // The original took the portal offline the next day and only announced the breach six weeks later.
  reference: { respondMs: 2 * HOUR, mitigateMs: 1 * DAY, resolveMs: 7 * DAY },
};
