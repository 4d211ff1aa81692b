import type { TFunction } from 'i18next';
import type { KnownEvent } from '../../../shared/record/events.js';
import { zoneCity } from '../../../shared/clocks/zones.js';
import { describeDuration } from './duration-text.js';
import type { EntryText } from '../timeline/entry-text.js';

type ClockEvent = Extract<KnownEvent, { kind: 'sla.breached' | 'incident.timezones' | `settings.${string}` }>;

/** Timeline sentences of the clock events. Settings live on their own stream and never reach an incident's timeline. */
export function describeClockEntry(event: ClockEvent, t: TFunction): EntryText {
  switch (event.kind) {
    case 'sla.breached': {
      const { clock, targetMs, priority } = event.payload;
      return { badge: 'sla', text: t(`clocks.breached_${clock}`, { target: describeDuration(targetMs, t), priority }), details: [], typed: false };
    }
    case 'incident.timezones': {
      const zones = event.payload.zones;
      const text = zones.length ? t('zones.set', { zones: zones.map((z) => `${zoneCity(z)} (${z})`).join(', ') }) : t('zones.cleared');
      return { badge: 'sla', text, details: [], typed: false };
    }
    default:
      return { badge: 'unknown', text: t('timeline.unknownKind'), details: [], typed: false };
  }
}
