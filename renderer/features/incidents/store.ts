import { create } from 'zustand';
import type { AppInfoSchema, IncidentSummary } from '../../../shared/api/api.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import type { z } from 'zod';

export type AppInfo = z.infer<typeof AppInfoSchema>;

interface IncidentsState {
  info: AppInfo | null;
  list: IncidentSummary[];
  listLoaded: boolean;
  /** Why the list (and so the console) could not load; shown with a retry. */
  loadError: string | null;
  current: IncidentView | null;
  slaPolicy: SlaPolicy | null;
  connected: boolean;
  /** The core's worker died and was replaced: said once in a banner until dismissed. */
  coreRestarted: boolean;
}

export const useIncidents = create<IncidentsState>()(() => ({
  info: null,
  list: [],
  listLoaded: false,
  loadError: null,
  current: null,
  slaPolicy: null,
  connected: true,
  coreRestarted: false,
}));
