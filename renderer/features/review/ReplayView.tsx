import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { format } from 'date-fns';
import { useDateLocale, useFormatDuration } from '../../ui/hooks.js';
import { rowText } from './review-text.js';
import { useIncidents } from '../incidents/store.js';
import { useReview } from './store.js';
import { visibleRows } from './ReviewTimeline.js';

const REPLAY_SPEEDS = [1, 10, 60] as const;
type Speed = (typeof REPLAY_SPEEDS)[number];
/** How often the replay clock moves the screen on; the incident clock itself is exact. */
const TICK_MS = 250;
/** The last entries kept on screen; older ones have scrolled past in any case. */
const SHOWN_MAX = 200;

/**
 * Plays the curated timeline back in the order things happened, on the incident's own clock
 * at 1×, 10× or 60×, with pause and step. The meeting sees the incident unfold as the bridge did.
 */
export function ReplayView() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const formatDuration = useFormatDuration();
  const allRows = useReview((s) => s.rows);
  const review = useReview((s) => s.review);
  const view = useIncidents((s) => s.current);
  const rows = useMemo(() => visibleRows(allRows, review, false), [allRows, review]);
  const times = useMemo(() => rows.map((r) => r.occurredAt), [rows]);
  const start = times[0] ?? 0;
  const span = Math.max(0, (times[times.length - 1] ?? start) - start);

  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>(1);
  // The running interval reads the speed chosen since it started, without restarting.
  const speedRef = useRef<Speed>(speed);
  useEffect(() => {
    speedRef.current = speed;
  }, [speed]);
  const boxRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!playing) return;
    let last = Date.now();
    const id = setInterval(() => {
      const now = Date.now();
      const step = (now - last) * speedRef.current;
      last = now;
      setPosition((p) => Math.min(span, p + step));
    }, TICK_MS);
    return () => clearInterval(id);
  }, [playing, span]);

  useEffect(() => {
    if (playing && position >= span) setPlaying(false);
  }, [playing, position, span]);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    boxRef.current?.focus();
    return () => previous?.focus();
  }, []);

  const at = start + position;
  const shownCount = times.filter((time) => time <= at).length;

  useEffect(() => {
    const jumpTo = (index: number) => {
      const time = times[Math.max(0, Math.min(times.length - 1, index))];
      if (time !== undefined) setPosition(time - start);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const speedIndex = ['1', '2', '3'].indexOf(event.key);
      let handled = true;
      if (event.key === 'Escape') useReview.setState({ overlay: null });
      else if (event.key === ' ') setPlaying((p) => !p);
      else if (speedIndex >= 0) setSpeed(REPLAY_SPEEDS[speedIndex]!);
      // Step to the next entry not yet shown, or back to the one before the newest shown.
      else if (event.key === 'ArrowRight') jumpTo(shownCount);
      else if (event.key === 'ArrowLeft') jumpTo(shownCount - 2);
      else if (event.key === 'Home') {
        setPosition(0);
        setPlaying(false);
      } else if (event.key === 'End') setPosition(span);
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [times, start, span, shownCount]);

  // Follow the newest entry, as the live timeline does.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [shownCount]);

  const shown = rows.slice(Math.max(0, shownCount - SHOWN_MAX), shownCount);
  return (
    <div className="replay" role="dialog" aria-modal="true" aria-labelledby="replay-title" tabIndex={-1} ref={boxRef}>
      <header className="presenter-bar">
        <span className="presenter-incident" id="replay-title">
          {t('review.replay.title')} · {view?.title}
        </span>
        <button type="button" onClick={() => useReview.setState({ overlay: null })}>
          {t('review.replay.close')}
        </button>
      </header>
      <div className="replay-controls">
        <div className="replay-clock">
          <span className="label">{t('review.replay.clock')}</span>
          <span className="replay-time" data-testid="replay-time">
            {rows.length ? format(at, 'HH:mm:ss', { locale }) : '—'}
          </span>
          <span className="muted" data-testid="replay-elapsed">
            {t('review.replay.elapsed', { time: formatDuration(position) })}
          </span>
        </div>
        <button type="button" className="primary" aria-pressed={playing} onClick={() => setPlaying((p) => !p)}>
          {playing ? t('review.replay.pause') : t('review.replay.play')}
        </button>
        <div className="replay-speeds" role="group" aria-label={t('review.replay.speed')}>
          {REPLAY_SPEEDS.map((s) => (
            // Named in words as well: "10×" alone has no word for a screen reader to say.
            <button
              key={s}
              type="button"
              aria-pressed={speed === s}
              aria-label={t('review.replay.speedName', { speed: String(s) })}
              onClick={() => setSpeed(s)}
            >
              {t('review.replay.speedValue', { speed: String(s) })}
            </button>
          ))}
        </div>
        <button
          type="button"
          onClick={() => {
            setPosition(0);
            setPlaying(false);
          }}
        >
          {t('review.replay.restart')}
        </button>
        <span className="muted" data-testid="replay-progress">
          {t('review.replay.progress', { shown: String(shownCount), total: String(rows.length) })}
        </span>
      </div>
      <div className="replay-bar" aria-hidden="true">
        <span style={{ width: `${span ? (position / span) * 100 : 100}%` }} />
      </div>
      <ol className="replay-list" ref={listRef} aria-live="polite">
        {shown.map((row, i) => {
          const { badge, text } = rowText(row, view, t);
          return (
            <li key={row.event.id} className={i === shown.length - 1 ? 'replay-entry newest' : 'replay-entry'} data-entry-id={row.event.id}>
              <time className="entry-time">{format(row.occurredAt, 'HH:mm:ss', { locale })}</time>
              <span className={`kind-badge kind-${badge}`}>{t(`kind.${badge}`)}</span>
              <span className="replay-text">{text}</span>
            </li>
          );
        })}
      </ol>
      <p className="hint">{t('review.replay.keys')}</p>
    </div>
  );
}
