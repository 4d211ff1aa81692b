import type { Scenario } from './schema.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Modelled on the 2017 airline outage of DOMAIN.md: a power problem in the main data centre,
 * made much worse by having no standard process to recover and by communication that broke
 * down inside and outside the company. Fictional airline, people and places.
 */
export const airlineOutage: Scenario = {
  format: 'warroom-scenario',
  version: 1,
  id: 'airline-power-outage',
  title: {
    en: 'Airline outage: power failure, no standard process',
    fr: 'Panne d’une compagnie aérienne : coupure de courant, aucun processus standard',
  },
  summary: {
    en: 'A power failure in the primary data centre of Skylark Air takes down check-in, boarding and crew scheduling on a bank-holiday morning. There is no tested failover runbook, and the people at the airports, the customers and the executives all hear different things, or nothing.',
    fr: 'Une coupure de courant dans le centre de données principal de Skylark Air met à terre l’enregistrement, l’embarquement et la planification des équipages un matin de jour férié. Il n’existe aucune procédure de bascule testée, et les équipes des aéroports, les clients et la direction entendent des choses différentes, ou rien.',
  },
  basedOn: {
    en: 'An airline’s IT outage (2017): a power problem, made worse by no standard process and broken communication.',
    fr: 'La panne informatique d’une compagnie aérienne (2017) : un problème électrique aggravé par l’absence de processus standard et une communication défaillante.',
  },
  incident: {
    title: {
      en: 'Check-in, boarding and crew systems down after a data-centre power failure',
      fr: 'Enregistrement, embarquement et équipages à l’arrêt après une coupure de courant du centre de données',
    },
    description: {
      en: 'The primary data centre DC-North lost power at 08:30. Airport systems cannot reach check-in, boarding or crew scheduling. Passengers are queuing at every hub.',
      fr: 'Le centre de données principal DC-Nord a perdu l’alimentation à 08 h 30. Les systèmes des aéroports n’atteignent plus l’enregistrement, l’embarquement ni la planification des équipages. Les passagers font la queue dans tous les hubs.',
    },
    services: ['Check-in', 'Boarding', 'Crew scheduling', 'Booking website'],
    reporter: 'Hub airport duty manager',
    detectionSource: 'user_report',
    category: 'hardware',
    impact: 'high',
    urgency: 'high',
    detectedAfterMs: 6 * MIN,
  },
  injects: [
    {
      atMs: 0,
      entryKind: 'external',
      from: 'Data-centre facilities',
      text: {
        en: 'DC-North lost mains power at 08:30. The UPS carried the load for a few minutes, then dropped.',
        fr: 'DC-Nord a perdu l’alimentation secteur à 08 h 30. L’onduleur a tenu la charge quelques minutes, puis a lâché.',
      },
    },
    {
      atMs: 3 * MIN,
      entryKind: 'external',
      from: 'Network monitoring',
      text: {
        en: 'Check-in, boarding and crew scheduling unreachable from all 14 airports. The booking website returns errors.',
        fr: 'Enregistrement, embarquement et planification des équipages injoignables depuis les 14 aéroports. Le site de réservation renvoie des erreurs.',
      },
    },
    {
      atMs: 7 * MIN,
      entryKind: 'note',
      from: 'Facilities contractor',
      text: {
        en: 'An engineer restored power by hand without the staged restart procedure. There was a surge; several racks smell burnt.',
        fr: 'Un technicien a rétabli le courant à la main sans la procédure de redémarrage par étapes. Il y a eu une surtension ; plusieurs baies sentent le brûlé.',
      },
    },
    {
      atMs: 12 * MIN,
      entryKind: 'external',
      from: 'Hub airport operations',
      text: {
        en: 'Queues out of the terminal doors. Ground staff have nothing to tell passengers; some gates are boarding from paper lists.',
        fr: 'Les files sortent du terminal. Le personnel au sol n’a rien à dire aux passagers ; certaines portes embarquent sur listes papier.',
      },
    },
    {
      atMs: 17 * MIN,
      entryKind: 'finding',
      from: 'Infrastructure team',
      text: {
        en: 'Failover to DC-South has never been tested end to end. There is no runbook; the person who designed it left last year.',
        fr: 'La bascule vers DC-Sud n’a jamais été testée de bout en bout. Il n’y a pas de procédure ; la personne qui l’a conçue est partie l’an dernier.',
      },
    },
    {
      atMs: 23 * MIN,
      entryKind: 'external',
      from: 'Social media team',
      text: {
        en: 'Photos of departure boards are trending. Passengers say they learn more from Twitter than from us. No public statement yet.',
        fr: 'Les photos des tableaux de départs circulent en masse. Les passagers disent en apprendre plus sur les réseaux que par nous. Aucune déclaration publique pour l’instant.',
      },
    },
    {
      atMs: 31 * MIN,
      entryKind: 'note',
      from: 'Crew control',
      text: {
        en: 'Crews cannot see their assignments. Without a fix within the hour, the afternoon departures will have no crew.',
        fr: 'Les équipages ne voient pas leurs affectations. Sans solution dans l’heure, les départs de l’après-midi n’auront pas d’équipage.',
      },
    },
    {
      atMs: 42 * MIN,
      entryKind: 'finding',
      from: 'Infrastructure team',
      text: {
        en: 'The message queue between the two data centres is corrupted: bookings made during the outage disagree between sites.',
        fr: 'La file de messages entre les deux centres de données est corrompue : les réservations faites pendant la panne divergent d’un site à l’autre.',
      },
    },
    {
      atMs: 52 * MIN,
      entryKind: 'note',
      from: 'Executive office',
      text: {
        en: 'The CEO wants a status now. The managers’ phone bridge is full (20 participants) and people are being turned away.',
        fr: 'Le PDG veut un point de situation tout de suite. Le pont téléphonique des managers est plein (20 participants) et des personnes sont refusées.',
      },
    },
    {
      atMs: 66 * MIN,
      entryKind: 'external',
      from: 'Customer service',
      text: {
        en: 'Call volume is eight times normal. Agents have no script and are telling callers different things.',
        fr: 'Le volume d’appels est huit fois la normale. Les conseillers n’ont pas de script et disent des choses différentes aux appelants.',
      },
    },
    {
      atMs: 82 * MIN,
      entryKind: 'finding',
      from: 'Infrastructure team',
      text: {
        en: 'Core systems are back in DC-North on replaced hardware. Booking data reconciliation will take hours.',
        fr: 'Les systèmes cœur sont revenus dans DC-Nord sur du matériel remplacé. La réconciliation des réservations prendra des heures.',
      },
    },
  ],
  reference: { respondMs: 40 * MIN, mitigateMs: 14 * HOUR, resolveMs: 60 * HOUR },
};
