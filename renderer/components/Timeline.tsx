import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventEnvelope } from '../../shared/events.js';
import { occurredAtOf } from '../../shared/events.js';
import type { IncidentView } from '../../shared/fold.js';
import { entryTime, parseQuickEntry } from '../format.js';
import { useDateLocale, useNow } from '../hooks.js';
import { FOCUS_TARGETS } from '../shortcuts.js';
import { command } from '../stores/actions.js';
import { useIncidents } from '../stores/incidents.js';
import { message } from '../stores/sync.js';
import { useTimeline } from '../stores/timeline.js';
import { describeEntry } from '../timeline-text.js';
import { ErrorNote } from './ErrorNote.js';
import { SyncOrigin } from './SyncOrigin.js';

/** How close to the bottom (px) still counts as "following the newest entries". */
const FOLLOW_SLACK = 48;

export function Timeline({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const entries = useTimeline((s) => (s.incidentId === incidentId ? s.entries : null));
  const loadError = useTimeline((s) => s.error);
  const view = useIncidents((s) => s.current);
  const locale = useDateLocale();
  // Times switch from "HH:mm:ss" to a dated form at midnight; a minute's precision is enough for that.
  const now = useNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const list = entries ?? [];

  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 52,
    overscan: 8,
    getItemKey: (index) => list[index]!.id,
  });

  // Rows are measured after they render and change height with the language or the pane's
  // width, so stay pinned to the newest entry whenever the total height moves, not only on new entries.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (following.current && list.length > 0) virtualizer.scrollToIndex(list.length - 1, { align: 'end' });
  }, [list.length, totalSize, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
  };

  return (
    <section className="pane timeline-pane" aria-labelledby="timeline-heading">
      <div className="pane-head">
        <h2 id="timeline-heading">{t('timeline.title')}</h2>
        <span className="muted">{t('timeline.count', { count: list.length })}</span>
      </div>
      <ErrorNote text={loadError ? t('timeline.loadFailed', { message: loadError }) : null} />
      <div className="pane-scroll timeline-scroll" ref={scrollRef} onScroll={onScroll} role="log" aria-labelledby="timeline-heading" tabIndex={0}>
        {list.length === 0 ? (
          <p className="empty">{t('timeline.empty')}</p>
        ) : (
          <ol className="timeline-list" style={{ height: totalSize }}>
            {virtualizer.getVirtualItems().map((item) => (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="timeline-row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <Entry event={list[item.index]!} view={view} now={now} locale={locale} />
              </li>
            ))}
          </ol>
        )}
      </div>
      <QuickEntry
        incidentId={incidentId}
        onLogged={() => {
          following.current = true;
        }}
      />
    </section>
  );
}

function Entry({ event, view, now, locale }: { event: EventEnvelope; view: IncidentView | null; now: number; locale: ReturnType<typeof useDateLocale> }) {
  const { t } = useTranslation();
  const { badge, text, details, typed } = describeEntry(event, view, t);
  return (
    <article className={`entry entry-${badge}`} data-kind={event.kind}>
      <time className="entry-time" dateTime={new Date(occurredAtOf(event)).toISOString()}>
        {entryTime(occurredAtOf(event), now, locale)}
      </time>
      <span className={`kind-badge kind-${badge}`}>{t(`kind.${badge}`)}</span>
      <span className="entry-actor">
        {event.actor}
        <SyncOrigin deviceId={event.deviceId} />
      </span>
      <p className={typed ? 'entry-text typed' : 'entry-text'}>{text}</p>
      {details.map((line, i) => (
        <p key={i} className="entry-text entry-detail">
          {line}
        </p>
      ))}
    </article>
  );
}

/**
 * One line, Enter to log. The text is cleared only once the core has recorded it; on
 * failure it stays, with the reason, so nothing typed during a bridge call is lost.
 */
function QuickEntry({ incidentId, onLogged }: { incidentId: string; onLogged: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(value);
  latest.current = value;
  const { entryKind } = parseQuickEntry(value);

  useEffect(() => setError(null), [incidentId]);

  const submit = async () => {
    const submitted = value;
    const parsed = parseQuickEntry(submitted);
    if (busy || !parsed.text) return;
    setBusy(true);
    setError(null);
    try {
      await command('timeline.log', { incidentId, entryKind: parsed.entryKind, text: parsed.text });
      onLogged();
      // Whatever was typed while the call ran stays in the bar.
      const now = latest.current;
      setValue(now === submitted ? '' : now.startsWith(submitted) ? now.slice(submitted.length).trimStart() : now);
    } catch (e) {
      setError(t('timeline.logFailed', { message: message(e) }));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div className="quick-entry">
      <ErrorNote id="quick-entry-error" text={error} />
      <div className="quick-entry-row">
        <span className={`kind-badge kind-${entryKind}`} aria-hidden="true">
          {t(`kind.${entryKind}`)}
        </span>
        <label className="visually-hidden" htmlFor={FOCUS_TARGETS.quickEntry}>
          {t('timeline.quickEntryLabel')}
        </label>
        <input
          id={FOCUS_TARGETS.quickEntry}
          type="text"
          autoComplete="off"
          value={value}
          placeholder={t('timeline.quickEntryPlaceholder')}
          title={t('timeline.quickEntryHint')}
          aria-describedby={error ? 'quick-entry-error' : undefined}
          aria-busy={busy}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
    </div>
  );
}
