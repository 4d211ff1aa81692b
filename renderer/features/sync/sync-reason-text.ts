import type { SyncStatus } from '../../../shared/api/api.js';
import { i18n } from '../../i18n/index.js';

/**
 * Why sync failed, in the UI's language: the reason's code looked up in the catalogue
 * (renderer/i18n/syncreasons.*.ts) with its figures. A failure without a code (an unexpected
 * error inside this laptop) or with a code this console has no words for keeps the core's
 * English sentence: readable, never blank.
 */
export function syncReasonText(status: Pick<SyncStatus, 'reason' | 'error'>): string | null {
  const { reason } = status;
  const key = reason ? `sync.reason.${reason.code}` : null;
  if (key && i18n.exists(key)) return i18n.t(key as never, (reason!.params ?? {}) as never) as unknown as string;
  return status.error;
}
