import { AUDIENCES, BRIEFING_LIMITS, LIMITS, asKnown, occurredAtOf, type Briefing, type EventEnvelope, type TaskStatus } from '../record/events.js';
import type { IncidentView } from '../record/fold.js';
import { SINGLE_ROLES } from './roles.js';
import { slaClocks, type SlaClock, type SlaPolicy } from '../clocks/sla.js';

/**
 * The hand-off briefing: what an incoming commander needs to take over, drawn from the record
 * alone (DOMAIN.md, "hand off command cleanly"). Pure, so the console can show the outgoing
 * commander exactly what will be stored in the hand-off event before it is recorded.
 */
export interface BriefingInput {
  view: IncidentView;
  /** The incident's timeline: hypotheses are entries, not part of the folded state. */
  entries: readonly EventEnvelope[];
  policy: SlaPolicy;
  now: number;
  /** The outgoing commander's own words. */
  note: string;
  /** When the next update to an audience is due (its cadence is the team's setting); null when no countdown applies. */
  nextUpdateDue: (audience: string) => number | null;
  /** Verdicts recorded on hypotheses (by entry id); a hypothesis without one is still open. */
  verdicts?: Readonly<Record<string, HypothesisState>>;
}

type HypothesisState = Briefing['hypotheses'][number]['state'];

/** Blocked first: that is where the incoming commander is most likely needed. */
const TASK_ORDER: Record<TaskStatus, number> = { blocked: 0, doing: 1, todo: 2, done: 3 };

export function excerpt(text: string, max: number = BRIEFING_LIMITS.excerpt): string {
  const clean = text.trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

function snapshot(clock: SlaClock): Briefing['sla']['response'] {
  return {
    phase: clock.phase,
    targetMs: clock.targetMs,
    remainingMs: clock.remainingMs === null ? null : Math.round(clock.remainingMs),
    deadline: clock.deadline === null ? null : Math.round(clock.deadline),
  };
}

function hypotheses(entries: readonly EventEnvelope[], verdicts: Readonly<Record<string, HypothesisState>>): Briefing['hypotheses'] {
  const all: Briefing['hypotheses'] = [];
  for (const raw of entries) {
    const event = asKnown(raw);
    if (event?.kind !== 'timeline.entry' || event.payload.entryKind !== 'hypothesis') continue;
    all.push({ entryId: event.id, text: excerpt(event.payload.text), at: occurredAtOf(event), by: event.actor, state: verdicts[event.id] ?? 'open' });
  }
  return all.sort((a, b) => a.at - b.at);
}

/**
 * The briefing as the core records it: the window built it for the person to read, but its
 * clock may be wrong, so the time it was made and the SLA clocks in it are the core's (issue #10).
 */
export function stampBriefing(briefing: Briefing, view: IncidentView, policy: SlaPolicy, now: number): Briefing {
  const clocks = slaClocks(view, policy, now);
  return {
    ...briefing,
    generatedAt: now,
    sla: { response: snapshot(clocks.response), resolution: snapshot(clocks.resolution), pauseReason: clocks.pauseReason },
  };
}

export function buildBriefing({ view, entries, policy, now, note, nextUpdateDue, verdicts = {} }: BriefingInput): Briefing {
  const roles: Briefing['roles'] = [];
  for (const role of SINGLE_ROLES) {
    const person = view.roles[role];
    if (person) roles.push({ role, person, speciality: '' });
  }
  for (const sme of view.smes) roles.push({ role: 'sme', person: sme.person, speciality: sme.speciality });

  const allHypotheses = hypotheses(entries, verdicts);
  const open = view.tasks
    // A task whose creation has not arrived yet (sync in progress) has no title to hand over.
    .filter((t) => t.status !== 'done' && t.title !== '')
    .sort((a, b) => TASK_ORDER[a.status] - TASK_ORDER[b.status] || (a.createdAt ?? 0) - (b.createdAt ?? 0));

  const audiences = new Set<string>(AUDIENCES);
  for (const draft of view.comms) if (draft.audience) audiences.add(draft.audience);
  const lastSent = (audience: string) =>
    view.comms.reduce<number | null>((last, d) => (d.audience === audience && d.sentAt !== null && (last === null || d.sentAt > last) ? d.sentAt : last), null);

  const clocks = slaClocks(view, policy, now);
  return {
    generatedAt: now,
    from: view.roles.commander ?? '',
    status: view.status,
    priority: view.priority,
    impact: view.impact,
    urgency: view.urgency,
    roles: roles.slice(0, LIMITS.list),
    hypotheses: allHypotheses.slice(-BRIEFING_LIMITS.hypotheses),
    hypothesesTotal: allHypotheses.length,
    openTasks: open.slice(0, BRIEFING_LIMITS.tasks).map((t) => ({ taskId: t.id, title: t.title, owner: t.owner, status: t.status })),
    openTasksTotal: open.length,
    audiences: [...audiences].slice(0, LIMITS.list).map((audience) => {
      const lastSentAt = lastSent(audience);
      return { audience, lastSentAt, nextDueAt: nextUpdateDue(audience) };
    }),
    sla: { response: snapshot(clocks.response), resolution: snapshot(clocks.resolution), pauseReason: clocks.pauseReason },
    note: note.trim(),
  };
}
