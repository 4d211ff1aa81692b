import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isTypingTarget } from '../../app/shortcuts.js';
import { useIncidents } from '../incidents/store.js';
import { closeReview, isReviewable, openReview, useReview } from './store.js';
import { useUi } from '../../app/ui-store.js';

/** Opens or leaves review mode for the incident on screen; the review applies once it is resolved. */
export function toggleReview(): void {
  const incident = useIncidents.getState().current;
  if (useReview.getState().incidentId) closeReview();
  else if (incident && isReviewable(incident.status)) openReview(incident.id);
}

/** The header's way into review mode, with Shift+R from anywhere in the console (r alone assigns roles). */
export function ReviewButton() {
  const { t } = useTranslation();
  const status = useIncidents((s) => s.current?.status);
  const reviewing = useReview((s) => s.incidentId !== null);
  const selected = useUi((s) => s.selectedIncidentId);
  const reviewFor = useReview((s) => s.incidentId);
  const allowed = isReviewable(status);

  // Switching to another incident, or reopening this one, leaves the review.
  useEffect(() => {
    if (reviewFor && (reviewFor !== selected || (status && !isReviewable(status)))) closeReview();
  }, [reviewFor, selected, status]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'R' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target) || document.querySelector('[aria-modal="true"]')) return;
      event.preventDefault();
      toggleReview();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <button
      type="button"
      className={reviewing ? 'review-toggle-button active' : 'review-toggle-button'}
      aria-pressed={reviewing}
      disabled={!allowed && !reviewing}
      title={allowed ? t('review.openHint') : t('review.notYet', { status: status ? t(`status.${status}`) : '' })}
      onClick={toggleReview}
    >
      {t('review.open')}
    </button>
  );
}
