import type { TFunction } from 'i18next';
import { syncNow, useSyncStatus } from './store.js';

/** The shape of a command-palette action (PaletteAction in palette.ts), spelled out so this file stands on its own. */
interface SyncPaletteAction {
  id: string;
  label: string;
  group: string;
  shortcut?: string;
  keywords?: string;
  run(): void | Promise<void>;
}

/** The palette's sync actions: the settings always, "sync now" once sync is set up. */
export function syncActions({ t }: { t: TFunction }): SyncPaletteAction[] {
  const group = t('sync.palette.group');
  const status = useSyncStatus.getState().status;
  const actions: SyncPaletteAction[] = [
    {
      id: 'sync.settings',
      label: t('sync.palette.settings'),
      group,
      shortcut: t('keys.y'),
      keywords: 'hub token sync synchronisation jeton',
      run: () => useSyncStatus.getState().setSettingsOpen(true),
    },
  ];
  if (status && status.state !== 'disabled') {
    actions.push({
      id: 'sync.now',
      label: t('sync.palette.now'),
      group,
      keywords: 'hub sync synchroniser',
      run: async () => {
        await syncNow();
      },
    });
  }
  return actions;
}
