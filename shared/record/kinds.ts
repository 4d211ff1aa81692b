import { EVENT_KINDS, isKnownKind, type EventEnvelope, type EventKind } from './events.js';
import { TIMELINE_BADGES, type FoldName, type KindSpec, type TimelineBadge } from './kind-spec.js';
import { ALERT_KINDS } from '../alerts/kinds.js';
import { CLOCK_KINDS } from '../clocks/kinds.js';
import { COMMS_KINDS } from '../comms/kinds.js';
import { DELIVERY_KINDS } from '../deliveries/kinds.js';
import { DRILL_KINDS } from '../drills/kinds.js';
import { INCIDENT_KINDS } from '../incidents/kinds.js';
import { REVIEW_KINDS } from '../review/kinds.js';
import { ROLE_KINDS } from '../roles/kinds.js';
import { STATUS_KINDS } from '../status/kinds.js';
import { TASK_KINDS_REGISTRY } from '../tasks/kinds.js';
import { TIMELINE_KINDS } from '../timeline/kinds.js';

/**
 * The one registry of event kinds: every kind with a payload schema in shared/record/events.ts
 * has exactly one entry here, declared by its feature (shared/<feature>/kinds.ts). The
 * `satisfies` below fails the typecheck when a kind has no entry, and the timeline's badge and
 * sentence, the search, the report line and the incident fold all read this one table.
 * ARCHITECTURE.md's "Add an event kind" recipe says what a new kind needs.
 */
export const KINDS = {
  ...INCIDENT_KINDS,
  ...ROLE_KINDS,
  ...CLOCK_KINDS,
  ...TIMELINE_KINDS,
  ...TASK_KINDS_REGISTRY,
  ...COMMS_KINDS,
  ...DRILL_KINDS,
  ...REVIEW_KINDS,
  ...ALERT_KINDS,
  ...DELIVERY_KINDS,
  ...STATUS_KINDS,
} as const satisfies { [K in EventKind]: KindSpec<K> };

/** A registry entry without a schema fails here (the test checks the same at run time). */
type Unschema = Exclude<keyof typeof KINDS, EventKind>;
export const NO_ENTRY_WITHOUT_SCHEMA: [Unschema] extends [never] ? true : never = true;

/** The kinds a given fold reads, as a type: shared/record/fold.ts switches over exactly the incident's. */
export type KindFoldedBy<F extends FoldName> = { [K in EventKind]: (typeof KINDS)[K]['fold'] extends F ? K : never }[EventKind];

export function kindSpec<K extends EventKind>(kind: K): KindSpec<K> {
  return KINDS[kind] as KindSpec<K>;
}

export function isFoldedBy(kind: string, fold: FoldName): boolean {
  return isKnownKind(kind) && KINDS[kind].fold === fold;
}

/**
 * Whether an event is a row of its stream's timeline (and a line of the report), is folded into
 * the row it names, or is shown by its own view. A kind this version does not know is a row:
 * it is kept, and shown with a neutral sentence until an upgrade understands it.
 */
export function shownAs(kind: string): 'row' | 'annotation' | 'elsewhere' {
  return SHOWN_AS.get(kind) ?? 'row';
}

/** Each known kind's `shown`, looked up once per call (asked several times for each event a catch-up stores). */
const SHOWN_AS: ReadonlyMap<string, 'row' | 'annotation' | 'elsewhere'> = new Map(EVENT_KINDS.map((kind) => [kind, KINDS[kind].shown]));

const isBadge = (value: unknown): value is TimelineBadge => (TIMELINE_BADGES as readonly unknown[]).includes(value);

/**
 * The badge of an unknown kind, by its domain: the badge every known kind of that domain shares
 * (a newer `task.*` kind is still a task), or "other" when they differ or the domain is new.
 */
const DOMAIN_BADGES = (() => {
  const byDomain = new Map<string, Set<TimelineBadge>>();
  for (const [kind, spec] of Object.entries(KINDS) as [EventKind, KindSpec<EventKind>][]) {
    if (spec.shown !== 'row') continue;
    const domain = kind.slice(0, kind.indexOf('.'));
    const badges = byDomain.get(domain) ?? new Set();
    badges.add(typeof spec.badge === 'string' ? spec.badge : 'other');
    byDomain.set(domain, badges);
  }
  return new Map([...byDomain].map(([domain, badges]) => [domain, badges.size === 1 ? [...badges][0]! : 'other']));
})();

/** What a row is shown and filtered as. The payload was checked when the event was stored; a badge that is not one still falls back on "other". */
export function badgeOf(event: EventEnvelope): TimelineBadge {
  if (!isKnownKind(event.kind)) return DOMAIN_BADGES.get(event.kind.slice(0, event.kind.indexOf('.'))) ?? 'other';
  const spec = kindSpec(event.kind);
  if (spec.shown !== 'row') return 'other';
  if (typeof spec.badge === 'string') return spec.badge;
  try {
    const badge = spec.badge(event.payload as never);
    return isBadge(badge) ? badge : 'other';
  } catch {
    return 'other';
  }
}
