import type { teamKeyEn } from './teamkey.en.js';

/** Chaînes françaises de la clé d’équipe (issue #14) : le registre scellé, dans les réglages de synchronisation. */
export const teamKeyFr: typeof teamKeyEn = {
  title: 'Clé d’équipe',
  intro:
    'Avec une clé d’équipe, chaque événement quitte cet ordinateur scellé : le hub le relaie sans pouvoir le lire. Seuls les ordinateurs qui ont reçu la clé lisent le registre.',
  none: 'Pas de clé d’équipe : les événements partent en clair vers le hub.',
  sealed: 'Scellé pour l’équipe « {{team}} » — clé {{keyId}}',
  fingerprint: 'Empreinte {{fingerprint}} (comparez-la à voix haute avec vos coéquipiers)',
  keys_one: '{{count}} clé détenue',
  keys_other: '{{count}} clés détenues (les anciennes ouvrent les anciens événements)',
  storedKeychain: 'Gardée dans le trousseau du système, jamais dans le fichier du registre.',
  storedFile: 'Gardée dans un fichier privé à côté du registre, jamais dedans.',
  storedNone: 'Cette console ne peut pas garder de clé d’équipe.',
  cipher: {
    libsodium: 'Scellé et ouvert ici par libsodium.',
    'node-crypto': 'Scellé et ouvert ici par ChaCha20-Poly1305 de Node (libsodium n’a pas pu servir).',
    javascript: 'Scellé et ouvert ici par le repli JavaScript : libsodium n’a pas pu servir, le rattrapage avec le hub est donc plus lent.',
  },
  teamName: 'Nom de l’équipe',
  teamNamePlaceholder: 'ops',
  create: 'Créer une clé d’équipe',
  createHint:
    'Une fois la clé créée, cet ordinateur n’envoie plus jamais d’événement en clair. Donnez la clé à chaque coéquipier par fichier ou par code d’appairage.',
  exportFile: 'Exporter le fichier de clé',
  exportHint: 'Le fichier de clé est la clé elle-même : remettez-le en main propre ou par un canal de confiance.',
  importFile: 'Importer un fichier de clé',
  importFailed: 'Import impossible : {{message}}',
  rotate: 'Renouveler la clé',
  rotateHint:
    'Les nouveaux événements utilisent une nouvelle clé ; les anciens s’ouvrent toujours. Pour retirer un ordinateur : révoquez son jeton du hub, renouvelez, et ne donnez la nouvelle clé qu’aux autres.',
  passphrase: 'Phrase secrète (8 caractères ou plus)',
  offer: 'Créer un code d’appairage',
  offerHint:
    'La clé part vers le hub enveloppée par le code et la phrase secrète, pour 15 minutes, une seule fois. Dites le code ; transmettez la phrase autrement.',
  offered: 'Code d’appairage {{code}} — valable jusqu’à {{time}}',
  code: 'Code d’appairage',
  codePlaceholder: 'K7QF-2M9X-4RTA',
  join: 'Rejoindre avec un code d’appairage',
  working: 'En cours…',
  done: 'Clé d’équipe enregistrée.',
  errors: {
    team_key_exists: 'Cet ordinateur a déjà une clé d’équipe ; renouvelez-la plutôt.',
    team_key_none: 'Cet ordinateur n’a pas encore de clé d’équipe.',
    team_key_no_store: 'Cette console ne peut pas garder de clé d’équipe.',
    team_key_file_invalid: 'Ce n’est pas un fichier de clé d’équipe Warroom.',
    team_key_other_team: 'Cette clé appartient à une autre équipe que celle de la clé de cet ordinateur.',
    pairing_needs_hub: 'L’appairage passe par le hub de l’équipe : réglez d’abord le hub et son jeton, ou utilisez un fichier de clé.',
    pairing_hub_unreachable: 'Le hub est injoignable ; réessayez, ou utilisez un fichier de clé.',
    pairing_hub_refused: 'Le hub n’a pas gardé ou pas remis l’appairage.',
    pairing_code_invalid: 'Un code d’appairage compte 12 lettres et chiffres, comme K7QF-2M9X-4RTA.',
    pairing_not_found: 'Aucun appairage sous ce code : mal tapé, expiré (15 minutes) ou déjà utilisé.',
    pairing_wrong_passphrase: 'La phrase secrète n’ouvre pas cet appairage.',
  },
};
