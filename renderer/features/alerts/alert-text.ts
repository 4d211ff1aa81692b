import type { TFunction } from 'i18next';
import type { KnownEvent } from '../../../shared/record/events.js';
import type { EntryText } from '../timeline/entry-text.js';

type OutsideEvent = Extract<KnownEvent, { kind: `alert.${string}` | `delivery.${string}` | `status.${string}` }>;

const line = (badge: EntryText['badge'], text: string, details: string[] = []): EntryText => ({ badge, text, details, typed: false });

/**
 * Timeline sentences for what reaches the room from outside (alerts) and what leaves it
 * (deliveries, the public status page). The alerts stream's own events never show on an
 * incident's timeline; they are described all the same for the library and exports.
 */
export function describeOutsideEntry(event: OutsideEvent, t: TFunction): EntryText {
  switch (event.kind) {
    case 'alert.received':
    case 'alert.attached': {
      const p = event.payload;
      return line('external', t('alerts.entry.attached', { source: p.integration, title: p.title, severity: t(`alerts.severity.${p.severity}`) }), p.link ? [p.link] : []);
    }
    case 'alert.acknowledged':
    case 'alert.linked':
      return line('external', t(`alerts.state.${event.kind === 'alert.linked' ? 'linked' : 'acknowledged'}`));
    case 'delivery.requested':
      return line('comms', t('deliveries.requested', { audience: event.payload.audience }));
    case 'delivery.outcome': {
      const p = event.payload;
      if (p.channelId === null || p.channelKind === null) return line('comms', t('deliveries.noChannel', { reason: p.reason }));
      const values = { channel: p.channelId, kind: t(`deliveries.kind.${p.channelKind}`), reason: p.reason };
      return line('comms', p.state === 'delivered' ? t('deliveries.delivered', values) : t('deliveries.failed', values));
    }
    case 'status.visibility':
      return line('comms', event.payload.public ? t('deliveries.visibilityEntry', { title: event.payload.title }) : t('deliveries.hiddenEntry'));
    case 'status.published':
      return line('comms', t('deliveries.publishedEntry', { status: t(`deliveries.publicStatus.${event.payload.status}`) }), [event.payload.body]);
  }
}
