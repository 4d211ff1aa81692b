import { refuse, type ErrorParams, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { EventKind, PayloadOf } from '../../../shared/record/events.js';
import type { IncidentState } from '../../../shared/record/fold.js';
import type { TIMELINE_CHANNELS } from '../../../shared/timeline/channels.js';
import { isTypedEntry } from '../../../shared/timeline/timeline.js';
import type { TimelineRows } from '../../store/timeline-rows.js';

type TimelineChannel = keyof typeof TIMELINE_CHANNELS;
export type TimelineHandlers = { [C in TimelineChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** What the timeline commands need from the core, without reaching into its internals. */
export interface TimelineDeps {
  rows: TimelineRows;
  now: () => number;
  /** A typed moment read on the core's clock and in its zone, or a refusal saying why not. */
  pastTime(typed: string): number;
  requireIncident(incidentId: string): IncidentState;
  record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string };
}

const conflict = (reason: string, message: string, params?: ErrorParams) => refuse('conflict', reason, message, params);

/**
 * Reading the timeline a window at a time, and annotating entries. Nothing is edited in
 * place: a correction, a redaction and a star are new events naming their target.
 */
export function timelineHandlers(deps: TimelineDeps): TimelineHandlers {
  /** The entry a command names, as it stands; not found when it is not a row of this incident. */
  const target = (incidentId: string, targetId: string) => {
    deps.requireIncident(incidentId);
    return deps.rows.row(incidentId, targetId);
  };
  const typedOnly = (event: Parameters<typeof isTypedEntry>[0], what: string) => {
    if (!isTypedEntry(event)) {
      throw refuse(
        'invalid_input',
        'typed_entries_only',
        `Only typed entries (notes, decisions, actions, findings, hypotheses, external reports) can be ${what}: a status, priority, role, task or comms entry mirrors the incident, so record the right change instead.`,
        { action: what },
      );
    }
  };
  return {
    'timeline.query': (input) => deps.rows.query(input),
    'timeline.history': ({ incidentId, targetId }) => deps.rows.history(incidentId, targetId),
    'timeline.authors': ({ incidentId }) => deps.rows.authors(incidentId),
    'timeline.correct': ({ incidentId, targetId, text, occurredAt: given, occurredAtWhen }) => {
      const row = target(incidentId, targetId);
      const occurredAt = occurredAtWhen !== undefined ? deps.pastTime(occurredAtWhen) : given;
      typedOnly(row.event, 'corrected');
      if (row.redaction && text !== undefined)
        throw conflict('redacted_no_correction', `This entry was redacted by ${row.redaction.by}: its text cannot be corrected. Log a new entry instead.`, {
          by: row.redaction.by,
        });
      const newText = text !== undefined && text !== row.text ? text : undefined;
      const newOccurredAt = occurredAt !== undefined && occurredAt !== row.occurredAt ? occurredAt : undefined;
      if (newText === undefined && newOccurredAt === undefined)
        throw conflict('correction_unchanged', 'Nothing to correct: the text and the time are unchanged.');
      return deps.record(incidentId, 'timeline.corrected', {
        targetId,
        ...(newText !== undefined && { newText }),
        ...(newOccurredAt !== undefined && { newOccurredAt }),
        occurredAt: deps.now(),
      });
    },
    'timeline.redact': ({ incidentId, targetId, reason }) => {
      const row = target(incidentId, targetId);
      typedOnly(row.event, 'redacted');
      if (row.redaction) throw conflict('already_redacted', `This entry was already redacted by ${row.redaction.by}.`, { by: row.redaction.by });
      return deps.record(incidentId, 'timeline.redacted', { targetId, reason, occurredAt: deps.now() });
    },
    'timeline.star': ({ incidentId, targetId, starred }) => {
      const row = target(incidentId, targetId);
      if (row.starred === starred)
        throw starred ? conflict('already_starred', 'This entry is already starred.') : conflict('not_starred', 'This entry is not starred.');
      return deps.record(incidentId, 'timeline.starred', { targetId, starred, occurredAt: deps.now() });
    },
  };
}
