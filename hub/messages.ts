import { languageFromEnv, translator, type KeyOf, type Words } from '../shared/text/translator.js';

/**
 * What the hub's command line says to the operator, in English and French. The HTTP API
 * itself answers with stable error codes for the client to translate, not with prose.
 */
const en = {
  usage: `Warroom team sync hub

Usage: npm run hub -- [command] [options]

  serve                     Run the hub (the default command)
    --port N                TCP port (default 4800; 0 picks a free one)
    --host ADDRESS          Address to bind (default 127.0.0.1)
    --db FILE               SQLite file (default ./hub-data/hub.sqlite)
    --rate-limit N          Requests per minute per token (default 600)
    --log-level LEVEL       fatal, error, warn, info, debug (default info)
    --config FILE           Channels for updates and status pages (JSON, chmod 600; see hub/README.md)
  token create TEAM         Create a token for TEAM (and the team if new); prints it once
  token list                List tokens: id, team, created, revoked
  token revoke TOKEN_ID     Revoke a token; requests with it get 401 from then on
  epoch rotate              After restoring a backup: laptops pull everything again and
                            push back what the restored copy lost
  integration create TEAM alertmanager|grafana|generic NAME [--auth bearer|hmac]
                            An alert source posting to /v1/alerts/ID; prints its secret once
  integration list | rotate ID | revoke ID

Storage: PostgreSQL when DATABASE_URL is set and --db is not given, otherwise SQLite.`,
  listening: 'Warroom hub listening on {{url}} (storage: {{storage}})',
  exposed: 'Warning: bound to {{host}}, which other machines can reach. The hub speaks plain HTTP: put it behind a TLS reverse proxy (see hub/README.md).',
  stopping: 'Stopping the hub…',
  tokenCreated: 'Token {{id}} created for team "{{team}}". It is shown only this once: give it to the team now.',
  tokenRevoked: 'Token {{id}} revoked.',
  epochRotated: 'New epoch {{epoch}}: every laptop will pull everything again and push back what this hub lacks.',
  tokenNotFound: 'No active token with id {{id}}.',
  noTokens: 'No tokens yet. Create one with: npm run hub -- token create TEAM',
  tokenHeader: 'ID            TEAM                  CREATED (UTC)          REVOKED (UTC)',
  active: 'active',
  badArguments: 'Invalid arguments: {{reason}}',
  failed: 'Hub error: {{reason}}',
};

const fr: Words<typeof en> = {
  usage: `Hub de synchronisation d'équipe Warroom

Usage : npm run hub -- [commande] [options]

  serve                     Lance le hub (commande par défaut)
    --port N                Port TCP (4800 par défaut ; 0 en choisit un libre)
    --host ADRESSE          Adresse d'écoute (127.0.0.1 par défaut)
    --db FICHIER            Fichier SQLite (./hub-data/hub.sqlite par défaut)
    --rate-limit N          Requêtes par minute et par jeton (600 par défaut)
    --log-level NIVEAU      fatal, error, warn, info, debug (info par défaut)
    --config FICHIER        Canaux d'envoi et pages de statut (JSON, chmod 600 ; voir hub/README.md)
  token create ÉQUIPE       Crée un jeton pour ÉQUIPE (et l'équipe si elle est nouvelle) ; il n'est affiché qu'une fois
  token list                Liste les jetons : id, équipe, création, révocation
  token revoke ID_JETON     Révoque un jeton ; ses requêtes reçoivent ensuite 401
  epoch rotate              Après restauration d'une sauvegarde : les postes retirent tout
                            et renvoient ce que la copie restaurée a perdu
  integration create ÉQUIPE alertmanager|grafana|generic NOM [--auth bearer|hmac]
                            Une source d'alertes qui poste sur /v1/alerts/ID ; affiche son secret une fois
  integration list | rotate ID | revoke ID

Stockage : PostgreSQL si DATABASE_URL est défini et --db absent, sinon SQLite.`,
  listening: 'Hub Warroom à l’écoute sur {{url}} (stockage : {{storage}})',
  exposed:
    'Attention : écoute sur {{host}}, joignable depuis d’autres machines. Le hub parle HTTP en clair : placez-le derrière un proxy inverse TLS (voir hub/README.md).',
  stopping: 'Arrêt du hub…',
  tokenCreated: 'Jeton {{id}} créé pour l’équipe « {{team}} ». Il n’est affiché que cette fois : transmettez-le à l’équipe maintenant.',
  tokenRevoked: 'Jeton {{id}} révoqué.',
  epochRotated: 'Nouvelle époque {{epoch}} : chaque poste va tout retirer et renvoyer ce qui manque à ce hub.',
  tokenNotFound: 'Aucun jeton actif avec l’id {{id}}.',
  noTokens: 'Aucun jeton pour l’instant. Créez-en un avec : npm run hub -- token create ÉQUIPE',
  tokenHeader: 'ID            ÉQUIPE                CRÉÉ (UTC)             RÉVOQUÉ (UTC)',
  active: 'actif',
  badArguments: 'Arguments invalides : {{reason}}',
  failed: 'Erreur du hub : {{reason}}',
};

/** The operator's language from the usual locale variables (fr_FR.UTF-8 → fr); English otherwise. */
export const localeFromEnv: (env: NodeJS.ProcessEnv) => 'en' | 'fr' = languageFromEnv;

export type MessageKey = KeyOf<typeof en>;
export type Translate = (key: MessageKey, values?: Record<string, string>) => string;

export function createTranslator(lng: 'en' | 'fr'): Translate {
  return translator<Words<typeof en>>(lng === 'fr' ? fr : en, lng);
}
