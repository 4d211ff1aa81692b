import type { syncReasonsEn } from './syncreasons.en.js';

/** Mots français pour la raison d’un échec de synchronisation avec le hub (shared/sync/sync-reasons.ts), un par code. */
export const syncReasonsFr: typeof syncReasonsEn = {
  hub_unreachable: 'Le hub est injoignable.',
  hub_timed_out: 'Le hub n’a pas répondu à temps.',
  hub_unavailable: 'Le hub est indisponible (HTTP {{status}}).',
  hub_unavailable_detail: 'Le hub est indisponible (HTTP {{status}}) : {{detail}}',
  token_refused: 'Le hub a refusé le jeton d’équipe (401). Vérifiez le jeton dans les réglages de synchronisation.',
  rate_limited: 'Le hub demande de ralentir (429) ; nouvel essai plus tard.',
  request_refused: 'Le hub a refusé la requête (HTTP {{status}}).',
  request_refused_detail: 'Le hub a refusé la requête (HTTP {{status}}) : {{detail}}',
  not_json: 'Le hub a répondu autre chose que du JSON ; rien n’a été appliqué.',
  too_deep: 'Le hub a envoyé un JSON trop imbriqué pour être lu ; rien n’a été appliqué.',
  too_large: 'Le hub a envoyé une réponse de plus de {{limit}} octets ; elle a été refusée et rien n’a été appliqué.',
  cut_off: 'La connexion au hub a été coupée en pleine réponse.',
  bad_pull_page: 'Le hub a envoyé une page d’événements mal formée ; rien n’a été appliqué.',
  bad_push_receipt: 'Le hub a répondu à un envoi par autre chose qu’un accusé de réception.',
  bad_disclosure_receipt: 'Le hub a répondu à une divulgation par autre chose qu’un accusé de réception.',
  cursor_backwards: 'Le hub a envoyé une position qui recule ; rien n’a été appliqué.',
  cursor_ahead: 'La position du hub est en avance sur celle de cet ordinateur : {{detail}}',
  plain_http_refused: 'Un hub sur une autre machine doit utiliser https://, pour que le jeton d’équipe ne traverse jamais le réseau en clair ({{hubUrl}}).',
};
