import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { entryTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { Modal } from '../../ui/Modal.js';

type History = ChannelOutput<'timeline.history'>;

/** Every version of one entry, oldest first, with who and when: nothing recorded is ever lost. */
export function TimelineHistory({ incidentId, targetId, onClose }: { incidentId: string; targetId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(60_000);
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    api.call('timeline.history', { incidentId, targetId }).then(
      (h) => live && setHistory(h),
      (e: unknown) => live && setError(t('timelineView.historyFailed', { message: message(e) })),
    );
    return () => {
      live = false;
    };
  }, [incidentId, targetId, t]);

  useEffect(() => closeRef.current?.focus(), []);

  const when = (at: number) => entryTime(at, now, locale);
  return (
    <Modal id="history" title={t('timelineView.historyTitle')} className="timeline-history" onClose={onClose}>
      <ErrorNote text={error} />
      {history && (
        <ol className="history-list">
          {history.versions.map((v) => (
            <li key={v.eventId} className={`history-${v.change}`} data-change={v.change}>
              <p className="history-head">
                <strong>{t(`timelineView.change.${v.change}`)}</strong>
                <span className="muted">{t('timelineView.changeBy', { actor: v.actor, time: when(v.recordedAt) })}</span>
              </p>
              {v.change === 'original' || v.change === 'corrected' ? (
                <>
                  {v.text !== null && <p className="history-text">{v.text}</p>}
                  {v.text === null && history.row.redaction && <p className="muted">{t('timelineView.textWithheld')}</p>}
                  {v.occurredAt !== null && <p className="muted">{t('timelineView.occurredAt', { time: when(v.occurredAt) })}</p>}
                </>
              ) : null}
              {v.reason !== null && <p className="history-text">{t('timelineView.reason', { reason: v.reason })}</p>}
            </li>
          ))}
        </ol>
      )}
      <p className="hint">{t('timelineView.historyHint')}</p>
      <div className="form-actions">
        <button ref={closeRef} type="button" className="primary" onClick={onClose}>
          {t('timelineView.close')}
        </button>
      </div>
    </Modal>
  );
}
