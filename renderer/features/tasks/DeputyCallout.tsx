import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { calloutMoments, calloutReport, isEmpty } from '../../../shared/tasks/callout.js';
import { REVIEWABLE_STATUSES } from '../../../shared/review/review.js';
import type { Status } from '../../../shared/record/events.js';
import { describeDuration } from '../clocks/duration-text.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { useTeamSettings } from '../clocks/store.js';
import { audienceLabel } from '../timeline/timeline-text.js';

const isReviewable = (status: Status) => (REVIEWABLE_STATUSES as readonly Status[]).includes(status);

/** What the call-out would say now: null until the incident and the team settings are loaded. */
function useCalloutReport(now: number) {
  const view = useIncidents((s) => s.current);
  const settings = useTeamSettings((s) => s.settings);
  return view && settings ? calloutReport(view, settings.audiences, settings.callout.stalledAfterMs, now) : null;
}

/**
 * The call-out's button in the header, as a chip: quiet when nothing is stalled or overdue,
 * amber with the count of things to chase otherwise. `d` opens and closes the panel.
 */
export function CalloutChip() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const report = useCalloutReport(now);
  const open = useTeamSettings((s) => s.calloutOpen);
  const setOpen = useTeamSettings((s) => s.setCalloutOpen);
  const count = report ? report.stalled.length + report.checkBacks.length + report.updates.length : 0;
  return (
    <button
      type="button"
      className={`callout-chip${count ? ' due' : ''}`}
      aria-pressed={open}
      aria-expanded={open}
      aria-controls="deputy-callout"
      title={t('callout.open')}
      data-testid="callout-chip"
      onClick={() => setOpen(!open)}
    >
      {count ? t('layout.calloutDue', { count }) : t('layout.calloutClear')} <kbd>d</kbd>
    </button>
  );
}

/**
 * The deputy call-out: at each moment of the team's rhythm (every 10 minutes after declaration
 * by default) a panel lists stalled tasks, check-backs that ran out and overdue updates. It
 * opens by itself only when there is something to say (the chip says "all clear" otherwise);
 * `d` opens it any time. It sits in the header, under the clocks: it pushes the panes down and
 * never covers a control, so it is kept to a strip (a line per item, the lists side by side)
 * that leaves the task board five cards and more on a laptop.
 */
export function DeputyCallout() {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(1000);
  const view = useIncidents((s) => s.current);
  const settings = useTeamSettings((s) => s.settings);
  const open = useTeamSettings((s) => s.calloutOpen);
  const setOpen = useTeamSettings((s) => s.setCalloutOpen);
  // The call-out is the bridge call's rhythm: once the incident is resolved the bridge is over, and
  // the review that follows must not be interrupted by it (d still opens it on request).
  const live = view !== null && !isReviewable(view.status);
  const everyMs = live ? (settings?.callout.everyMs ?? null) : null;
  const moments = view ? calloutMoments(view.declaredAt, everyMs, now) : { last: null, next: null };
  const report = useCalloutReport(now);
  const empty = !report || isEmpty(report);

  // A moment already past when the console opened was someone else's call-out; only new ones pop up.
  const seen = useRef<{ incidentId: string; last: number | null; live: boolean } | null>(null);
  useEffect(() => {
    if (!view) return;
    const previous = seen.current;
    seen.current = { incidentId: view.id, last: moments.last, live };
    if (!previous || previous.incidentId !== view.id) return;
    // Resolved while the call-out was open: it goes away with the bridge.
    if (previous.live && !live) setOpen(false);
    if (moments.last === null || moments.last === previous.last) return;
    if (!empty) setOpen(true);
  }, [view, moments.last, live, empty, setOpen]);

  if (!open || !view || !report) return null;
  const owner = (name: string) => name || t('callout.noOwner');
  return (
    <section id="deputy-callout" className="callout-panel" role="region" aria-labelledby="callout-heading" aria-live="polite" data-testid="deputy-callout">
      <div className="callout-head">
        <h2 id="callout-heading">{t('callout.title')}</h2>
        <span className="muted">
          {moments.last !== null ? t('callout.at', { time: shortTime(moments.last, now, locale) }) : ''}
          {moments.next !== null ? ` · ${t('callout.next', { time: shortTime(moments.next, now, locale) })}` : everyMs === null ? ` · ${t('callout.off')}` : ''}
        </span>
      </div>
      {empty ? (
        <p className="muted">{t('callout.allClear')}</p>
      ) : (
        <div className="callout-body">
          {report.checkBacks.length > 0 && (
            <CalloutList heading={t('callout.checkBackHeading')}>
              {report.checkBacks.map(({ task, overdueMs }) => (
                <CalloutItem
                  key={task.id}
                  overdue
                  text={t('callout.checkBack', { owner: owner(task.owner), title: task.title, time: describeDuration(overdueMs, t) })}
                />
              ))}
            </CalloutList>
          )}
          {report.stalled.length > 0 && (
            <CalloutList heading={t('callout.stalledHeading')}>
              {report.stalled.map(({ task, sinceMs }) => (
                <CalloutItem
                  key={task.id}
                  text={t('callout.stalled', {
                    owner: owner(task.owner),
                    title: task.title,
                    status: t(`taskStatus.${task.status}`),
                    time: describeDuration(sinceMs, t),
                  })}
                />
              ))}
            </CalloutList>
          )}
          {report.updates.length > 0 && (
            <CalloutList heading={t('callout.updatesHeading')}>
              {report.updates.map(({ audience, overdueMs }) => (
                <CalloutItem
                  key={audience}
                  overdue
                  text={t('callout.update', { audience: audienceLabel(audience, t), time: describeDuration(overdueMs, t) })}
                />
              ))}
            </CalloutList>
          )}
        </div>
      )}
      <button type="button" className="callout-dismiss" onClick={() => setOpen(false)}>
        {t('callout.dismiss')}
      </button>
    </section>
  );
}

function CalloutList({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <div className="callout-list">
      <h3>{heading}</h3>
      <ul>{children}</ul>
    </div>
  );
}

/** One line per item so the open call-out leaves the task board its room; the whole sentence shows on hover or focus within the panel, and is the item's tooltip. */
function CalloutItem({ text, overdue = false }: { text: string; overdue?: boolean }) {
  return (
    <li className={overdue ? 'overdue' : undefined} title={text}>
      {text}
    </li>
  );
}
