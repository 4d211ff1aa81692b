import { create } from 'zustand';
import type { z } from 'zod';
import type { TeamSettingsSchema } from '../../../shared/api/api.js';
import { SETTINGS_STREAM_ID } from '../../../shared/clocks/policy.js';
import { api } from '../../api/client.js';
import { coalesce } from '../../api/coalesce.js';
import { message, refreshCurrent } from '../incidents/view-sync.js';

export type TeamSettingsView = z.infer<typeof TeamSettingsSchema>;

/** Which clocks dialog is open; one at a time, so Esc always closes the one on top. */
export type ClocksDialog = 'settings' | 'pause' | 'zones' | null;

interface TeamSettingsState {
  settings: TeamSettingsView | null;
  error: string | null;
  dialog: ClocksDialog;
  /** The deputy call-out panel: opened by its timer or by the key. */
  calloutOpen: boolean;
  /** Why the last clock action from the header (resume) was refused. */
  actionError: string | null;
  setDialog(dialog: ClocksDialog): void;
  setCalloutOpen(open: boolean): void;
}

export const useTeamSettings = create<TeamSettingsState>()((set) => ({
  settings: null,
  error: null,
  dialog: null,
  calloutOpen: false,
  actionError: null,
  setDialog: (dialog) => set({ dialog }),
  setCalloutOpen: (calloutOpen) => set({ calloutOpen }),
}));

export const refreshSettings = coalesce(async () => {
  try {
    useTeamSettings.setState({ settings: await api.call('settings.get', {}), error: null });
  } catch (error) {
    useTeamSettings.setState({ error: message(error) });
  }
});

/**
 * Settings travel on their own stream: a change (typed here or pulled from another laptop)
 * re-reads them, and the open incident too, whose clocks follow the policy.
 */
export function startTeamSettings(): () => void {
  const stops = [
    api.onChange((notice) => {
      if (!notice.incidentIds.includes(SETTINGS_STREAM_ID)) return;
      void refreshSettings();
      void refreshCurrent();
    }),
    api.onReconnect(() => void refreshSettings()),
  ];
  void refreshSettings();
  return () => stops.forEach((stop) => stop());
}
