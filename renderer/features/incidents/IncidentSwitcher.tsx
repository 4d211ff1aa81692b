import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentSummary } from '../../../shared/api/api.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { slaClocks, type SlaClock, type SlaPolicy } from '../../../shared/clocks/sla.js';
import { describeClock, type ClockTone } from '../../ui/format.js';
import { useFormatDuration, useNow } from '../../ui/hooks.js';
import { useIncidents } from './store.js';
import { OPEN_STATUSES, startOverview, useOverview } from './overview-store.js';
import { useUi } from '../../app/ui-store.js';
import { PriorityBadge } from '../../ui/PriorityBadge.js';
import '../roles/Roles.css';

interface Clocks {
  response: SlaClock;
  resolution: SlaClock;
}

const URGENCY: Record<ClockTone, number> = { breached: 3, warning: 2, paused: 1, ok: 0, met: 0, none: 0 };

/** The clocks of one incident now, from its view: the one on screen is live, the others as of their last change. */
function useClocksFor(now: number): (id: string) => Clocks | null {
  const current = useIncidents((s) => s.current);
  const policy = useIncidents((s) => s.slaPolicy);
  const others = useOverview((s) => s.others);
  return (id) => {
    const source: { view: IncidentView; policy: SlaPolicy } | null = current && policy && current.id === id ? { view: current, policy } : (others[id] ?? null);
    return source ? slaClocks(source.view, source.policy, now) : null;
  };
}

function worstTone(clocks: Clocks | null): ClockTone {
  if (!clocks) return 'none';
  const tones = [describeClock(clocks.response).tone, describeClock(clocks.resolution).tone];
  return tones.sort((a, b) => URGENCY[b] - URGENCY[a])[0]!;
}

/**
 * Several incidents at once: a button naming how many are open (with a dot when another one's
 * clock is amber or red) that opens a list ordered by priority, each row with its status and
 * its own SLA clocks. Alt+1…9 switches without opening it (renderer/app/shortcuts.ts).
 */
export function IncidentSwitcher() {
  const { t } = useTranslation();
  const list = useIncidents((s) => s.list);
  const selected = useUi((s) => s.selectedIncidentId);
  const selectIncident = useUi((s) => s.selectIncident);
  const open = useOverview((s) => s.listOpen);
  const setOpen = useOverview((s) => s.setListOpen);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const now = useNow(open ? 1000 : 5000);
  const clocksFor = useClocksFor(now);

  useEffect(() => startOverview(), []);
  useEffect(() => {
    if (!open) return;
    // Opened by the `i` shortcut as well as by the button: start on the incident on screen.
    setActive(
      Math.max(
        0,
        useIncidents.getState().list.findIndex((i) => i.id === useUi.getState().selectedIncidentId),
      ),
    );
    listRef.current?.focus();
  }, [open]);

  if (list.length < 2) return null;
  const openCount = list.filter((i) => OPEN_STATUSES.has(i.status)).length;
  const alarm = list
    .filter((i) => i.id !== selected && OPEN_STATUSES.has(i.status))
    .map((i) => worstTone(clocksFor(i.id)))
    .sort((a, b) => URGENCY[b] - URGENCY[a])[0];

  const show = () => setOpen(true);
  const choose = (incident: IncidentSummary | undefined) => {
    setOpen(false);
    buttonRef.current?.focus();
    if (incident) selectIncident(incident.id);
  };

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const digit = /^Digit([1-9])$/.exec(event.code);
    if (event.key === 'ArrowDown') setActive((i) => (i + 1) % list.length);
    else if (event.key === 'ArrowUp') setActive((i) => (i - 1 + list.length) % list.length);
    else if (event.key === 'Home') setActive(0);
    else if (event.key === 'End') setActive(list.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') choose(list[active]);
    else if (digit && !event.ctrlKey && !event.metaKey) choose(list[Number(digit[1]) - 1]);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      setOpen(false);
      if (event.key === 'Escape') buttonRef.current?.focus();
      if (event.key === 'Tab') return;
    } else return;
    event.preventDefault();
  };

  return (
    <div className="incident-switcher">
      <button
        ref={buttonRef}
        type="button"
        className="switcher-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls="incident-list"
        aria-label={t('incidents.switcherLabel', { count: openCount })}
        title={t('incidents.switcherHint')}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            show();
          }
        }}
      >
        {t('incidents.switcher', { count: openCount })}
        {alarm && URGENCY[alarm] >= 2 && (
          <span className={`alarm-dot tone-${alarm}`} aria-label={t(`incidents.alarm.${alarm === 'breached' ? 'breached' : 'warning'}`)} />
        )}
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul
          ref={listRef}
          id="incident-list"
          className="incident-list"
          role="listbox"
          tabIndex={-1}
          aria-label={t('incidents.listLabel')}
          aria-activedescendant={`incident-option-${active}`}
          onKeyDown={onListKey}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget) && e.relatedTarget !== buttonRef.current) setOpen(false);
          }}
        >
          {list.map((incident, i) => (
            <IncidentOption
              key={incident.id}
              index={i}
              incident={incident}
              active={i === active}
              selected={incident.id === selected}
              clocks={OPEN_STATUSES.has(incident.status) ? clocksFor(incident.id) : null}
              onPick={() => choose(incident)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function IncidentOption(props: { index: number; incident: IncidentSummary; active: boolean; selected: boolean; clocks: Clocks | null; onPick: () => void }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const { index, incident, active, selected, clocks, onPick } = props;
  const clock = (label: string, c: SlaClock, kind: string) => {
    const shown = describeClock(c);
    return (
      <span className={`mini-clock tone-${shown.tone}`} data-clock={kind} data-tone={shown.tone}>
        <span className="label">{label}</span>
        <span className="value">{t(`sla.${shown.key}`, { time: formatDuration(shown.ms) })}</span>
      </span>
    );
  };
  return (
    <li
      id={`incident-option-${index}`}
      role="option"
      aria-selected={active}
      aria-current={selected ? 'true' : undefined}
      data-incident-id={incident.id}
      className={`incident-option${active ? ' active' : ''}${selected ? ' current' : ''}${OPEN_STATUSES.has(incident.status) ? '' : ' closed'}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
    >
      <span className="option-key">{index < 9 ? t('keys.altN', { n: String(index + 1) }) : ''}</span>
      <PriorityBadge priority={incident.priority} />
      <span className="option-title" title={incident.title}>
        {incident.title}
        {incident.drill && <span className="drill-badge">{t('app.drillBadge')}</span>}
      </span>
      <span className="option-status">{t(`status.${incident.status}`)}</span>
      {clocks ? (
        <span className="option-clocks">
          {clock(t('header.response'), clocks.response, 'response')}
          {clock(t('header.resolution'), clocks.resolution, 'resolution')}
        </span>
      ) : (
        <span className="option-clocks" />
      )}
    </li>
  );
}
