import { create } from 'zustand';
import type { z } from 'zod';
import type { AlertViewSchema } from '../../../shared/alerts/channels.js';
import { ALERTS_STREAM_ID } from '../../../shared/alerts/events.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';
import { message } from '../incidents/view-sync.js';

export type AlertItem = z.infer<typeof AlertViewSchema>;

interface AlertsState {
  alerts: AlertItem[];
  error: string | null;
  open: boolean;
  /** The alert the inbox opens on (chosen in the palette); null: the first. */
  focus: string | null;
  setOpen(open: boolean, focus?: string | null): void;
}

export const useAlerts = create<AlertsState>()((set) => ({
  alerts: [],
  error: null,
  open: false,
  focus: null,
  setOpen: (open, focus = null) => set({ open, focus }),
}));

export const refreshAlerts = coalesce(async () => {
  try {
    useAlerts.setState({ alerts: await api.call('alerts.list', {}), error: null });
  } catch (error) {
    useAlerts.setState({ error: message(error) });
  }
});

/** Alerts travel on their own stream: anything committed on it (pulled from the hub, or acted on here) re-reads the inbox. */
export function startAlerts(): () => void {
  const stops = [
    api.onChange((notice) => {
      if (notice.incidentIds.includes(ALERTS_STREAM_ID)) void refreshAlerts();
    }),
    api.onReconnect(() => void refreshAlerts()),
  ];
  void refreshAlerts();
  return () => stops.forEach((stop) => stop());
}

/** The number of alerts nobody has looked at yet, for the header's badge. */
export const useNewAlertCount = () => useAlerts((s) => s.alerts.filter((a) => a.state === 'new').length);
