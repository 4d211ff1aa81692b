import { rowKind } from '../record/kind-spec.js';

/** Status updates, drafted, edited, approved and sent. */
export const COMMS_KINDS = {
  'comms.drafted': rowKind<'comms.drafted'>()({
    fold: 'incident',
    badge: 'comms',
    text: {
      en: { drafted: 'Status update drafted for {{audience}} ({{channel}})' },
      fr: { drafted: 'Point de situation rédigé pour {{audience}} ({{channel}})' },
    },
    sentence: (p, say, { label }) => ({ text: say('drafted', { audience: label('audience', p.audience), channel: label('channel', p.channel) }) }),
  }),
  'comms.edited': rowKind<'comms.edited'>()({
    fold: 'incident',
    badge: 'comms',
    text: { en: { edited: 'Status update for {{audience}} edited' }, fr: { edited: 'Point de situation pour {{audience}} modifié' } },
    sentence: (p, say, { draftAudience }) => ({ text: say('edited', { audience: draftAudience(p.draftId) }) }),
  }),
  'comms.approved': rowKind<'comms.approved'>()({
    fold: 'incident',
    badge: 'comms',
    text: { en: { approved: 'Status update for {{audience}} approved' }, fr: { approved: 'Point de situation pour {{audience}} approuvé' } },
    sentence: (p, say, { draftAudience }) => ({ text: say('approved', { audience: draftAudience(p.draftId) }) }),
  }),
  'comms.sent': rowKind<'comms.sent'>()({
    fold: 'incident',
    badge: 'comms',
    text: { en: { sent: 'Status update sent to {{audience}} via {{channel}}' }, fr: { sent: 'Point de situation envoyé à {{audience}} par {{channel}}' } },
    // The words that went out are part of the record, whatever later edits say.
    sentence: (p, say, { draftAudience, label }) => ({
      text: say('sent', { audience: draftAudience(p.draftId), channel: label('channel', p.channel) }),
      details: [p.body],
    }),
    reportDetails: true,
  }),
} as const;
