import { newId } from '../ids/new-id.js';
import { ApiError, refuse, type ErrorParams, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { EventKind, PayloadOf } from '../../../shared/record/events.js';
import { viewIncident, type IncidentState } from '../../../shared/record/fold.js';
import { personKey, type ROLE_CHANNELS } from '../../../shared/roles/roles.js';
import { stampBriefing } from '../../../shared/roles/handoff.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import { PeopleDirectory } from '../people/people.js';

type RoleChannel = keyof typeof ROLE_CHANNELS;
export type RoleHandlers = { [C in RoleChannel]: (input: ParsedInput<C>) => ChannelOutput<C> };

/** What the role and hand-off commands need from the core, without reaching into its internals. */
export interface RoleDeps {
  people: PeopleDirectory;
  now: () => number;
  slaPolicy: () => SlaPolicy;
  requireIncident(incidentId: string): IncidentState;
  record<K extends EventKind>(incidentId: string, kind: K, payload: PayloadOf<K>): { incidentId: string; eventId: string };
}

const conflict = (reason: string, message: string, params?: ErrorParams) => refuse('conflict', reason, message, params);

/** The people directory (local, never an event), experts on an incident, and the hand-off of command. */
export function roleHandlers(deps: RoleDeps): RoleHandlers {
  return {
    'people.list': () => deps.people.list(),
    'people.save': (input) => deps.people.save(input),
    'people.remove': ({ id }) => deps.people.remove(id),
    'incident.setSme': ({ incidentId, person, speciality, active }) => {
      const current = deps.requireIncident(incidentId).smes?.[personKey(person)]?.value;
      if (!active && !current?.active) throw conflict('not_an_expert', `${person} is not an expert on this incident.`, { person });
      if (active && current?.active && current.speciality === speciality)
        throw conflict('already_an_expert', `${person} is already an expert on this incident.`, { person });
      return deps.record(incidentId, 'incident.sme', { person, speciality, active, occurredAt: deps.now() });
    },
    'command.startHandoff': ({ incidentId, to, briefing }) => {
      const state = deps.requireIncident(incidentId);
      const commander = state.roles.commander?.value ?? '';
      if (personKey(to) === personKey(commander)) throw conflict('already_commander', `${to} is already the incident commander.`, { person: to });
      const handoffId = newId();
      // The record says who held command when the hand-off started, whatever the briefing was built from.
      const now = deps.now();
      const view = viewIncident(state);
      const stamped = view ? stampBriefing(briefing, view, deps.slaPolicy(), now) : briefing;
      const payload = { handoffId, to, briefing: { ...stamped, from: commander }, occurredAt: now };
      return { ...deps.record(incidentId, 'command.handoff_started', payload), handoffId };
    },
    'command.acknowledgeHandoff': ({ incidentId, handoffId }) => {
      const state = deps.requireIncident(incidentId);
      const handoff = state.handoffs?.[handoffId];
      if (!handoff?.started) throw new ApiError({ code: 'not_found', message: `No hand-off with id ${handoffId} in this incident.` });
      if (handoff.acknowledged)
        throw conflict('handoff_acknowledged', `This hand-off was already acknowledged by ${handoff.acknowledged.value.by}.`, {
          person: handoff.acknowledged.value.by,
        });
      if (viewIncident(state)?.pendingHandoffId !== handoffId) {
        throw conflict('handoff_replaced', 'This hand-off is no longer current: a later hand-off or a change of commander replaced it.');
      }
      return deps.record(incidentId, 'command.handoff_acknowledged', { handoffId, commander: handoff.started.value.to, occurredAt: deps.now() });
    },
  };
}
