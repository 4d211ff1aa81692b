import type { TFunction } from 'i18next';
import { useAlerts } from './store.js';

/** The shape of a command-palette action and step (palette.ts), spelled out so this file stands on its own. */
interface AlertChoiceStep {
  kind: 'choice';
  title: string;
  choices: { value: string; label: string; hint?: string; keywords?: string }[];
  submit(value: string): void;
}
interface AlertPaletteAction {
  id: string;
  label: string;
  group: string;
  shortcut?: string;
  keywords?: string;
  run(): void | AlertChoiceStep;
}

/**
 * The alert inbox in the palette: its entry says how many alerts are new; with alerts, it asks
 * which one (new first, as the inbox lists them) and opens the inbox on it, where Enter declares,
 * t attaches and k acknowledges.
 */
export function alertActions({ t }: { t: TFunction }): AlertPaletteAction[] {
  const { alerts } = useAlerts.getState();
  const fresh = alerts.filter((a) => a.state === 'new').length;
  const open = (fingerprint: string | null) => useAlerts.getState().setOpen(true, fingerprint);
  return [
    {
      id: 'alerts.inbox',
      label: fresh > 0 ? t('alerts.palette.inboxNew', { count: fresh }) : t('alerts.palette.inbox'),
      group: t('alerts.palette.group'),
      shortcut: t('keys.alerts'),
      keywords: 'alert alerte monitoring inbox boîte',
      run: () => {
        if (alerts.length === 0) return open(null);
        const ordered = [...alerts.filter((a) => a.state === 'new'), ...alerts.filter((a) => a.state !== 'new')];
        return {
          kind: 'choice',
          title: t('alerts.palette.which'),
          choices: ordered.map((a) => ({
            value: a.fingerprint,
            label: `${t(`alerts.severity.${a.severity}`)} · ${a.title}`,
            hint: t(`alerts.state.${a.state}`),
            keywords: a.integration,
          })),
          submit: (fingerprint) => open(fingerprint),
        };
      },
    },
  ];
}
