import { rowKind } from '../record/kind-spec.js';

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
      },
      fr: {
        delivered: 'Mise à jour livrée par {{channel}} ({{kind}})',
        failed: 'Mise à jour non livrée par {{channel}} ({{kind}}) : {{reason}}',
        noChannel: 'Mise à jour non livrée : {{reason}}',
      },
    },
    sentence: (p, say, { label }) => {
      if (p.channelId === null || p.channelKind === null) return { text: say('noChannel', { reason: p.reason }) };
      const values = { channel: p.channelId, kind: label('deliveryKind', p.channelKind), reason: p.reason };
      return { text: p.state === 'delivered' ? say('delivered', values) : say('failed', values) };
    },
  }),
} as const;
