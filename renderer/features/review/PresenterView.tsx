import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { format } from 'date-fns';
import { useDateLocale } from '../../ui/hooks.js';
import { rowText } from './review-text.js';
import { useIncidents } from '../incidents/store.js';
import { useReview } from './store.js';

const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'j', 'n']);
const PREVIOUS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'k', 'p']);

/**
 * For the shared screen of the review meeting: one story moment at a time, in large type,
 * with the review's comments on it; the keyboard (or a presenter's clicker, which sends
 * PageDown/PageUp) moves through them.
 */
export function PresenterView() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const rows = useReview((s) => s.rows);
  const review = useReview((s) => s.review);
  const view = useIncidents((s) => s.current);
  const [index, setIndex] = useState(0);
  const boxRef = useRef<HTMLDivElement>(null);

  const moments = new Map((review?.moments ?? []).map((m) => [m.targetId, m.moment]));
  const slides = rows.filter((r) => moments.has(r.event.id));
  const current = slides[Math.min(index, slides.length - 1)];
  const last = slides.length - 1;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    boxRef.current?.focus();
    return () => previous?.focus();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      let handled = true;
      if (event.key === 'Escape') useReview.setState({ overlay: null });
      else if (NEXT.has(event.key)) setIndex((i) => Math.min(Math.max(0, last), i + 1));
      else if (PREVIOUS.has(event.key)) setIndex((i) => Math.max(0, i - 1));
      else if (event.key === 'Home') setIndex(0);
      else if (event.key === 'End') setIndex(Math.max(0, last));
      else handled = false;
      if (handled) {
        // Nothing behind the shared screen should react to the presenter's keys.
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [last]);

  const described = current ? rowText(current, view, t) : null;
  const comments = current ? (review?.comments ?? []).filter((c) => c.targetId === current.event.id) : [];
  const moment = current ? moments.get(current.event.id) : undefined;

  return (
    <div className="presenter" role="dialog" aria-modal="true" aria-labelledby="presenter-title" tabIndex={-1} ref={boxRef}>
      <header className="presenter-bar">
        <span className="presenter-incident" id="presenter-title">
          {t('review.presenter.title')} · {view?.title}
        </span>
        {slides.length > 0 && (
          <span className="presenter-position" data-testid="presenter-position">
            {t('review.presenter.position', { n: String(Math.min(index, last) + 1), total: String(slides.length) })}
          </span>
        )}
        <button type="button" onClick={() => useReview.setState({ overlay: null })}>
          {t('review.presenter.close')}
        </button>
      </header>
      {current && described && moment ? (
        <article className="presenter-slide" data-entry-id={current.event.id}>
          <p className={`presenter-moment moment-${moment}`}>{t(`review.moment.${moment}`)}</p>
          <p className="presenter-time">
            {format(current.occurredAt, 'PPp', { locale })} · {current.event.actor}
          </p>
          <p className="presenter-text">{described.text}</p>
          {described.details.map((line, i) => (
            <p key={i} className="presenter-detail">
              {line}
            </p>
          ))}
          {comments.length > 0 && (
            <ul className="presenter-comments">
              {comments.map((c) => (
                <li key={c.id}>
                  <span className="review-comment-by">{c.by}</span> {c.text}
                </li>
              ))}
            </ul>
          )}
        </article>
      ) : (
        <p className="presenter-empty">{t('review.presenter.none')}</p>
      )}
      <footer className="presenter-foot">
        <button type="button" disabled={index <= 0} onClick={() => setIndex((i) => Math.max(0, i - 1))}>
          ← {t('review.presenter.previous')}
        </button>
        <ol className="presenter-dots" aria-hidden="true">
          {slides.map((s, i) => (
            <li key={s.event.id} className={i === index ? 'current' : undefined} />
          ))}
        </ol>
        <button type="button" disabled={index >= last} onClick={() => setIndex((i) => Math.min(last, i + 1))}>
          {t('review.presenter.next')} →
        </button>
        <span className="hint">{t('review.presenter.keys')}</span>
      </footer>
    </div>
  );
}
