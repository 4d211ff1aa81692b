import { useEffect, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { isTypingTarget } from '../../app/shortcuts.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { closeReview, refreshReview, REVIEW_TABS, useReview, type ReviewTab } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PresenterView } from './PresenterView.js';
import { ReplayView } from './ReplayView.js';
import { ReviewLessons } from './ReviewLessons.js';
import { ReviewMetrics } from './ReviewMetrics.js';
import { ReviewRootCause } from './ReviewRootCause.js';
import { ReviewTimeline, rowDomId } from './ReviewTimeline.js';
import './Review.css';

/** A modal (help, palette, a dialog) has the keyboard: the review's single keys stay quiet. */
const modalOpen = () => document.querySelector('[aria-modal="true"]') !== null;

/**
 * Review mode for a resolved incident: the curated timeline on the left, the metrics, the
 * root-cause tools and the lessons on the right, and the presenter and replay for the
 * meeting. Everything here is recorded as review events; the incident's record is untouched.
 */
export function ReviewMode({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const tab = useReview((s) => s.tab);
  const overlay = useReview((s) => s.overlay);
  const loadError = useReview((s) => s.loadError);
  const status = useIncidents((s) => s.current?.status);
  const [completeError, setCompleteError] = useState<string | null>(null);

  // Reopened after a reload: the kept review fetches what it shows.
  useEffect(() => {
    if (useReview.getState().review === null) void refreshReview();
  }, [incidentId]);

  useEffect(
    () =>
      api.onChange((notice) => {
        if (notice.incidentIds.includes(incidentId)) void refreshReview();
      }),
    [incidentId],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target) || modalOpen() || useReview.getState().overlay) return;
      const tabIndex = ['1', '2', '3'].indexOf(event.key);
      let handled = true;
      if (tabIndex >= 0) useReview.setState({ tab: REVIEW_TABS[tabIndex]! });
      else if (event.key === 'a') useReview.setState((s) => ({ showHidden: !s.showHidden }));
      // Capitals: p and l alone already pause the clocks and belong to the live view.
      else if (event.key === 'P') useReview.setState({ overlay: 'presenter' });
      else if (event.key === 'L') useReview.setState({ overlay: 'replay' });
      else if (event.key === 'g') {
        // Back to the timeline row last worked on.
        const { focusedId, rows } = useReview.getState();
        const id = focusedId ?? rows[0]?.event.id;
        const row = id ? document.getElementById(rowDomId(id)) : null;
        (row ?? document.querySelector<HTMLElement>('.review-row'))?.focus();
      } else handled = false;
      if (handled) event.preventDefault();
    };
    // In the capture phase: in review mode these keys are the review's, ahead of the console's
    // own single keys (a is also the alert inbox), which skip a key already handled.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  const complete = async () => {
    setCompleteError(null);
    try {
      await command('review.complete', { incidentId });
    } catch (e) {
      setCompleteError(t('review.completeFailed', { message: message(e) }));
    }
  };

  return (
    <main className="review-mode" aria-labelledby="review-title">
      <div className="review-bar">
        <h2 id="review-title">{t('review.title')}</h2>
        <span className="hint">{t('review.liveUntouched')}</span>
        <span className="review-bar-actions">
          <button type="button" onClick={() => useReview.setState({ overlay: 'presenter' })} title={t('review.keys.presenter')}>
            {t('review.presenterButton')}
          </button>
          <button type="button" onClick={() => useReview.setState({ overlay: 'replay' })} title={t('review.keys.replay')}>
            {t('review.replayButton')}
          </button>
          {status === 'reviewed' ? (
            <span className="review-done" data-testid="review-done">
              {t('review.completed')}
            </span>
          ) : (
            <button type="button" className="primary" onClick={() => void complete()}>
              {t('review.complete')}
            </button>
          )}
          <button type="button" onClick={closeReview} title={t('review.keys.toggle')}>
            {t('review.back')}
          </button>
        </span>
      </div>
      <ErrorNote text={completeError} />
      <ErrorNote text={loadError ? t('review.loadFailed', { message: loadError }) : null} />
      <div className="review-body">
        <ReviewTimeline incidentId={incidentId} />
        <section className="pane review-side" aria-label={t('review.tabs.label')}>
          <div className="review-tabs" role="tablist" aria-label={t('review.tabs.label')} onKeyDown={onTabsKey}>
            {REVIEW_TABS.map((name) => (
              <TabButton key={name} name={name} selected={tab === name} />
            ))}
          </div>
          <div className="pane-scroll review-tab-panel" role="tabpanel" id={`review-panel-${tab}`} aria-labelledby={`review-tab-${tab}`}>
            {tab === 'metrics' && <ReviewMetrics />}
            {tab === 'rootCause' && <ReviewRootCause incidentId={incidentId} />}
            {tab === 'actions' && <ReviewLessons incidentId={incidentId} />}
          </div>
        </section>
      </div>
      {overlay === 'presenter' && <PresenterView />}
      {overlay === 'replay' && <ReplayView />}
    </main>
  );
}

/** ← → Home End on the tabs: choose the next tab and give it the focus, as the WAI-ARIA tabs pattern does. */
function onTabsKey(event: ReactKeyboardEvent<HTMLDivElement>) {
  const current = REVIEW_TABS.indexOf(useReview.getState().tab);
  const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: REVIEW_TABS.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const tab = REVIEW_TABS[(next + REVIEW_TABS.length) % REVIEW_TABS.length]!;
  useReview.setState({ tab });
  requestAnimationFrame(() => document.getElementById(`review-tab-${tab}`)?.focus());
}

function TabButton({ name, selected }: { name: ReviewTab; selected: boolean }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      role="tab"
      id={`review-tab-${name}`}
      aria-selected={selected}
      aria-controls={`review-panel-${name}`}
      // One tab stop for the tabs (the chosen one); ← → move between them.
      tabIndex={selected ? 0 : -1}
      className={selected ? 'review-tab selected' : 'review-tab'}
      onClick={() => useReview.setState({ tab: name })}
    >
      {t(`review.tabs.${name}`)}
    </button>
  );
}
