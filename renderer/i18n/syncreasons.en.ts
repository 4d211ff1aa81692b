import type { SyncReasonCode } from '../../shared/sync/sync-reasons.js';

/** English words for why a sync round with the hub failed (shared/sync/sync-reasons.ts), one per code. */
export const syncReasonsEn: Record<SyncReasonCode, string> = {
  hub_unreachable: 'The hub is unreachable.',
  hub_timed_out: 'The hub did not answer in time.',
  hub_unavailable: 'The hub is unavailable (HTTP {{status}}).',
  hub_unavailable_detail: 'The hub is unavailable (HTTP {{status}}): {{detail}}',
  token_refused: 'The hub refused the team token (401). Check the token in the sync settings.',
  rate_limited: 'The hub asked us to slow down (429); retrying later.',
  request_refused: 'The hub refused the request (HTTP {{status}}).',
  request_refused_detail: 'The hub refused the request (HTTP {{status}}): {{detail}}',
  not_json: 'The hub answered with something that is not JSON; nothing was applied.',
  too_deep: 'The hub sent JSON nested too deep to read; nothing was applied.',
  too_large: 'The hub sent a response larger than {{limit}} bytes; it was refused and nothing was applied.',
  cut_off: 'The connection to the hub was cut mid-answer.',
  bad_pull_page: 'The hub sent a page of events of the wrong shape; nothing was applied.',
  bad_push_receipt: 'The hub answered a push with something that is not a receipt.',
  bad_disclosure_receipt: 'The hub answered a disclosure with something that is not a receipt.',
  cursor_backwards: 'The hub sent a position that goes backwards; nothing was applied.',
  cursor_ahead: 'The hub’s position is ahead of this laptop’s: {{detail}}',
  plain_http_refused: 'A hub on another machine must use https:// so the team token never crosses the network in clear ({{hubUrl}}).',
};
