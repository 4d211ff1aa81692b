import { create } from 'zustand';
import type { ChannelOutput } from '../../../shared/api/api.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';
import { useIncidents } from './store.js';
import { useUi } from '../../app/ui-store.js';

export const OPEN_STATUSES: ReadonlySet<string> = new Set(['detected', 'declared', 'investigating', 'mitigated']);

interface OverviewState {
  /** Every open incident but the one on screen (that one is `useIncidents.current`, always fresh). */
  others: Record<string, { view: IncidentView; policy: SlaPolicy }>;
  /** The switcher's list is open (by its button, or the `i` shortcut). */
  listOpen: boolean;
  setListOpen(open: boolean): void;
}

/** The other open incidents' views, so the switcher can show each one's own SLA clocks. */
export const useOverview = create<OverviewState>()((set) => ({ others: {}, listOpen: false, setListOpen: (listOpen) => set({ listOpen }) }));

const refresh = coalesce(async () => {
  const selected = useUi.getState().selectedIncidentId;
  const wanted = useIncidents.getState().list.filter((i) => i.id !== selected && OPEN_STATUSES.has(i.status));
  // One that cannot be read now shows without clocks until the next change brings a new read.
  const replies = await Promise.all(
    wanted.map((i) => api.call('incident.get', { incidentId: i.id }).catch((): ChannelOutput<'incident.get'> | null => null)),
  );
  const others: OverviewState['others'] = {};
  replies.forEach((reply) => {
    if (reply?.incident) others[reply.incident.id] = { view: reply.incident, policy: reply.slaPolicy };
  });
  useOverview.setState({ others });
});

/**
 * The list is refetched after every change notice, so a new list is the cue to re-read the
 * other incidents; a switch of incident changes which ones count as "other".
 */
export function startOverview(): () => void {
  const stops = [
    useIncidents.subscribe((state, previous) => {
      if (state.list !== previous.list) void refresh();
    }),
    useUi.subscribe((state, previous) => {
      if (state.selectedIncidentId !== previous.selectedIncidentId) void refresh();
    }),
  ];
  void refresh();
  return () => stops.forEach((stop) => stop());
}
