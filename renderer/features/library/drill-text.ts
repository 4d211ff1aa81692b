import type { TFunction } from 'i18next';
import type { KnownEvent } from '../../../shared/record/events.js';
import type { EntryText } from '../timeline/entry-text.js';

/** The timeline's sentence for a drill starting or stopping; its injects are ordinary entries. */
export function describeDrillEvent(event: Extract<KnownEvent, { kind: 'drill.started' | 'drill.stopped' }>, t: TFunction): EntryText {
  if (event.kind === 'drill.started') {
    const { sourceTitle, speed, injects } = event.payload;
    return { badge: 'declared', text: t('library.entry.drillStarted', { source: sourceTitle, speed: String(speed), count: injects }), details: [], typed: false };
  }
  const { delivered, cancelled } = event.payload;
  return { badge: 'status', text: t('library.entry.drillStopped', { delivered: String(delivered), cancelled: String(cancelled) }), details: [], typed: false };
}
