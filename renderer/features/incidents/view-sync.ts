import type { ChangeNotice, IncidentChange, IncidentSummary } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { errorText } from '../../api/error-text.js';
import { coalesce } from '../../api/coalesce.js';
import { useIncidents } from './store.js';
import { applyOverviewChanges, overviewStale } from './overview-store.js';
import { applyRowChanges, clearTimeline, loadTimeline, useTimeline } from '../timeline/store.js';
import { useUi } from '../../app/ui-store.js';

const OPEN_STATUSES = new Set(['detected', 'declared', 'investigating', 'mitigated']);

/** A failure as the person reads it: translated from its stable codes, never the core's English or zod's words. */
export const message = (error: unknown) => errorText(error);

/** Open incidents first, the most urgent (P1) first among them, then the newest. */
function byRelevance(a: IncidentSummary, b: IncidentSummary): number {
  const open = Number(OPEN_STATUSES.has(b.status)) - Number(OPEN_STATUSES.has(a.status));
  return open || a.priority.localeCompare(b.priority) || b.declaredAt - a.declaredAt;
}

/** Full reads in flight: a change notice that lands meanwhile waits for a fresh read rather than being overwritten by an older answer. */
let listReads = 0;
let currentReads = 0;

export const refreshList = coalesce(async () => {
  listReads++;
  try {
    const [info, list] = await Promise.all([api.call('app.info', {}), api.call('incidents.list', {})]);
    const sorted = [...list].sort(byRelevance);
    useIncidents.setState({ info, list: sorted, listLoaded: true, loadError: null });
    const { selectedIncidentId, selectIncident } = useUi.getState();
    // A remembered selection may name an incident this data folder does not hold.
    if (sorted.length && !sorted.some((i) => i.id === selectedIncidentId)) selectIncident(sorted[0]!.id);
  } catch (error) {
    useIncidents.setState({ loadError: message(error) });
  } finally {
    listReads--;
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
  currentReads++;
  try {
    // The timeline comes a window at a time (stores/timeline.ts); this read keeps the window on screen.
    const [incident, applyTimeline] = await Promise.all([api.call('incident.get', { incidentId: id }), loadTimeline(id)]);
    if (request !== currentRequest || useUi.getState().selectedIncidentId !== id) return;
    useIncidents.setState({ current: incident.incident, slaPolicy: incident.slaPolicy });
    applyTimeline();
  } catch (error) {
    if (request !== currentRequest) return;
    useTimeline.setState({ error: message(error) });
  } finally {
    currentReads--;
  }
});

/** The current timeline window again, for new rows; the incident view stays as it is. */
const refreshTimeline = coalesce(async () => {
  const id = useUi.getState().selectedIncidentId;
  if (!id) return;
  // Not a request of its own: a full refresh started meanwhile (a switch of incident) wins, timeline included.
  const request = currentRequest;
  try {
    const applyTimeline = await loadTimeline(id);
    if (request !== currentRequest || useUi.getState().selectedIncidentId !== id) return;
    applyTimeline();
  } catch (error) {
    if (request !== currentRequest) return;
    useTimeline.setState({ error: message(error) });
  }
});

/**
 * A change notice that says what changed: the new views come with it, and mostly the timeline
 * rows too (else the timeline window is read again). Objects are replaced only for the incidents that changed, so a new
 * timeline entry (most changes) re-renders no other pane and is never compared with the last view.
 */
function applyChanges(notice: ChangeNotice, changed: readonly IncidentChange[]): void {
  const { incidentIds } = notice;
  const selected = useUi.getState().selectedIncidentId;
  if (changed.length) {
    // The switcher's clocks of the other incidents come from the same views, before the list moves.
    applyOverviewChanges(changed);
    // A full read started before this change could answer after it, with the older view.
    if (listReads > 0) void refreshList();
    else {
      const byId = new Map(useIncidents.getState().list.map((i) => [i.id, i]));
      for (const change of changed) {
        if (change.summary) byId.set(change.incidentId, change.summary);
        else byId.delete(change.incidentId);
      }
      const list = [...byId.values()].sort(byRelevance);
      useIncidents.setState({ list });
      // A first incident (declared here or pulled) becomes the selection, as a full read would make it.
      if (!selected && list.length) useUi.getState().selectIncident(list[0]!.id);
    }
    const mine = changed.find((c) => c.incidentId === selected);
    if (mine) {
      if (currentReads > 0) void refreshCurrent();
      else useIncidents.setState({ current: mine.incident });
    }
  }
  // The rows came with the notice too, most of the time: a new entry shows without a read.
  if (selected && incidentIds.includes(selected) && !(notice.timeline && applyRowChanges(selected, notice.timeline))) void refreshTimeline();
}

/** Wire the stores to the API: initial load, the change stream, and a full refetch after a lost stream returns. */
export function startSync(): () => void {
  const stops = [
    api.onChange((notice) => {
      // An export's progress changes nothing stored.
      if (notice.progress && notice.eventIds.length === 0) return;
      if (notice.coreRestarted) {
        // A new core on the same record: everything shown is read again.
        useIncidents.setState({ coreRestarted: true });
        overviewStale();
        void refreshList();
        void refreshCurrent();
        return;
      }
      // Found damaged after it opened: the console info says so (App's banner).
      if (notice.storeDamaged) return void refreshList();
      // A sync state alone changes nothing shown here (features/sync reads it from the notice);
      // incidents named without events (sealed events opened once a team key came) are read again.
      if (notice.eventIds.length === 0 && notice.incidentIds.length === 0) return;
      if (notice.changed) return applyChanges(notice, notice.changed);
      overviewStale();
      void refreshList();
      const id = useUi.getState().selectedIncidentId;
      if (id && notice.incidentIds.includes(id)) void refreshCurrent();
    }),
    api.onReconnect(() => {
      overviewStale();
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
