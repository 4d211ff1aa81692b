import { create } from 'zustand';
import type { ChangeNotice } from '../../../shared/api/api.js';
import type { DeliveryView, PublicView } from '../../../shared/deliveries/channels.js';
import { changesDeliveryState } from '../../../shared/deliveries/state-kinds.js';
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
        useDeliveries.setState({
          incidentId,
          byDraft: Object.fromEntries(state.deliveries.map((d) => [d.draftId, d])),
          publicPage: state.publicPage,
          error: null,
        });
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
 * Whether a notice can change what the comms pane shows of deliveries. Only events of the kinds
 * the view is folded from do (a request, an outcome pulled from the hub, the status page): the
 * notice of a timeline entry must not set off a read, which would hold the core's queue while the
 * next entry is typed. Without kinds (sealed events just opened) the incident is read again.
 * The sync state matters only while a request waits on this laptop: the outbox moving on is what
 * hands it to the hub.
 */
function concernsDeliveries(notice: ChangeNotice, current: string | null): boolean {
  if (current && notice.incidentIds.includes(current) && (!notice.kinds || notice.kinds.some(changesDeliveryState))) return true;
  if (!notice.sync) return false;
  // A read under way may have seen the request still waiting: read once more after it.
  if (loading) return true;
  const { incidentId, byDraft } = useDeliveries.getState();
  return incidentId === current && Object.values(byDraft).some((delivery) => delivery.local === 'waiting');
}

/** A delivery moves on three kinds of news: an event of the incident, the sync state, a switch to another incident. */
export function startDeliveries(): () => void {
  const stops = [
    api.onChange((notice) => {
      if (concernsDeliveries(notice, useUi.getState().selectedIncidentId)) void refreshDeliveries();
    }),
    api.onReconnect(() => void refreshDeliveries()),
    useUi.subscribe((state, previous) => {
      if (state.selectedIncidentId !== previous.selectedIncidentId) void refreshDeliveries();
    }),
  ];
  void refreshDeliveries();
  return () => stops.forEach((stop) => stop());
}
