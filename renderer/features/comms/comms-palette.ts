import type { TFunction } from 'i18next';
import { COMMS_CHANNELS } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { command } from '../../app/actions.js';
import { audienceLabel, channelLabel } from '../timeline/timeline-text.js';

/** The shape of a command-palette action (PaletteAction in palette.ts), spelled out so this file stands on its own. */
interface CommsPaletteAction {
  id: string;
  label: string;
  group: string;
  keywords?: string;
  run(): void | Promise<void>;
}

/** Approve a draft and mark an approved update sent, from the palette: each update by its audience and channel. */
export function commsActions({ t, incident }: { t: TFunction; incident: IncidentView | null }): CommsPaletteAction[] {
  if (!incident) return [];
  const group = t('palette.group.comms');
  return incident.comms.flatMap((draft): CommsPaletteAction[] => {
    const names = { audience: audienceLabel(draft.audience, t), channel: channelLabel(draft.channel, t) };
    if (draft.state === 'draft') {
      return [
        {
          id: `comms.approve.${draft.id}`,
          label: t('layout.palette.approve', names),
          group,
          keywords: 'approve approuver valider',
          run: async () => {
            await command('comms.approve', { incidentId: incident.id, draftId: draft.id });
          },
        },
      ];
    }
    if (draft.state === 'approved') {
      // A channel named by a newer version is sent as "other", as the pane does.
      const channel = (COMMS_CHANNELS as readonly string[]).includes(draft.channel) ? (draft.channel as (typeof COMMS_CHANNELS)[number]) : 'other';
      return [
        {
          id: `comms.send.${draft.id}`,
          label: t('layout.palette.send', names),
          group,
          keywords: 'send sent envoyer envoyé',
          run: async () => {
            await command('comms.send', { incidentId: incident.id, draftId: draft.id, channel });
          },
        },
      ];
    }
    return [];
  });
}
