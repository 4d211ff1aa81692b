import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import { AUDIENCES, type CommsChannelSchema } from '../../../shared/record/events.js';
import type { QuickCommand } from '../../../shared/timeline/quick-entry.js';
import type { z } from 'zod';
import { cadenceOf } from '../../../shared/clocks/policy.js';
import { foldText } from '../../../shared/text/fold.js';
import { api } from '../../api/client.js';
import { draftTemplate } from '../comms/comms-template.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { useTeamSettings } from '../clocks/store.js';

type Channel = z.infer<typeof CommsChannelSchema>;

/** Where each audience is usually told; the draft's channel can be changed before sending. */
const USUAL_CHANNEL: Record<string, Channel> = { customers: 'status_page', executives: 'email', internal: 'chat' };

/**
 * Bring a draft of the comms pane into view and put the focus on it, once it has rendered —
 * while `mayTakeFocus` says the person has not moved on. Under load a command's answer can
 * come after its change notice has drawn the draft, when the commander is already typing the
 * next command or acting elsewhere: taking the focus then sent their keys into the draft.
 */
function focusDraft(draftId: string, mayTakeFocus: () => boolean): void {
  const started = performance.now();
  const attempt = () => {
    if (!mayTakeFocus()) return;
    const item = document.querySelector<HTMLElement>(`[data-draft-id="${CSS.escape(draftId)}"]`);
    if (item) {
      item.scrollIntoView({ block: 'nearest' });
      (item.querySelector<HTMLElement>('button, textarea') ?? item).focus();
    } else if (performance.now() - started < 3000) requestAnimationFrame(attempt);
  };
  attempt();
}

/** The audience of the team's settings that `typed` names (any case, accents aside), or null when there is none. */
export function knownAudience(typed: string): string | null {
  // Until the settings have loaded, the built-in audiences are the ones known to exist.
  const names = useTeamSettings.getState().settings?.audiences.map((a) => a.name) ?? AUDIENCES;
  const key = foldText(typed);
  return names.find((name) => foldText(name) === key) ?? null;
}

/** Create an audience the person confirmed, with the usual cadence for a new one. */
export async function createAudienceNamed(audience: string): Promise<void> {
  await command('settings.setAudience', { audience, active: true });
}

/**
 * Run what the quick-entry bar parsed. Each command is one API call, so the record holds
 * exactly what the equivalent button would have recorded. Rejects with the ApiError.
 * `mayTakeFocus` is asked before a draft takes the keyboard (see focusDraft).
 */
export async function runQuickCommand(
  incidentId: string,
  parsed: QuickCommand,
  t: TFunction,
  locale: Locale,
  mayTakeFocus: () => boolean,
): Promise<'done' | 'reopened'> {
  switch (parsed.type) {
    case 'log':
      await command('timeline.log', { incidentId, entryKind: parsed.entryKind, text: parsed.text });
      return 'done';
    case 'task':
      await command('task.create', {
        incidentId,
        title: parsed.title,
        owner: parsed.owner,
        // A delay is counted on the core's clock, and a clock time ("14:32") is read by the core in its zone: the window's clock decides nothing.
        ...(parsed.checkBack?.type === 'in' && { checkBackInMs: parsed.checkBack.ms }),
        ...(parsed.checkBack?.type === 'at' && { checkBackWhen: parsed.checkBack.clock }),
      });
      return 'done';
    case 'status':
      await command('incident.setStatus', { incidentId, status: parsed.status });
      return 'done';
    case 'priority':
      await command('incident.setPriority', { incidentId, impact: parsed.impact, urgency: parsed.urgency });
      return 'done';
    case 'role':
      await command('incident.assignRole', { incidentId, role: parsed.role, person: parsed.person });
      return 'done';
    case 'pause':
      await command('sla.pause', { incidentId, reason: parsed.reason });
      return 'done';
    case 'resume':
      await command('sla.resume', { incidentId });
      return 'done';
    case 'update': {
      // An update not sent yet (draft or approved) for this audience is the one to finish, not a second one.
      const view = useIncidents.getState().current;
      const open = view?.comms.findLast((d) => d.audience === parsed.audience && d.state !== 'sent');
      if (open) {
        focusDraft(open.id, mayTakeFocus);
        return 'reopened';
      }
      // Filled as the comms pane's "fill from incident" would, so the writer starts from the record.
      let body = '';
      if (view) {
        const context = await api.call('comms.context', { incidentId, audience: parsed.audience });
        const cadence = cadenceOf(useTeamSettings.getState().settings ?? { audiences: [] }, parsed.audience);
        body = draftTemplate({ view, audience: parsed.audience, now: Date.now(), cadence, context }, t, locale);
      }
      const { draftId } = await command('comms.draft', { incidentId, audience: parsed.audience, channel: USUAL_CHANNEL[parsed.audience] ?? 'email', body });
      focusDraft(draftId, mayTakeFocus);
      return 'done';
    }
  }
}
