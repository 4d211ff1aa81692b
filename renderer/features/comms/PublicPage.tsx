import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PUBLIC_STATUSES, type PublicStatus } from '../../../shared/status/events.js';
import type { CommsDraftView } from '../../../shared/record/fold.js';
import { command } from '../../app/actions.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { refreshDeliveries, useDeliveries } from './deliveries-store.js';

/** Whether the incident shows on the team's public status page, and under which title. */
export function PublicPageToggle({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const page = useDeliveries((s) => s.publicPage);
  const incidentTitle = useIncidents((s) => s.current?.title ?? '');
  const services = useIncidents((s) => s.current?.services);
  const [title, setTitle] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownTitle = title ?? (page?.title || incidentTitle);
  const visible = page?.visible ?? false;

  const toggle = async () => {
    setError(null);
    try {
      await command('status.setVisibility', { incidentId, visible: !visible, title: shownTitle.trim() || incidentTitle, services: services ?? [] });
      await refreshDeliveries();
    } catch (e) {
      setError(t('deliveries.failedAction', { message: message(e) }));
    }
  };

  return (
    <div className="public-page" data-testid="public-page" data-visible={visible}>
      <p className="muted">{visible ? t('deliveries.publicOn', { title: page?.title ?? '' }) : t('deliveries.publicOff')}</p>
      <div className="public-page-row">
        <label>
          <span className="visually-hidden">{t('deliveries.publicTitle')}</span>
          <input value={shownTitle} maxLength={200} aria-label={t('deliveries.publicTitle')} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="button" onClick={() => void toggle()}>
          {visible ? t('deliveries.makePrivate') : t('deliveries.makePublic')}
        </button>
      </div>
      <ErrorNote text={error} />
    </div>
  );
}

/** On an approved or sent customer update: publish it on the status page, with the status customers read. */
export function PublishUpdate({ incidentId, draft }: { incidentId: string; draft: CommsDraftView }) {
  const { t } = useTranslation();
  const published = useDeliveries((s) => s.publicPage?.published.find((p) => p.draftId === draft.id) ?? null);
  const incidentStatus = useIncidents((s) => s.current?.status);
  const [status, setStatus] = useState<PublicStatus>(
    incidentStatus === 'resolved' || incidentStatus === 'closed' ? 'resolved' : incidentStatus === 'mitigated' ? 'monitoring' : 'investigating',
  );
  const [error, setError] = useState<string | null>(null);
  if (draft.audience !== 'customers' || draft.state === 'draft') return null;
  if (published) {
    return (
      <p className="published-note" data-testid="published-note">
        {t('deliveries.published')} · {t(`deliveries.publicStatus.${published.status}`)}
      </p>
    );
  }
  const publish = async () => {
    setError(null);
    try {
      await command('status.publish', { incidentId, draftId: draft.id, status });
      await refreshDeliveries();
    } catch (e) {
      setError(t('deliveries.failedAction', { message: message(e) }));
    }
  };
  return (
    <div className="publish-update">
      <select aria-label={t('deliveries.publish')} value={status} onChange={(e) => setStatus(e.target.value as PublicStatus)}>
        {PUBLIC_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`deliveries.publicStatus.${s}`)}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void publish()}>
        {t('deliveries.publish')}
      </button>
      <ErrorNote text={error} />
    </div>
  );
}
