import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { HYPOTHESIS_STATES, REVIEW_MOMENTS, type EventEnvelope } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { HypothesisState, ReviewMoment, ReviewView } from '../../../shared/review/review.js';
import { entryTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { rowText, type ReviewRow } from './review-text.js';
import { reviewCommand, togglePicked, useReview } from './store.js';
import { message } from '../incidents/view-sync.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ChoiceSelect } from '../../ui/ChoiceSelect.js';
import { useSettledChoices } from '../../ui/settled-choices.js';

/** The next story moment when `m` is pressed: none → detection → diagnosis → repair → key → none. */
function nextMoment(current: ReviewMoment | null): ReviewMoment | null {
  const i = current === null ? -1 : REVIEW_MOMENTS.indexOf(current);
  return i + 1 < REVIEW_MOMENTS.length ? REVIEW_MOMENTS[i + 1]! : null;
}

const BROWSE_KEYS = new Set(['j', 'k', 'ArrowDown', 'ArrowUp', 'Home', 'End']);
const VERDICT_KEYS: Record<string, HypothesisState> = { y: 'confirmed', x: 'ruled_out', o: 'open' };

export const rowDomId = (id: string) => `review-entry-${id}`;

export function isHypothesis(event: EventEnvelope): boolean {
  return event.kind === 'timeline.entry' && event.payload['entryKind'] === 'hypothesis';
}

interface Lookup {
  hidden: Set<string>;
  moments: Map<string, ReviewMoment>;
  verdicts: Map<string, HypothesisState>;
  comments: Map<string, ReviewView['comments']>;
}

function lookup(review: ReviewView | null): Lookup {
  const comments = new Map<string, ReviewView['comments']>();
  for (const c of review?.comments ?? []) comments.set(c.targetId, [...(comments.get(c.targetId) ?? []), c]);
  return {
    hidden: new Set(review?.hidden ?? []),
    moments: new Map((review?.moments ?? []).map((m) => [m.targetId, m.moment])),
    verdicts: new Map((review?.hypotheses ?? []).map((h) => [h.targetId, h.state])),
    comments,
  };
}

/** What the record says, with the choices being made by keys shown over it. */
function withChoices(recorded: Lookup, hides: ReadonlyMap<string, boolean>, moments: ReadonlyMap<string, ReviewMoment | null>): Lookup {
  if (hides.size === 0 && moments.size === 0) return recorded;
  const hidden = new Set(recorded.hidden);
  for (const [id, hide] of hides) {
    if (hide) hidden.add(id);
    else hidden.delete(id);
  }
  const shownMoments = new Map(recorded.moments);
  for (const [id, moment] of moments) {
    if (moment) shownMoments.set(id, moment);
    else shownMoments.delete(id);
  }
  return { ...recorded, hidden, moments: shownMoments };
}

/** Rows the curated timeline shows: hidden ones only on request, or when a metric points at them. */
export function visibleRows(rows: readonly ReviewRow[], review: ReviewView | null, showHidden: boolean, extra: readonly string[] = []): ReviewRow[] {
  if (showHidden || !review?.hidden.length) return [...rows];
  const hidden = new Set(review.hidden);
  const keep = new Set(extra);
  return rows.filter((r) => !hidden.has(r.event.id) || keep.has(r.event.id));
}

export function ReviewTimeline({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const allRows = useReview((s) => s.rows);
  const review = useReview((s) => s.review);
  const showHidden = useReview((s) => s.showHidden);
  const highlight = useReview((s) => s.highlight);
  const focusedId = useReview((s) => s.focusedId);
  const picked = useReview((s) => s.picked);
  const view = useIncidents((s) => s.current);
  const locale = useDateLocale();
  const now = useNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  const recorded = useMemo(() => lookup(review), [review]);
  const run = async (call: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await call();
      return true;
    } catch (e) {
      setError(t('review.actionFailed', { message: message(e) }));
      return false;
    }
  };
  const failed = (e: unknown): never => {
    setError(t('review.actionFailed', { message: message(e) }));
    throw e;
  };
  // h and m are shown at once and recorded once the keys rest: m m m to reach "repair" is one
  // change, h h is none (issue #10).
  const hides = useSettledChoices<boolean>(
    (id) => recorded.hidden.has(id),
    (id, hidden) => reviewCommand('review.hide', { incidentId, targetId: id, hidden }).catch(failed),
  );
  const moments = useSettledChoices<ReviewMoment | null>(
    (id) => recorded.moments.get(id) ?? null,
    (id, moment) => reviewCommand('review.setMoment', { incidentId, targetId: id, moment }).catch(failed),
  );
  const info = useMemo(() => withChoices(recorded, hides.shown, moments.shown), [recorded, hides.shown, moments.shown]);
  const shownReview = useMemo(() => (review ? { ...review, hidden: [...info.hidden] } : review), [review, info.hidden]);
  const rows = useMemo(() => visibleRows(allRows, shownReview, showHidden, highlight.ids), [allRows, shownReview, showHidden, highlight.ids]);
  const highlighted = useMemo(() => new Set(highlight.ids), [highlight.ids]);
  const pickedSet = useMemo(() => new Set(picked), [picked]);
  const focusIndex = Math.max(
    0,
    rows.findIndex((r) => r.event.id === focusedId),
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 6,
    getItemKey: (index) => rows[index]!.event.id,
  });

  // A metric (or a citation) asked to see its entries: bring the first one into view.
  useEffect(() => {
    if (highlight.serial === 0) return;
    const index = rows.findIndex((r) => highlighted.has(r.event.id));
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Only a new request scrolls (not rows changing underneath), so the effect keys on its serial alone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight.serial]);

  const moveTo = (index: number) => {
    const target = rows[Math.min(rows.length - 1, Math.max(0, index))];
    if (!target) return;
    const id = target.event.id;
    useReview.setState({ focusedId: id });
    virtualizer.scrollToIndex(rows.indexOf(target));
    // Focus at once when the row is rendered, so a key pressed right after lands on it;
    // a row far off screen is rendered only after the scroll.
    const row = document.getElementById(rowDomId(id));
    if (row) row.focus({ preventScroll: true });
    else requestAnimationFrame(() => requestAnimationFrame(() => document.getElementById(rowDomId(id))?.focus()));
  };

  // Opened by Shift+R (or the palette) from a pane the review replaces, the focus would fall to the
  // page, where the next letter typed fires a shortcut: it goes to the curated timeline instead, the
  // row last worked on, as g does. Opened from the header's button, the focus stays on the button.
  const landed = useRef(false);
  useEffect(() => {
    if (landed.current || rows.length === 0) return;
    landed.current = true;
    if (document.activeElement === null || document.activeElement === document.body) moveTo(focusIndex);
    // Once, when the first rows arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows.length]);

  const actions: RowActions = {
    hide: (event, hidden) => {
      setError(null);
      hides.choose(event.id, hidden);
    },
    setMoment: (event, moment) => {
      setError(null);
      moments.choose(event.id, moment);
    },
    setVerdict: (event, state) => run(() => reviewCommand('review.setHypothesisState', { incidentId, targetId: event.id, state })),
    comment: (event, text) => run(() => reviewCommand('review.comment', { incidentId, targetId: event.id, text })),
    move: (from, delta) => moveTo(rows.findIndex((r) => r.event.id === from.id) + delta),
    moveToEdge: (end) => moveTo(end ? rows.length - 1 : 0),
  };

  return (
    <section className="pane review-timeline" aria-labelledby="review-timeline-heading">
      <div className="pane-head">
        <h2 id="review-timeline-heading">{t('review.timeline.title')}</h2>
        <span className="muted" data-testid="review-count">
          {t('review.timeline.count', { shown: String(allRows.length - info.hidden.size), hidden: String(info.hidden.size) })}
        </span>
        <label className="review-toggle">
          <input type="checkbox" checked={showHidden} onChange={(e) => useReview.setState({ showHidden: e.target.checked })} />
          {t('review.timeline.showHidden')}
        </label>
      </div>
      <p className="hint">{t('review.timeline.keysHint')}</p>
      <ErrorNote text={error} />
      <div className="pane-scroll review-scroll" ref={scrollRef}>
        {rows.length === 0 ? (
          <p className="empty">{t('review.timeline.empty')}</p>
        ) : (
          <ol className="timeline-list" style={{ height: virtualizer.getTotalSize() }} aria-labelledby="review-timeline-heading">
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <li
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="timeline-row"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <ReviewRow
                    row={row}
                    view={view}
                    info={info}
                    focusable={item.index === focusIndex}
                    highlighted={highlighted.has(row.event.id)}
                    picked={pickedSet.has(row.event.id)}
                    when={entryTime(row.occurredAt, now, locale)}
                    actions={actions}
                  />
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </section>
  );
}

interface RowActions {
  hide(event: EventEnvelope, hidden: boolean): void;
  setMoment(event: EventEnvelope, moment: ReviewMoment | null): void;
  setVerdict(event: EventEnvelope, state: HypothesisState): Promise<boolean>;
  comment(event: EventEnvelope, text: string): Promise<boolean>;
  move(from: EventEnvelope, delta: number): void;
  moveToEdge(end: boolean): void;
}

function ReviewRow(props: {
  row: ReviewRow;
  view: IncidentView | null;
  info: Lookup;
  focusable: boolean;
  highlighted: boolean;
  picked: boolean;
  when: string;
  actions: RowActions;
}) {
  const { row, view, info, focusable, highlighted, picked, when, actions } = props;
  const event = row.event;
  const { t } = useTranslation();
  const [commenting, setCommenting] = useState(false);
  const [draft, setDraft] = useState('');
  const { badge, text, details, typed } = rowText(row, view, t);
  const hidden = info.hidden.has(event.id);
  const moment = info.moments.get(event.id) ?? null;
  const hypothesis = isHypothesis(event);
  const verdict = info.verdicts.get(event.id) ?? 'open';
  const comments = info.comments.get(event.id) ?? [];
  const rowRef = useRef<HTMLDivElement>(null);
  // Verdict keys pressed faster than the core answers build on what was asked, not on what is shown yet
  // (hide and moment are shown at once by ReviewTimeline's settled choices).
  const pending = useRef<{ verdict?: HypothesisState }>({});
  useEffect(() => {
    if (pending.current.verdict === verdict) delete pending.current.verdict;
  }, [verdict]);
  const ask = <K extends keyof typeof pending.current>(key: K, value: (typeof pending.current)[K], send: () => Promise<boolean>) => {
    pending.current[key] = value;
    void send().then((ok) => {
      if (!ok) pending.current = {};
    });
  };
  const wanted = () => ({ hidden, moment, verdict: pending.current.verdict ?? verdict });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    // A held key's repeats are not more choices: only moving through the rows repeats.
    if (e.repeat && !BROWSE_KEYS.has(e.key)) {
      e.preventDefault();
      return;
    }
    const want = wanted();
    const handled = (() => {
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          actions.move(event, 1);
          return true;
        case 'k':
        case 'ArrowUp':
          actions.move(event, -1);
          return true;
        case 'Home':
        case 'End':
          actions.moveToEdge(e.key === 'End');
          return true;
        case 'h': {
          const hide = !want.hidden;
          // A row hidden while hidden rows are not shown leaves the list: the focus goes on to the
          // next row (the previous one at the end) instead of falling to the page, where the next
          // letters typed would fire the console's shortcuts.
          if (hide && !useReview.getState().showHidden) {
            const row = e.currentTarget;
            actions.move(event, 1);
            if (document.activeElement === row) actions.move(event, -1);
          }
          actions.hide(event, hide);
          return true;
        }
        case 'm': {
          const next = nextMoment(want.moment);
          actions.setMoment(event, next);
          return true;
        }
        case 'c':
          setCommenting(true);
          return true;
        case ' ':
          togglePicked(event.id);
          return true;
      }
      const state = VERDICT_KEYS[e.key];
      if (hypothesis && state) {
        if (state !== want.verdict) ask('verdict', state, () => actions.setVerdict(event, state));
        return true;
      }
      return false;
    })();
    if (handled) e.preventDefault();
  };

  const saveComment = async () => {
    const text = draft.trim();
    if (!text || !(await actions.comment(event, text))) return;
    setDraft('');
    setCommenting(false);
    rowRef.current?.focus();
  };

  const classes = ['review-row', `entry-${badge}`, hidden && 'is-hidden', highlighted && 'is-highlighted', picked && 'is-picked', moment && 'has-moment']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      ref={rowRef}
      id={rowDomId(event.id)}
      className={classes}
      tabIndex={focusable ? 0 : -1}
      data-entry-id={event.id}
      data-kind={event.kind}
      aria-label={`${when} ${text}`}
      onFocus={(e) => {
        if (e.target === e.currentTarget) useReview.setState({ focusedId: event.id });
      }}
      onKeyDown={onKeyDown}
    >
      <div className="review-row-head">
        <time className="entry-time" dateTime={new Date(row.occurredAt).toISOString()}>
          {when}
        </time>
        <span className={`kind-badge kind-${badge}`}>{t(`kind.${badge}`)}</span>
        <span className="entry-actor">{event.actor}</span>
        {moment && <span className={`moment-chip moment-${moment}`}>{t(`review.moment.${moment}`)}</span>}
        {hypothesis && <span className={`verdict-chip verdict-${verdict}`}>{t(`review.hypothesis.${verdict}`)}</span>}
        {hidden && <span className="hidden-chip">{t('review.timeline.hidden')}</span>}
        {picked && <span className="picked-chip">{t('review.timeline.picked')}</span>}
        <span className="review-row-actions">
          <button type="button" tabIndex={-1} onClick={() => actions.hide(event, !hidden)}>
            {hidden ? t('review.timeline.show') : t('review.timeline.hide')}
          </button>
          <ChoiceSelect<ReviewMoment | ''>
            tabIndex={-1}
            aria-label={t('review.timeline.momentLabel')}
            value={moment ?? ''}
            options={[{ value: '', label: t('review.moment.none') }, ...REVIEW_MOMENTS.map((m) => ({ value: m, label: t(`review.moment.${m}`) }))]}
            onChoose={(next) => actions.setMoment(event, next || null)}
          />
          {hypothesis && (
            <ChoiceSelect
              tabIndex={-1}
              aria-label={t('review.timeline.hypothesisLabel')}
              value={verdict}
              options={HYPOTHESIS_STATES.map((s) => ({ value: s, label: t(`review.hypothesis.${s}`) }))}
              onChoose={(next) => void actions.setVerdict(event, next)}
            />
          )}
          <button type="button" tabIndex={-1} onClick={() => setCommenting(true)}>
            {t('review.timeline.comment')}
          </button>
          <button type="button" tabIndex={-1} aria-pressed={picked} onClick={() => togglePicked(event.id)}>
            {t('review.timeline.pick')}
          </button>
        </span>
      </div>
      <p className={typed ? 'entry-text typed' : 'entry-text'}>{text}</p>
      {details.map((line, i) => (
        <p key={i} className="entry-text entry-detail">
          {line}
        </p>
      ))}
      {comments.length > 0 && (
        <ul className="review-comments" aria-label={t('review.timeline.reviewComment')}>
          {comments.map((c) => (
            <li key={c.id} className="review-comment">
              <span className="review-comment-by">{c.by}</span> {c.text}
            </li>
          ))}
        </ul>
      )}
      {commenting && (
        <div className="review-comment-form">
          <label className="visually-hidden" htmlFor={`comment-${event.id}`}>
            {t('review.timeline.commentLabel')}
          </label>
          <textarea
            id={`comment-${event.id}`}
            autoFocus
            rows={2}
            value={draft}
            placeholder={t('review.timeline.commentPlaceholder')}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void saveComment();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setCommenting(false);
                rowRef.current?.focus();
              }
            }}
          />
          <button type="button" className="primary" onClick={() => void saveComment()}>
            {t('review.timeline.save')}
          </button>
          <button
            type="button"
            onClick={() => {
              setCommenting(false);
              rowRef.current?.focus();
            }}
          >
            {t('review.timeline.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}
