import { format } from 'date-fns';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { audienceClock, byUrgency } from '../../../shared/comms/cadence.js';
import { SLA_CLOCKS } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { offsetLabel, zoneCity, zonedTime } from '../../../shared/clocks/zones.js';
import { slaClocks, type SlaClock } from '../../../shared/clocks/sla.js';
import { canPause, CLOCK_KEYS, openClocksDialog, togglePause } from './clock-actions.js';
import { compactClock, describeDuration } from './duration-text.js';
import { deadlineTime, describeClock, shortTime } from '../../ui/format.js';
import { useDateLocale, useFormatDuration, useNow } from '../../ui/hooks.js';
import { isTypingTarget } from '../../app/shortcuts.js';
import { useIncidents } from '../incidents/store.js';
import { useTeamSettings } from './store.js';
import { useUi } from '../../app/ui-store.js';
import { audienceLabel } from '../timeline/timeline-text.js';
import { ClocksDialogs } from './ClocksDialogs.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { CalloutChip, DeputyCallout } from '../tasks/DeputyCallout.js';
import { ClockAnnouncer } from './ClockAnnouncer.js';
import './Clocks.css';

const TIME_MARK = '\u2063';

/** A translated sentence with its time set in large figures, so the number reads across a room. */
function withBigTime(sentence: string, time: string): ReactNode {
  const [before, after] = sentence.split(TIME_MARK) as [string, string | undefined];
  if (after === undefined) return sentence;
  return (
    <>
      {before && <span className="clock-words">{before}</span>}
      <span className="clock-time">{time}</span>
      {after && <span className="clock-words">{after}</span>}
    </>
  );
}

/** The SLA clocks and the stopwatch, in the header's second row; the only part that ticks every second. */
export function SlaClocks() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const locale = useDateLocale();
  const formatDuration = useFormatDuration();
  const view = useIncidents((s) => s.current);
  const policy = useIncidents((s) => s.slaPolicy);
  if (!view || !policy) return null;
  const clocks = slaClocks(view, policy, now);
  const target = policy[view.priority];
  return (
    <div className="clocks">
      <ClockAnnouncer />
      <div className="clock stopwatch">
        <span className="label">{t('header.sinceDeclared')}</span>
        <span className="value" data-testid="stopwatch">
          {formatDuration(clocks.sinceDeclaredMs)}
        </span>
        {clocks.pausedMs > 0 && (
          <span className="clock-note" data-testid="paused-total">
            {t('clocks.pausedTotal', { time: formatDuration(clocks.pausedMs) })}
          </span>
        )}
      </div>
      {SLA_CLOCKS.map((name) => {
        const clock = clocks[name];
        const targetMs = name === 'response' ? target.responseMs : target.resolutionMs;
        return (
          <SlaClockView
            key={name}
            label={t(`header.${name}`)}
            clock={clock}
            testId={`sla-${name}`}
            note={
              targetMs === null
                ? null
                : [
                    t('clocks.target', { target: describeDuration(targetMs, t) }),
                    clock.deadline !== null && clock.phase !== 'met' ? t('clocks.deadline', { time: deadlineTime(clock.deadline, now, locale) }) : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')
            }
          />
        );
      })}
    </div>
  );
}

function SlaClockView({ label, clock, testId, note }: { label: string; clock: SlaClock; testId: string; note: string | null }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const shown = describeClock(clock);
  const time = formatDuration(shown.ms);
  return (
    <div className={`clock sla-clock tone-${shown.tone}`} data-testid={testId} data-tone={shown.tone}>
      <span className="label">{label}</span>
      <span className="value">{withBigTime(t(`sla.${shown.key}`, { time: TIME_MARK }), time)}</span>
      {note && <span className="clock-note">{note}</span>}
    </div>
  );
}

/** The third header row: pause, the update countdown of each audience, the wall clocks, call-out and settings. */
export function ClockStrip() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const view = useIncidents((s) => s.current);
  const policy = useIncidents((s) => s.slaPolicy);
  const actionError = useTeamSettings((s) => s.actionError);
  useCalloutEscape();
  if (!view || !policy) return null;
  const clocks = slaClocks(view, policy, now);
  const pausable = canPause();
  return (
    <div className="clock-strip" aria-label={t('zones.title')}>
      {clocks.paused ? (
        <button type="button" className="pause-button paused" onClick={togglePause} title={t('clocks.resume')}>
          <span data-testid="pause-state">{t('clocks.pausedNow', { reason: clocks.pauseReason ?? '' })}</span>
          <span className="strip-action">
            {t('clocks.resume')} <kbd>{CLOCK_KEYS.pause}</kbd>
          </span>
        </button>
      ) : (
        <button
          type="button"
          className="pause-button"
          disabled={!pausable}
          title={pausable ? t('clocks.pauseTitle') : t('clocks.notPausable', { priority: view.priority })}
          onClick={togglePause}
        >
          {t('clocks.pause')} <kbd>{CLOCK_KEYS.pause}</kbd>
        </button>
      )}
      {actionError && <ErrorNote text={t('clocks.failed', { message: actionError })} />}
      <UpdateCountdowns view={view} now={now} />
      <WallClocks zones={view.timezones ?? []} now={now} onEdit={() => openClocksDialog('zones')} />
      <div className="strip-end">
        <CalloutChip />
        <button type="button" title={t('teamSettings.open')} onClick={() => openClocksDialog('settings')}>
          {t('teamSettings.short')} <kbd>{CLOCK_KEYS.settings}</kbd>
        </button>
      </div>
      <ClocksDialogs />
      <DeputyCallout />
    </div>
  );
}

/** One compact countdown per active audience, the most pressing first; red once overdue. */
function UpdateCountdowns({ view, now }: { view: IncidentView; now: number }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const settings = useTeamSettings((s) => s.settings);
  if (!settings) return null;
  const countdowns = settings.audiences
    .filter((a) => a.active)
    .map((a) => audienceClock(view, a.name, a, now))
    .sort(byUrgency);
  const running = countdowns.filter((c) => c.dueAt !== null || c.phase === 'done');
  return (
    <div className="update-clocks" role="group" aria-label={t('clocks.updates')}>
      {running.length === 0 ? (
        <span className="muted" data-testid="updates-at-change">
          {t('clocks.updatesAtChange')}
        </span>
      ) : (
        running.map((c) => {
          const label = audienceLabel(c.audience, t);
          const tone = c.phase === 'done' ? 'met' : c.overdue ? 'breached' : 'ok';
          return (
            <span
              key={c.audience}
              className={`update-clock tone-${tone}`}
              data-testid={`update-clock-${c.audience}`}
              data-overdue={c.overdue}
              title={c.dueAt === null ? label : t('clocks.audienceDue', { audience: label, time: shortTime(c.dueAt, now, locale) })}
            >
              <span className="update-audience">{label}</span>
              <span className="value">
                {c.dueAt === null
                  ? t('clocks.updateDone')
                  : c.overdue
                    ? t('clocks.overdue', { time: compactClock(now - c.dueAt) })
                    : t('clocks.dueIn', { time: compactClock(c.dueAt - now) })}
              </span>
            </span>
          );
        })
      )}
    </div>
  );
}

/** HH:mm in each region of the incident, with the date when it is not today here (Tokyo is often tomorrow). */
function WallClocks({ zones, now, onEdit }: { zones: string[]; now: number; onEdit: () => void }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const today = new Date(now);
  return (
    <div className="wall-clocks" role="group" aria-label={t('zones.title')}>
      {zones.map((zone) => {
        const time = zonedTime(zone, now);
        if (!time) {
          return (
            <span key={zone} className="wall-clock unknown" data-testid={`wall-clock-${zone}`}>
              {t('zones.unknown', { zone })}
            </span>
          );
        }
        const otherDay = time.year !== today.getFullYear() || time.month !== today.getMonth() + 1 || time.day !== today.getDate();
        const hhmm = `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
        return (
          <span key={zone} className="wall-clock" data-testid={`wall-clock-${zone}`} title={`${zone} · ${offsetLabel(time.offsetMinutes)}`}>
            <span className="wall-city">{zoneCity(zone)}</span>
            <span className="value">{hhmm}</span>
            {otherDay && <span className="wall-date">{format(new Date(time.year, time.month - 1, time.day), 'd MMM', { locale })}</span>}
          </span>
        );
      })}
      <button type="button" className="link-button" onClick={onEdit}>
        {zones.length ? t('zones.edit') : t('zones.none')} <kbd>{CLOCK_KEYS.zones}</kbd>
      </button>
    </div>
  );
}

/** Esc puts the call-out panel away, once no dialog or field claims the key. */
function useCalloutEscape(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTypingTarget(event.target)) return;
      const { calloutOpen, setCalloutOpen } = useTeamSettings.getState();
      if (calloutOpen && !useUi.getState().helpOpen && !document.querySelector('[aria-modal="true"]')) setCalloutOpen(false);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
