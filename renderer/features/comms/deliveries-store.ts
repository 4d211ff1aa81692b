import { create } from 'zustand';
import type { DeliveryView, PublicView } from '../../../shared/deliveries/channels.js';
import { api } from '../../api/client.js';
import { message } from '../incidents/view-sync.js';
import { useUi } from '../../app/ui-store.js';

interface DeliveriesState {
  incidentId: string | null;
  byDraft: Record<string, DeliveryView>;
  publicPage: PublicView | null;
  error: string | null;
}

export const useDeliveries = create<DeliveriesState>()(() => ({ incidentId: null, byDraft: {}, publicPage: null, error: null }));

let loading: Promise<void> | null = null;
let again = false;

/** Re-read the open incident's deliveries; calls that arrive while one runs fold into one more. */
export async function refreshDeliveries(): Promise<void> {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      const incidentId = useUi.getState().selectedIncidentId;
      if (!incidentId) {
        useDeliveries.setState({ incidentId: null, byDraft: {}, publicPage: null });
        continue;
      }
      try {
        const state = await api.call('deliveries.state', { incidentId });
        useDeliveries.setState({ incidentId, byDraft: Object.fromEntries(state.deliveries.map((d) => [d.draftId, d])), publicPage: state.publicPage, error: null });
      } catch (error) {
        useDeliveries.setState({ error: message(error) });
      }
    } while (again);
  })().finally(() => {
    loading = null;
  });
  return loading;
}

/**
 * A delivery moves on three kinds of news: an event of the incident (an outcome pulled from the
 * hub), the sync state (the outbox emptied: handed to the hub), a switch to another incident.
 */
export function startDeliveries(): () => void {
  const stops = [
    api.onChange((notice) => {
      const current = useUi.getState().selectedIncidentId;
      if (notice.sync || (current && notice.incidentIds.includes(current))) void refreshDeliveries();
    }),
    api.onReconnect(() => void refreshDeliveries()),
    useUi.subscribe((state, previous) => {
      if (state.selectedIncidentId !== previous.selectedIncidentId) void refreshDeliveries();
    }),
  ];
  void refreshDeliveries();
  return () => stops.forEach((stop) => stop());
}
