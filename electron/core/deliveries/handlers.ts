import { ApiError, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { DELIVERY_CHANNELS, DeliveryView, PublicView } from '../../../shared/deliveries/channels.js';
import { asKnown, type EventEnvelope, type EventKind, type PayloadOf } from '../../../shared/record/events.js';
import type { IncidentState } from '../../../shared/record/fold.js';
import type { Store } from '../../store/store.js';

type DeliveryChannel = keyof typeof DELIVERY_CHANNELS;
export type DeliveryHandlers = { [C in DeliveryChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

export interface DeliveryDeps {
  store: Store;
  now: () => number;
  requireIncident(incidentId: string): IncidentState;
  record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string };
}

/** The audience whose updates may be published: the status page is for customers. */
export const PUBLIC_AUDIENCE = 'customers';

/**
 * Deliveries and the status page as this laptop sees them. The hub delivers and publishes;
 * here the commander asks for it (events) and reads back where each request stands.
 */
export function deliveryHandlers(deps: DeliveryDeps): DeliveryHandlers {
  return {
    'deliveries.state': ({ incidentId }) => {
      const deliveries = new Map<string, DeliveryView>();
      const outcomes: EventEnvelope[] = [];
      const publicPage: PublicView & { hlc: string } = { visible: false, title: '', services: [], published: [], hlc: '' };
      for (const raw of deps.store.deliveryStateEvents(incidentId)) {
        const event = asKnown(raw);
        if (!event) continue;
        if (event.kind === 'delivery.requested') {
          const { draftId, occurredAt } = event.payload;
          const earlier = deliveries.get(draftId);
          if (earlier && earlier.requestedAt <= occurredAt) continue;
          deliveries.set(draftId, { draftId, requestedAt: occurredAt, local: deps.store.inOutbox(event.id) ? 'waiting' : 'handed', outcomes: [] });
        } else if (event.kind === 'delivery.outcome') outcomes.push(event);
        else if (event.kind === 'status.visibility' && event.hlc > publicPage.hlc) {
          Object.assign(publicPage, { visible: event.payload.public, title: event.payload.title, services: event.payload.services, hlc: event.hlc });
        } else if (event.kind === 'status.published' && !publicPage.published.some((p) => p.draftId === event.payload.draftId)) {
          publicPage.published.push({ draftId: event.payload.draftId, status: event.payload.status, at: event.payload.occurredAt });
        }
      }
      for (const raw of outcomes) {
        const event = asKnown(raw);
        if (event?.kind !== 'delivery.outcome') continue;
        const p = event.payload;
        const delivery = deliveries.get(p.draftId);
        // An outcome means the hub had the request, whatever this laptop's outbox says.
        if (!delivery) continue;
        delivery.local = 'handed';
        if (delivery.outcomes.some((o) => o.channelId === p.channelId)) continue;
        delivery.outcomes.push({
          channelId: p.channelId,
          channelKind: p.channelKind,
          state: p.state,
          attempts: p.attempts,
          reason: p.reason,
          ...(p.failure ? { failure: p.failure } : {}),
          at: p.occurredAt,
        });
      }
      const { hlc: _hlc, ...page } = publicPage;
      page.published.sort((a, b) => a.at - b.at);
      return { deliveries: [...deliveries.values()], publicPage: page };
    },
    'status.setVisibility': ({ incidentId, visible, title, services }) => {
      deps.requireIncident(incidentId);
      return deps.record(incidentId, 'status.visibility', { public: visible, title, services, occurredAt: deps.now() });
    },
    'status.publish': ({ incidentId, draftId, status }) => {
      const draft = deps.requireIncident(incidentId).comms[draftId];
      if (!draft?.created) throw new ApiError({ code: 'not_found', message: `No comms draft with id ${draftId} in this incident` });
      if (draft.audience?.value !== PUBLIC_AUDIENCE)
        throw new ApiError({ code: 'conflict', message: 'Only updates for customers can be published on the status page.' });
      if (draft.state === 'draft') throw new ApiError({ code: 'conflict', message: 'Approve this update before publishing it.' });
      const body = draft.sending?.value.body ?? draft.body?.value ?? '';
      if (!body) throw new ApiError({ code: 'invalid_input', message: 'An empty update cannot be published.' });
      const already = deps.store.deliveryStateEvents(incidentId).some((e) => e.kind === 'status.published' && e.payload['draftId'] === draftId);
      if (already) throw new ApiError({ code: 'conflict', message: 'This update is already published.' });
      return deps.record(incidentId, 'status.published', { draftId, status, body, occurredAt: deps.now() });
    },
  };
}

/** The `delivery.requested` event that rides with a sent update: what the hub needs, and nothing about where it goes. */
export function deliveryRequest(
  incident: IncidentState,
  draftId: string,
  body: string,
  language: 'en' | 'fr',
  event: (kind: 'delivery.requested', payload: PayloadOf<'delivery.requested'>) => EventEnvelope,
  now: number,
): EventEnvelope {
  const audience = incident.comms[draftId]?.audience?.value ?? '';
  const subject = incident.declared?.value.title ?? '';
  return event('delivery.requested', { draftId, audience, subject, body, language, occurredAt: now });
}
