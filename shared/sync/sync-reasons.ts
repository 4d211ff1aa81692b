import { z } from 'zod';

/**
 * Why a sync round with the hub failed, as a stable code with its figures: the console says it
 * in the UI's language (renderer/features/sync/sync-reason-text.ts), and `syncReasonEnglish`
 * gives the English sentence the status also carries (logs, the CLI, a console that does not
 * know a newer code).
 */
export const SYNC_REASON_CODES = [
  'hub_unreachable',
  'hub_timed_out',
  'hub_unavailable',
  'hub_unavailable_detail',
  'token_refused',
  'rate_limited',
  'request_refused',
  'request_refused_detail',
  'not_json',
  'too_deep',
  'too_large',
  'cut_off',
  'bad_pull_page',
  'bad_push_receipt',
  'bad_disclosure_receipt',
  'cursor_backwards',
  'cursor_ahead',
  'plain_http_refused',
] as const;
export type SyncReasonCode = (typeof SYNC_REASON_CODES)[number];

/** Figures a reason's sentence names: an HTTP status, a byte limit, the hub's own words. */
export type SyncReasonParams = Record<string, string | number>;

export interface SyncReason {
  code: SyncReasonCode;
  params?: SyncReasonParams;
}

/** As the status carries it: the code stays a plain string, so a console reading a newer core's code still reads the status (and says the English). */
export const SyncReasonSchema = z.strictObject({
  code: z.string().max(64),
  params: z.record(z.string().max(64), z.union([z.string(), z.number()])).optional(),
});

const ENGLISH: Record<SyncReasonCode, (p: SyncReasonParams) => string> = {
  hub_unreachable: () => 'The hub is unreachable.',
  hub_timed_out: () => 'The hub did not answer in time.',
  hub_unavailable: (p) => `The hub is unavailable (HTTP ${p['status']}).`,
  hub_unavailable_detail: (p) => `The hub is unavailable (HTTP ${p['status']}): ${p['detail']}`,
  token_refused: () => 'The hub refused the team token (401). Check the token in the sync settings.',
  rate_limited: () => 'The hub asked us to slow down (429); retrying later.',
  request_refused: (p) => `The hub refused the request (HTTP ${p['status']}).`,
  request_refused_detail: (p) => `The hub refused the request (HTTP ${p['status']}): ${p['detail']}`,
  not_json: () => 'The hub answered with something that is not JSON; nothing was applied.',
  too_deep: () => 'The hub sent JSON nested too deep to read; nothing was applied.',
  too_large: (p) => `The hub sent a response larger than ${p['limit']} bytes; it was refused and nothing was applied.`,
  cut_off: () => 'The connection to the hub was cut mid-answer.',
  bad_pull_page: () => 'The hub sent a pull page of the wrong shape; nothing was applied.',
  bad_push_receipt: () => 'The hub answered a push with something that is not a push receipt.',
  bad_disclosure_receipt: () => 'The hub answered a disclosure with something that is not a receipt.',
  cursor_backwards: () => 'The hub sent a cursor that goes backwards; nothing was applied.',
  cursor_ahead: (p) => `cursor_ahead: ${p['detail']}`,
  plain_http_refused: (p) =>
    `a hub on another machine must use https:// so the team token never crosses the network in clear (a lab can opt out with ${p['env']}=1) (${p['hubUrl']})`,
};

export function syncReasonEnglish(reason: SyncReason): string {
  return ENGLISH[reason.code](reason.params ?? {});
}
