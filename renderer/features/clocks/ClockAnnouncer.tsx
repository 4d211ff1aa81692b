import { useTranslation } from 'react-i18next';
import { SLA_CLOCKS } from '../../../shared/record/events.js';
import { slaClocks } from '../../../shared/clocks/sla.js';
import { describeClock } from '../../ui/format.js';
import { useNow } from '../../ui/hooks.js';
import { useIncidents } from '../incidents/store.js';
import { describeDuration } from './duration-text.js';

const MIN = 60_000;

/**
 * The SLA clocks for a screen reader, said politely: the figures on screen tick every second,
 * this sentence changes only when a clock passes a whole minute or changes state (amber, breached,
 * paused, met), so a screen reader speaks up once a minute at most, between what the user is doing.
 */
export function ClockAnnouncer() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const view = useIncidents((s) => s.current);
  const policy = useIncidents((s) => s.slaPolicy);
  if (!view || !policy) return null;
  const clocks = slaClocks(view, policy, now);
  const sentence = SLA_CLOCKS.map((name) => {
    const shown = describeClock(clocks[name]);
    const state = t(`sla.${shown.key}`, { time: describeDuration(Math.floor(Math.max(0, shown.ms) / MIN) * MIN, t) });
    return t('clocks.announce', { clock: t(`header.${name}`), state: shown.tone === 'warning' ? t('clocks.announceWarning', { state }) : state });
  }).join('. ');
  return (
    <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="clock-announcer">
      {sentence}
    </p>
  );
}
