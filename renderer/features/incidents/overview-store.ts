import { create } from 'zustand';
import type { ChannelOutput, IncidentChange } from '../../../shared/api/api.js';
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

/** Set when the views held may all be out of date (a team setting, a large pull): the next refresh reads every one. */
let stale = true;

const refresh = coalesce(async () => {
  const selected = useUi.getState().selectedIncidentId;
  const wanted = useIncidents.getState().list.filter((i) => i.id !== selected && OPEN_STATUSES.has(i.status));
  const full = stale;
  stale = false;
  const held = useOverview.getState().others;
  // Views that came with a change notice are as fresh as a read: only the missing ones are asked for.
  const missing = full ? wanted : wanted.filter((i) => !held[i.id]);
  // One that cannot be read now shows without clocks until the next change brings a new read.
  const replies = await Promise.all(missing.map((i) => api.call('incident.get', { incidentId: i.id }).catch((): ChannelOutput<'incident.get'> | null => null)));
  const now = useOverview.getState().others;
  const others: OverviewState['others'] = {};
  for (const i of wanted) if (now[i.id]) others[i.id] = now[i.id]!;
  replies.forEach((reply) => {
    // A view a notice brought while this read was under way is newer than the read.
    if (reply?.incident && (full || !others[reply.incident.id])) others[reply.incident.id] = { view: reply.incident, policy: reply.slaPolicy };
  });
  useOverview.setState({ others });
});

/** A change notice without views (views/sync in view-sync.ts): every other incident is read again. */
export function overviewStale(): void {
  stale = true;
}

/**
 * The views a change notice carried (view-sync.ts): the other open incidents' entries are
 * replaced without a read. Call before the list itself changes, so its refresh finds them.
 */
export function applyOverviewChanges(changed: readonly IncidentChange[]): void {
  const selected = useUi.getState().selectedIncidentId;
  const policy = useIncidents.getState().slaPolicy;
  const others = { ...useOverview.getState().others };
  let touched = false;
  for (const { incidentId, incident } of changed) {
    if (incidentId === selected) continue;
    const kept = others[incidentId]?.policy ?? policy;
    if (incident && OPEN_STATUSES.has(incident.status) && kept) others[incidentId] = { view: incident, policy: kept };
    else if (others[incidentId]) delete others[incidentId];
    else continue;
    touched = true;
  }
  if (touched) useOverview.setState({ others });
}

/**
 * A new list (a change notice, a full read) is the cue to read the other incidents not held
 * yet; a switch of incident changes which ones count as "other".
 */
export function startOverview(): () => void {
  stale = true;
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
