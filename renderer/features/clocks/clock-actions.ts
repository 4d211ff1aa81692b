import { slaClocks } from '../../../shared/clocks/sla.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { message } from '../incidents/view-sync.js';
import { useTeamSettings, type ClocksDialog } from './store.js';

/** Keys of the clocks, registered in renderer/app/shortcuts.ts and shown on their buttons. */
export const CLOCK_KEYS = { pause: 'p', zones: 'w', settings: ',', callout: 'd' } as const;

const STOPPED = ['resolved', 'closed', 'reviewed'];

/** Whether the open incident's clocks may be paused now: the policy allows it and the clocks still run. */
export function canPause(): boolean {
  const { current: view, slaPolicy: policy } = useIncidents.getState();
  return !!view && !!policy && policy[view.priority].pausable && !STOPPED.includes(view.status);
}

/** The pause key: resume at once when paused (nothing to ask), otherwise ask for the reason. */
export function togglePause(): void {
  const { current: view, slaPolicy: policy } = useIncidents.getState();
  if (!view || !policy) return;
  if (slaClocks(view, policy, Date.now()).paused) {
    useTeamSettings.setState({ actionError: null });
    // The core stamps the resume with its own clock: this window's may be wrong.
    command('sla.resume', { incidentId: view.id }).catch((error: unknown) => useTeamSettings.setState({ actionError: message(error) }));
  } else if (canPause()) openClocksDialog('pause');
}

export function openClocksDialog(dialog: Exclude<ClocksDialog, null>): void {
  if (dialog !== 'settings' && !useIncidents.getState().current) return;
  useTeamSettings.getState().setDialog(dialog);
}

export function toggleCallout(): void {
  const state = useTeamSettings.getState();
  state.setCalloutOpen(!state.calloutOpen);
}
