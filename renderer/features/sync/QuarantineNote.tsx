import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { message } from '../incidents/view-sync.js';
import { LibraryModal } from '../library/LibraryModal.js';
import { useSyncStatus } from './store.js';
import { shortDeviceId } from './sync-display.js';
import { decodeHlc } from '../../../shared/record/hlc.js';
import type { QuarantinedEventView } from '../../../shared/sync/quarantine.js';
import { QUARANTINE_FAMILIES } from './quarantine-families.js';

/**
 * Beside the sync state: how many events this console keeps and syncs onward but never folds
 * (shared/record/untrusted.ts), as a button that opens the list with each one's reason.
 */
export function QuarantineNote() {
  const { t } = useTranslation();
  const count = useSyncStatus((s) => s.status?.quarantined ?? 0);
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  if (count === 0 && !open) return null;
  return (
    <>
      {count > 0 && (
        <button type="button" className="sync-quarantine" data-testid="sync-quarantine" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          {t('quarantine.note', { count })}
        </button>
      )}
      {open && <QuarantineDialog onClose={close} />}
    </>
  );
}

function QuarantineDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // The reason in the UI's language; the core's own words (English, with the technical detail) stay in the tooltip.
  const detailOf = (event: QuarantinedEventView) => {
    if (event.code !== 'future_clock') return t(`quarantine.detail.${event.code}`);
    const ahead = aheadText(event, i18n.language);
    return ahead ? t('quarantine.detail.future_clock', { ahead }) : t('quarantine.detail.future_clock_unknown');
  };
  const [list, setList] = useState<ChannelOutput<'quarantine.list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    let live = true;
    api.call('quarantine.list', {}).then(
      (answer) => live && setList(answer),
      (failure: unknown) => live && setError(message(failure)),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <LibraryModal
      id="quarantine"
      title={t('quarantine.title')}
      wide
      onClose={onClose}
      actions={
        <button type="button" ref={closeRef} onClick={onClose}>
          {t('quarantine.close')}
        </button>
      }
    >
      <p className="quarantine-intro">{t('quarantine.intro')}</p>
      <ul className="quarantine-families" data-testid="quarantine-families">
        {QUARANTINE_FAMILIES.map((family) => (
          <li key={family}>{t(`quarantine.family.${family}`)}</li>
        ))}
      </ul>
      {error && (
        <p className="quarantine-error" role="alert">
          {error}
        </p>
      )}
      {list && (
        // Focusable, so the keyboard can scroll a long list.
        <ul className="quarantine-list" data-testid="quarantine-list" tabIndex={0} aria-label={t('quarantine.title')}>
          {list.events.map((event) => (
            <li key={event.eventId}>
              <span className="quarantine-code">{t(`quarantine.code.${event.code}`)}</span>
              <code className="quarantine-kind">{event.kind}</code>
              <span className="quarantine-from">{t('quarantine.from', { actor: event.actor, device: shortDeviceId(event.deviceId) })}</span>
              <span className="quarantine-reason" title={event.reason}>
                {detailOf(event)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {list && list.total > list.events.length && <p className="quarantine-more">{t('quarantine.more', { count: list.total - list.events.length })}</p>}
    </LibraryModal>
  );
}

/** How far ahead the event's stamp was when it arrived ("3 days", "3 jours"; the core's rounding), or null when it cannot be read. */
function aheadText(event: QuarantinedEventView, language: string): string | null {
  let wall: number;
  try {
    wall = decodeHlc(event.hlc).wall;
  } catch {
    return null;
  }
  const minutes = Math.round((wall - event.quarantinedAt) / 60_000);
  const hours = Math.round(minutes / 60);
  const [amount, unit] = minutes < 120 ? [minutes, 'minute'] : hours < 72 ? [hours, 'hour'] : [Math.round(hours / 24), 'day'];
  if (!Number.isSafeInteger(amount)) return null;
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}
