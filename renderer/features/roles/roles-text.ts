import type { TFunction } from 'i18next';
import type { KnownEvent } from '../../../shared/record/events.js';
import type { EntryText } from '../timeline/entry-text.js';

type RoleEvent = Extract<KnownEvent, { kind: 'incident.sme' | 'command.handoff_started' | 'command.handoff_acknowledged' }>;

/**
 * Timeline sentences for experts and hand-offs. A hand-off start carries its briefing: the row
 * says what was handed over (status, priority, how many open tasks and hypotheses, the note),
 * and the full briefing stays in the record.
 */
export function describeRoleEntry(event: RoleEvent, t: TFunction): EntryText {
  switch (event.kind) {
    case 'incident.sme': {
      const { person, speciality, active } = event.payload;
      const text = !active
        ? t('entry.smeRemoved', { person })
        : speciality
          ? t('entry.smeAdded', { person, speciality })
          : t('entry.smeAddedPlain', { person });
      return { badge: 'role', text, details: [], typed: false };
    }
    case 'command.handoff_started': {
      const { to, briefing } = event.payload;
      const summary = t('entry.handoffSummary', {
        status: t(`status.${briefing.status}`),
        priority: briefing.priority,
        tasks: t('entry.handoffTasks', { count: briefing.openTasksTotal }),
        hypotheses: t('entry.handoffHypotheses', { count: briefing.hypothesesTotal }),
      });
      return {
        badge: 'handoff',
        text: t('entry.handoffStarted', { from: briefing.from || t('header.noCommander'), to }),
        details: [summary, briefing.note].filter((line) => line.length > 0),
        typed: false,
      };
    }
    case 'command.handoff_acknowledged':
      return { badge: 'handoff', text: t('entry.handoffAcknowledged', { commander: event.payload.commander }), details: [], typed: false };
  }
}
