import { create } from 'zustand';
import type { ChannelInput, SyncStatus } from '../../../shared/api/api.js';
import { api } from '../../api/client.js';
import { message } from '../incidents/view-sync.js';

interface SyncStatusState {
  /** The engine's last word; null until the first answer. */
  status: SyncStatus | null;
  /** Why the status could not be read at all. */
  readError: string | null;
  settingsOpen: boolean;
  setSettingsOpen(open: boolean): void;
}

export const useSyncStatus = create<SyncStatusState>()((set) => ({
  status: null,
  readError: null,
  settingsOpen: false,
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
}));

/**
 * Change notices and call answers travel on different connections, so an answer can land
 * after a newer notice. The engine announces every change of its state, so a notice that
 * arrived while a call was in flight is at least as fresh as the call's answer.
 */
let noticesSeen = 0;

async function callForStatus(run: () => Promise<SyncStatus>): Promise<SyncStatus> {
  const before = noticesSeen;
  const status = await run();
  if (noticesSeen === before) useSyncStatus.setState({ status, readError: null });
  return status;
}

export async function refreshSyncStatus(): Promise<void> {
  try {
    await callForStatus(() => api.call('sync.status', {}));
  } catch (error) {
    useSyncStatus.setState({ readError: message(error) });
  }
}

/** Rejects with the ApiError (its issues name the fields), for the settings dialog to show inline. */
export function configureSync(input: ChannelInput<'sync.configure'>): Promise<SyncStatus> {
  return callForStatus(() => api.call('sync.configure', input));
}

export function syncNow(): Promise<SyncStatus> {
  return callForStatus(() => api.call('sync.now', {}));
}

/** Feed the store from the change stream, and sync at once when the OS says the network is back. */
export function startSyncStatus(): () => void {
  const onOnline = () => {
    // A console whose core has no sync answers with a conflict; the header already says "Sync off".
    syncNow().catch(() => undefined);
  };
  window.addEventListener('online', onOnline);
  const stops = [
    api.onChange((notice) => {
      if (!notice.sync) return;
      noticesSeen++;
      useSyncStatus.setState({ status: notice.sync, readError: null });
    }),
    // Notices sent while the stream was down are lost; read the state afresh.
    api.onReconnect(() => void refreshSyncStatus()),
    () => window.removeEventListener('online', onOnline),
  ];
  void refreshSyncStatus();
  return () => stops.forEach((stop) => stop());
}
