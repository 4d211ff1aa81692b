import type { TFunction } from 'i18next';
import { AUDIENCES, COMMS_CHANNELS, DETECTION_SOURCES, parseEvent, asKnown, type EventEnvelope, type PayloadOf } from '../../../shared/record/events.js';
import type { IncidentView } from '../../../shared/record/fold.js';
import { priorityOf } from '../../../shared/incidents/priority.js';
import { describeClockEntry } from '../clocks/clock-text.js';
import { describeRoleEntry } from '../roles/roles-text.js';
import { describeDrillEvent } from '../library/drill-text.js';
import { describeOutsideEntry } from '../alerts/alert-text.js';
import { describeTaskDetail, taskCreatedDetails } from '../tasks/task-text.js';
import type { EntryText } from './entry-text.js';

export type { BadgeKind, EntryText } from './entry-text.js';

export function audienceLabel(audience: string, t: TFunction): string {
  return (AUDIENCES as readonly string[]).includes(audience) ? t(`audience.${audience as (typeof AUDIENCES)[number]}`) : audience;
}

export function channelLabel(channel: string, t: TFunction): string {
  return (COMMS_CHANNELS as readonly string[]).includes(channel) ? t(`channel.${channel as (typeof COMMS_CHANNELS)[number]}`) : channel;
}

function declarationDetails(p: PayloadOf<'incident.declared'>, t: TFunction): string[] {
  const source = (DETECTION_SOURCES as readonly string[]).includes(p.detectionSource) ? t(`detectionSource.${p.detectionSource}`) : p.detectionSource;
  return [
    p.description,
    p.services.length ? t('entry.declaredServices', { services: p.services.join(', ') }) : '',
    p.reporter ? t('entry.declaredReporter', { reporter: p.reporter, source }) : t('entry.declaredSource', { source }),
  ].filter((line) => line.length > 0);
}

/**
 * The sentence a timeline row shows. System events become translated sentences built from
 * their payload, naming tasks and audiences from the incident view; a kind this version
 * does not know (written by a newer one), or a payload that fails its schema, stays neutral.
 */
export function describeEntry(raw: EventEnvelope, view: IncidentView | null, t: TFunction): EntryText {
  let event;
  try {
    event = asKnown(parseEvent(raw));
  } catch {
    event = null;
  }
  if (!event) return { badge: 'unknown', text: t('timeline.unknownKind'), details: [], typed: false };
  const taskTitle = (taskId: string) => view?.tasks.find((x) => x.id === taskId)?.title ?? t('entry.unknownTask');
  const draftAudience = (draftId: string) => {
    const audience = view?.comms.find((d) => d.id === draftId)?.audience;
    return audience ? audienceLabel(audience, t) : t('entry.unknownAudience');
  };
  switch (event.kind) {
    case 'timeline.entry':
      return { badge: event.payload.entryKind, text: event.payload.text, details: [], typed: true };
    // Folded into the row they name (shared/timeline/timeline.ts), never shown as rows of their own.
    case 'timeline.corrected':
    case 'timeline.redacted':
    case 'timeline.starred':
      return { badge: 'unknown', text: '', details: [], typed: false };
    case 'incident.declared': {
      const p = event.payload;
      return {
        badge: 'declared',
        text: t('entry.declared', { title: p.title, priority: priorityOf(p.impact, p.urgency), commander: p.commander }),
        details: declarationDetails(p, t),
        typed: false,
      };
    }
    case 'incident.status':
      return { badge: 'status', text: t('entry.status', { status: t(`status.${event.payload.status}`) }), details: [], typed: false };
    case 'incident.priority': {
      const { impact, urgency } = event.payload;
      return {
        badge: 'priority',
        text: t('entry.priority', { priority: priorityOf(impact, urgency), impact: t(`level.${impact}`), urgency: t(`level.${urgency}`) }),
        details: [],
        typed: false,
      };
    }
    case 'incident.role':
      return { badge: 'role', text: t('entry.role', { person: event.payload.person, role: t(`role.${event.payload.role}`) }), details: [], typed: false };
    case 'incident.sme':
    case 'command.handoff_started':
    case 'command.handoff_acknowledged':
      return describeRoleEntry(event, t);
    case 'sla.paused':
      return { badge: 'sla', text: t('entry.slaPaused', { reason: event.payload.reason }), details: [], typed: false };
    case 'sla.resumed':
      return { badge: 'sla', text: t('entry.slaResumed'), details: [], typed: false };
    case 'sla.breached':
    case 'incident.timezones':
    case 'settings.sla':
    case 'settings.audience':
    case 'settings.callout':
      return describeClockEntry(event, t);
    // The review's own record (shared/review/review.ts): shown in review mode, never as timeline rows.
    case 'review.hidden':
    case 'review.moment':
    case 'review.comment':
    case 'review.hypothesis_state':
    case 'review.why':
    case 'review.factor':
    case 'review.note':
    case 'review.removed':
      return { badge: 'unknown', text: '', details: [], typed: false };
    case 'drill.started':
    case 'drill.stopped':
      return describeDrillEvent(event, t);
    case 'alert.received':
    case 'alert.acknowledged':
    case 'alert.linked':
    case 'alert.attached':
    case 'delivery.requested':
    case 'delivery.outcome':
    case 'status.visibility':
    case 'status.published':
      return describeOutsideEntry(event, t);
    case 'task.created': {
      const { title, owner } = event.payload;
      return {
        badge: 'task',
        text: owner ? t('entry.taskCreatedOwner', { title, owner }) : t('entry.taskCreated', { title }),
        details: taskCreatedDetails(event.payload, t),
        typed: false,
      };
    }
    case 'task.retitled':
    case 'task.due':
    case 'task.check_back':
      return { badge: 'task', text: describeTaskDetail(event, taskTitle(event.payload.taskId), t), details: [], typed: false };
    case 'task.assigned': {
      const title = taskTitle(event.payload.taskId);
      const owner = event.payload.owner;
      return { badge: 'task', text: owner ? t('entry.taskAssigned', { title, owner }) : t('entry.taskUnassigned', { title }), details: [], typed: false };
    }
    case 'task.moved':
      return {
        badge: 'task',
        text: t('entry.taskMoved', { title: taskTitle(event.payload.taskId), column: t(`taskStatus.${event.payload.status}`) }),
        details: [],
        typed: false,
      };
    case 'comms.drafted':
      return {
        badge: 'comms',
        text: t('entry.commsDrafted', { audience: audienceLabel(event.payload.audience, t), channel: channelLabel(event.payload.channel, t) }),
        details: [],
        typed: false,
      };
    case 'comms.edited':
      return { badge: 'comms', text: t('entry.commsEdited', { audience: draftAudience(event.payload.draftId) }), details: [], typed: false };
    case 'comms.approved':
      return { badge: 'comms', text: t('entry.commsApproved', { audience: draftAudience(event.payload.draftId) }), details: [], typed: false };
    case 'comms.sent':
      return {
        badge: 'comms',
        text: t('entry.commsSent', { audience: draftAudience(event.payload.draftId), channel: channelLabel(event.payload.channel, t) }),
        // The words that went out are part of the record, whatever later edits say.
        details: [event.payload.body],
        typed: false,
      };
  }
}
