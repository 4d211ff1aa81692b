import { rowKind } from '../record/kind-spec.js';
import { DELIVERY_FAILURE_TEXT, failureWords, type DeliveryFailureCode } from './failures.js';

/** The failure's words as the kind's own sentences (`why_<code>`), so the timeline, the comms pane and the report say them alike. */
const why = <T extends Record<string, string>>(text: T) =>
  Object.fromEntries(Object.entries(text).map(([code, words]) => [`why_${code}`, words])) as { [C in keyof T & string as `why_${C}`]: string };

/** Updates handed to the hub and what became of them on each channel (folded by the comms pane's delivery view). */
export const DELIVERY_KINDS = {
  'delivery.requested': rowKind<'delivery.requested'>()({
    fold: 'deliveries',
    badge: 'comms',
    text: { en: { requested: 'Update to {{audience}} handed over for delivery' }, fr: { requested: 'Mise à jour pour {{audience}} confiée à l’envoi' } },
    sentence: (p, say) => ({ text: say('requested', { audience: p.audience }) }),
  }),
  'delivery.outcome': rowKind<'delivery.outcome'>()({
    fold: 'deliveries',
    badge: 'comms',
    text: {
      en: {
        delivered: 'Update delivered through {{channel}} ({{kind}})',
        failed: 'Update not delivered through {{channel}} ({{kind}}): {{reason}}',
        noChannel: 'Update not delivered: {{reason}}',
        ...why(DELIVERY_FAILURE_TEXT.en),
      },
      fr: {
        delivered: 'Mise à jour livrée par {{channel}} ({{kind}})',
        failed: 'Mise à jour non livrée par {{channel}} ({{kind}}) : {{reason}}',
        noChannel: 'Mise à jour non livrée : {{reason}}',
        ...why(DELIVERY_FAILURE_TEXT.fr),
      },
    },
    sentence: (p, say, { label }) => {
      const reason = failureWords(p, (code: DeliveryFailureCode, values) => say(`why_${code}`, values));
      if (p.channelId === null || p.channelKind === null) return { text: say('noChannel', { reason }) };
      const values = { channel: p.channelId, kind: label('deliveryKind', p.channelKind), reason };
      return { text: p.state === 'delivered' ? say('delivered', values) : say('failed', values) };
    },
  }),
} as const;
