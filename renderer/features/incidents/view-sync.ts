import type { IncidentSummary } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { errorText } from '../../api/error-text.js';
import { coalesce } from '../../api/coalesce.js';
import { useIncidents } from './store.js';
import { clearTimeline, loadTimeline, useTimeline } from '../timeline/store.js';
import { useUi } from '../../app/ui-store.js';

const OPEN_STATUSES = new Set(['detected', 'declared', 'investigating', 'mitigated']);

/** A failure as the person reads it: translated from its stable codes, never the core's English or zod's words. */
export const message = (error: unknown) => errorText(error);

/** Open incidents first, the most urgent (P1) first among them, then the newest. */
function byRelevance(a: IncidentSummary, b: IncidentSummary): number {
  const open = Number(OPEN_STATUSES.has(b.status)) - Number(OPEN_STATUSES.has(a.status));
  return open || a.priority.localeCompare(b.priority) || b.declaredAt - a.declaredAt;
}

export const refreshList = coalesce(async () => {
  try {
    const [info, list] = await Promise.all([api.call('app.info', {}), api.call('incidents.list', {})]);
    const sorted = [...list].sort(byRelevance);
    useIncidents.setState({ info, list: sorted, listLoaded: true, loadError: null });
    const { selectedIncidentId, selectIncident } = useUi.getState();
    // A remembered selection may name an incident this data folder does not hold.
    if (sorted.length && !sorted.some((i) => i.id === selectedIncidentId)) selectIncident(sorted[0]!.id);
  } catch (error) {
    useIncidents.setState({ loadError: message(error) });
  }
});

let currentRequest = 0;

/** Fetches the selected incident's view and timeline together, so the two never disagree on screen. */
export const refreshCurrent = coalesce(async () => {
  const id = useUi.getState().selectedIncidentId;
  const request = ++currentRequest;
  if (!id) {
    useIncidents.setState({ current: null });
    clearTimeline();
    return;
  }
  try {
    // The timeline comes a window at a time (stores/timeline.ts); this read keeps the window on screen.
    const [incident, applyTimeline] = await Promise.all([api.call('incident.get', { incidentId: id }), loadTimeline(id)]);
    if (request !== currentRequest || useUi.getState().selectedIncidentId !== id) return;
    // Most changes (a timeline entry) leave the incident as it was: keeping the same objects spares
    // every pane a re-render, which is most of the time between Enter and the entry on screen.
    const before = useIncidents.getState();
    if (JSON.stringify(before.current) !== JSON.stringify(incident.incident) || JSON.stringify(before.slaPolicy) !== JSON.stringify(incident.slaPolicy)) {
      useIncidents.setState({ current: incident.incident, slaPolicy: incident.slaPolicy });
    }
    applyTimeline();
  } catch (error) {
    if (request !== currentRequest) return;
    useTimeline.setState({ error: message(error) });
  }
});

/** Wire the stores to the API: initial load, the change stream, and a full refetch after a lost stream returns. */
export function startSync(): () => void {
  const stops = [
    api.onChange((notice) => {
      // An export's progress changes nothing stored.
      if (notice.progress && notice.eventIds.length === 0) return;
      if (notice.coreRestarted) {
        // A new core on the same record: everything shown is read again.
        useIncidents.setState({ coreRestarted: true });
        void refreshList();
        void refreshCurrent();
        return;
      }
      void refreshList();
      const id = useUi.getState().selectedIncidentId;
      if (id && notice.incidentIds.includes(id)) void refreshCurrent();
    }),
    api.onReconnect(() => {
      void refreshList();
      void refreshCurrent();
    }),
    api.onConnectionChange((connected) => useIncidents.setState({ connected })),
    useUi.subscribe((state, previous) => {
      if (state.selectedIncidentId !== previous.selectedIncidentId) void refreshCurrent();
    }),
  ];
  void refreshList();
  void refreshCurrent();
  return () => stops.forEach((stop) => stop());
}
