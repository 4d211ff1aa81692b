import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import type { CommsChannelSchema } from '../../../shared/record/events.js';
import type { QuickCommand } from '../../../shared/timeline/quick-entry.js';
import type { z } from 'zod';
import { cadenceOf } from '../../../shared/clocks/policy.js';
import { api } from '../../api/client.js';
import { draftTemplate } from '../comms/comms-template.js';
import { command } from '../../app/actions.js';
import { useIncidents } from '../incidents/store.js';
import { useTeamSettings } from '../clocks/store.js';

type Channel = z.infer<typeof CommsChannelSchema>;

/** Where each audience is usually told; the draft's channel can be changed before sending. */
const USUAL_CHANNEL: Record<string, Channel> = { customers: 'status_page', executives: 'email', internal: 'chat' };

/** Bring a draft of the comms pane into view and put the focus on it, once it has rendered. */
function focusDraft(draftId: string): void {
  const started = performance.now();
  const attempt = () => {
    const item = document.querySelector<HTMLElement>(`[data-draft-id="${CSS.escape(draftId)}"]`);
    if (item) {
      item.scrollIntoView({ block: 'nearest' });
      (item.querySelector<HTMLElement>('button, textarea') ?? item).focus();
    } else if (performance.now() - started < 3000) requestAnimationFrame(attempt);
  };
  attempt();
}

/**
 * Run what the quick-entry bar parsed. Each command is one API call, so the record holds
 * exactly what the equivalent button would have recorded. Rejects with the ApiError.
 */
export async function runQuickCommand(incidentId: string, parsed: QuickCommand, t: TFunction, locale: Locale): Promise<void> {
  switch (parsed.type) {
    case 'log':
      await command('timeline.log', { incidentId, entryKind: parsed.entryKind, text: parsed.text });
      return;
    case 'task':
      await command('task.create', {
        incidentId,
        title: parsed.title,
        owner: parsed.owner,
        ...(parsed.checkBackMs !== null && { checkBackAt: Date.now() + parsed.checkBackMs }),
      });
      return;
    case 'status':
      await command('incident.setStatus', { incidentId, status: parsed.status });
      return;
    case 'priority':
      await command('incident.setPriority', { incidentId, impact: parsed.impact, urgency: parsed.urgency });
      return;
    case 'role':
      await command('incident.assignRole', { incidentId, role: parsed.role, person: parsed.person });
      return;
    case 'pause':
      await command('sla.pause', { incidentId, reason: parsed.reason });
      return;
    case 'resume':
      await command('sla.resume', { incidentId });
      return;
    case 'update': {
      // An update still in draft for this audience is the one to finish, not a second one.
      const view = useIncidents.getState().current;
      const open = view?.comms.findLast((d) => d.audience === parsed.audience && d.state === 'draft');
      if (open) {
        focusDraft(open.id);
        return;
      }
      // Filled as the comms pane's "fill from incident" would, so the writer starts from the record.
      let body = '';
      if (view) {
        const context = await api.call('comms.context', { incidentId, audience: parsed.audience });
        const cadence = cadenceOf(useTeamSettings.getState().settings ?? { audiences: [] }, parsed.audience);
        body = draftTemplate({ view, audience: parsed.audience, now: Date.now(), cadence, context }, t, locale);
      }
      const { draftId } = await command('comms.draft', { incidentId, audience: parsed.audience, channel: USUAL_CHANNEL[parsed.audience] ?? 'email', body });
      focusDraft(draftId);
      return;
    }
  }
}
