import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import { isTypedEntry } from '../../../shared/timeline/timeline.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { ensureRange, jumpToNow, focusLeftList, keyboardMovedSince, movedInList, revealEntry, revealed, rowAt, setFollow, useTimeline } from './store.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { useSettledChoices } from '../../ui/settled-choices.js';
import { QuickEntry } from './QuickEntry.js';
import { TimelineEntry, type EntryMode } from './TimelineEntry.js';
import { TimelineFilters } from './TimelineFilters.js';
import { TimelineHistory } from './TimelineHistory.js';
import { dropEntryDraftsExcept } from './entry-drafts.js';
import './Timeline.css';

/** How close to the bottom (px) still counts as "following the newest entries". */
const FOLLOW_SLACK = 48;
const PAGE = 10;
const ESTIMATED_ROW = 56;

export function Timeline({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { ready, offset, rows, total, all, follow, loaded, error, reveal, version, pending } = useTimeline(
    useShallow((s) => ({
      ready: s.incidentId === incidentId,
      offset: s.offset,
      rows: s.rows,
      total: s.total,
      all: s.all,
      follow: s.follow,
      loaded: s.loaded,
      error: s.error,
      reveal: s.reveal,
      version: s.version,
      pending: s.pending,
    })),
  );
  const view = useIncidents((s) => s.current);
  const locale = useDateLocale();
  // Times switch from "HH:mm:ss" to a dated form at midnight; a minute's precision is enough for that.
  const now = useNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The entry the row keys act on: followed by id, since a correction or a new entry can move it. */
  const [active, setActive] = useState<{ index: number; id: string | null } | null>(null);
  const [mode, setMode] = useState<{ id: string; mode: EntryMode } | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /**
   * Set when the keys moved in the list: the active row takes the focus once it is rendered,
   * once. Dropped when the focus goes out of the list first, so a late render never takes it back.
   */
  const focusPending = useRef(false);
  const count = ready ? total : 0;
  const held = useMemo(() => ({ offset, rows }), [offset, rows]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 8,
    // Open at the newest entries: starting at the top would ask for a window nobody looks at.
    initialOffset: () => (follow ? count * ESTIMATED_ROW : 0),
    // Keyed by position (the default): a key per entry would make the virtualizer look up all
    // 100,000 rows whenever a window arrives. Measured heights stay with their place, which
    // new entries at the end do not disturb.
  });

  // Rows are measured after they render and change height with the language or the pane's
  // width, so stay pinned to the newest entry whenever the total height moves, not only on new entries.
  // While a form is open in the list, what is being typed stays in view instead: a correction form
  // on the newest entry is taller than a short list (French large type, the call-out banner open),
  // and pinning its end hid the text box the user was typing in.
  const totalSize = virtualizer.getTotalSize();
  const modeId = mode?.id ?? null;
  useLayoutEffect(() => {
    if (!follow || count === 0 || reveal) return;
    if (modeId === null) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    else if (scrollRef.current) keepFormInView(scrollRef.current, modeId);
  }, [follow, count, totalSize, virtualizer, reveal, modeId]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (count > 0) ensureRange(first, last);
  }, [first, last, count, offset, rows.length]);

  // An entry asked to be shown (moved by a correction, or jump to now): scroll to it, make it active.
  useEffect(() => {
    // Only a window read after the request counts: the rows held before it show where the entry was.
    const at = reveal && version > reveal.after ? rows.findIndex((r) => r.event.id === reveal.id) : -1;
    if (!reveal || at < 0) return;
    // Asked before the keyboard moved (a late answer): it stays where the user took it.
    if (keyboardMovedSince(reveal.moves)) return revealed();
    const index = offset + at;
    virtualizer.scrollToIndex(index, { align: index === count - 1 ? 'end' : 'center' });
    setActive({ index, id: reveal.id });
    focusPending.current = true;
    revealed();
  }, [reveal, version, rows, offset, count, virtualizer]);

  // The active entry moved (its time was corrected, entries arrived before it): follow it. Rows are
  // drawn by position, so the element that had the focus now shows another entry: the focus (its
  // ring, and what the row keys act on) goes with the entry, only if it was on that row.
  useEffect(() => {
    if (!active?.id) return;
    const at = rows.findIndex((r) => r.event.id === active.id);
    if (at < 0 || offset + at === active.index) return;
    const was = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active.index}"]`);
    if (was && was.contains(document.activeElement)) focusPending.current = true;
    setActive({ index: offset + at, id: active.id });
  }, [rows, offset, active]);

  useLayoutEffect(() => {
    if (!focusPending.current || active === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active.index}"]`);
    if (!el) return;
    if (!el.contains(document.activeElement)) el.focus({ preventScroll: true });
    // Done, also when the row had the focus already: a later render (a change notice redrawing the
    // list) must not bring it back after "/" or the bar took it.
    focusPending.current = false;
  });

  // The focus went out of the list (the filter, the bar, a dialog): what the keys asked for in it is moot.
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && scrollRef.current && !scrollRef.current.contains(event.target)) {
        focusPending.current = false;
        focusLeftList();
      }
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);

  // What was typed in a form is kept by entry (rows are drawn by position) until that form closes.
  useEffect(() => dropEntryDraftsExcept(modeId), [modeId]);

  useEffect(() => {
    setActive(null);
    setMode(null);
    setHistoryOf(null);
    setNotice(null);
  }, [incidentId]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK);
  };

  const moveTo = useCallback(
    (index: number) => {
      if (count === 0) return;
      const next = Math.max(0, Math.min(count - 1, index));
      movedInList();
      setActive({ index: next, id: rowAt(held, next)?.event.id ?? null });
      setNotice(null);
      focusPending.current = true;
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [count, virtualizer, held],
  );

  const activeRow = active === null ? undefined : rowAt(held, active.index);

  // * held down or pressed twice quickly is one change (or none), recorded once the key rests.
  const stars = useSettledChoices<boolean>(
    (id) => rows.find((r) => r.event.id === id)?.starred,
    (id, starred) =>
      command('timeline.star', { incidentId, targetId: id, starred }).catch((e: unknown) => {
        setNotice(t('timelineView.actionFailed', { message: message(e) }));
        throw e;
      }),
  );
  const star = () => {
    if (activeRow) stars.choose(activeRow.event.id, !stars.value(activeRow.event.id, activeRow.starred));
  };

  const onListKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const current = active?.index ?? last;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(active === null ? current : current - 1),
      PageDown: () => moveTo(current + PAGE),
      PageUp: () => moveTo(current - PAGE),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
    };
    const rowKeys: Record<string, () => void> = {
      Enter: () => activeRow && setHistoryOf(activeRow.event.id),
      e: () => {
        if (!activeRow) return;
        if (!isTypedEntry(activeRow.event)) setNotice(t('timelineView.onlyTyped'));
        else if (activeRow.redaction) setNotice(t('timelineView.redactedNoEdit'));
        else setMode({ id: activeRow.event.id, mode: 'edit' });
      },
      x: () => {
        if (!activeRow) return;
        if (!isTypedEntry(activeRow.event)) setNotice(t('timelineView.onlyTyped'));
        else if (activeRow.redaction) setNotice(t('timelineView.alreadyRedacted', { actor: activeRow.redaction.by }));
        else setMode({ id: activeRow.event.id, mode: 'redact' });
      },
      '*': star,
    };
    // Enter on a control inside an entry ("Show more") is that control's: it must not open the history instead.
    const onControl = event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a, input, textarea, select') !== null;
    const run = keys[event.key] ?? (mode || onControl ? undefined : rowKeys[event.key]);
    if (!run) return;
    // A held key's repeats are not more choices: browsing keys may repeat, a row key acts once.
    if (event.repeat && !keys[event.key]) {
      event.preventDefault();
      return;
    }
    // The row keys shadow the console's single-key shortcuts while an entry has the focus.
    event.preventDefault();
    run();
  };

  // Stable, so the rows (memoised) do not render again for a new callback each time.
  const closeForm = useCallback((id: string, saved: boolean) => {
    setMode(null);
    focusPending.current = true;
    // A corrected time may have moved the entry far away: follow it there.
    if (saved) void revealEntry(id);
  }, []);
  const openHistory = useCallback((id: string) => setHistoryOf(id), []);

  const filtered = all !== total;
  return (
    <section className="pane timeline-pane" aria-labelledby="timeline-heading">
      <div className="pane-head">
        <h2 id="timeline-heading">{t('timeline.title')}</h2>
        <span className="muted" data-testid="timeline-count">
          {filtered ? t('timelineView.filtered', { count: all, shown: total.toLocaleString(locale.code) }) : t('timeline.count', { count: all })}
        </span>
        <button type="button" className="jump-now" onClick={() => void jumpToNow(true)} title={t('timelineView.jumpToNowTitle')}>
          {t('timelineView.jumpToNow')}
        </button>
      </div>
      <TimelineFilters />
      <ErrorNote text={error ? t('timeline.loadFailed', { message: error }) : null} />
      <ErrorNote text={notice} />
      <div
        className="pane-scroll timeline-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        onKeyDown={onListKeyDown}
        onFocus={(e) => {
          // Tabbing into the list lands on the newest visible entry; a click or the focus moving to a row makes it the active one.
          if (e.target === e.currentTarget) {
            if (count > 0) moveTo(active?.index ?? last);
            return;
          }
          const index = (e.target as HTMLElement).dataset['index'];
          if (index !== undefined && Number(index) !== active?.index)
            setActive({ index: Number(index), id: (e.target as HTMLElement).dataset['entryId'] ?? null });
        }}
        role="feed"
        aria-busy={!loaded || pending}
        aria-labelledby="timeline-heading"
        aria-describedby="timeline-keys"
        tabIndex={0}
      >
        {count === 0 ? (
          <p className="empty">{loaded ? (filtered ? t('timelineView.noMatch') : t('timeline.empty')) : t('app.loading')}</p>
        ) : (
          <div className="timeline-list" style={{ height: totalSize }}>
            {items.map((item) => {
              const row = rowAt(held, item.index);
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className={item.index === active?.index ? 'timeline-row active' : 'timeline-row'}
                  style={{ transform: `translateY(${item.start}px)` }}
                  tabIndex={-1}
                  aria-posinset={item.index + 1}
                  aria-setsize={count}
                  role="article"
                  data-entry-id={row?.event.id}
                >
                  {row ? (
                    <TimelineEntry
                      row={stars.value(row.event.id, row.starred) === row.starred ? row : { ...row, starred: !row.starred }}
                      view={view}
                      now={now}
                      locale={locale}
                      mode={mode?.id === row.event.id ? mode.mode : 'view'}
                      onHistory={openHistory}
                      onClose={closeForm}
                    />
                  ) : (
                    <div className="entry entry-loading" aria-busy="true">
                      {t('app.loading')}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <p className="hint timeline-keys" id="timeline-keys">
        {t('timelineView.rowKeys')}
      </p>
      <QuickEntry incidentId={incidentId} onDone={() => setFollow(true)} />
      {historyOf && (
        <TimelineHistory
          incidentId={incidentId}
          targetId={historyOf}
          onClose={() => {
            setHistoryOf(null);
            focusPending.current = true;
          }}
        />
      )}
    </section>
  );
}

/**
 * Scrolls `list` the least that shows what has the focus in the form of entry `entryId` (the form's
 * row when the focus is elsewhere), its top first when it is taller than the list.
 */
function keepFormInView(list: HTMLElement, entryId: string): void {
  const focused = document.activeElement;
  const target =
    focused instanceof HTMLElement && focused !== list && list.contains(focused)
      ? focused
      : list.querySelector<HTMLElement>(`[data-entry-id="${CSS.escape(entryId)}"]`);
  if (!target) return;
  const box = list.getBoundingClientRect();
  const rect = target.getBoundingClientRect();
  if (rect.top < box.top) list.scrollTop -= box.top - rect.top;
  else if (rect.bottom > box.bottom) list.scrollTop += Math.min(rect.bottom - box.bottom, rect.top - box.top);
}
