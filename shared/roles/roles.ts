import { z } from 'zod';
import { BriefingSchema, IdSchema, LIMITS, PersonNameSchema, TimestampSchema, type Role } from '../record/events.js';

/**
 * Roles on a major incident (DOMAIN.md) and the people directory used to fill them.
 *
 * The directory is personal contact data kept on this device only: it never becomes an event,
 * so it is neither synced to the hub nor written into the incident record. Only the name
 * chosen for a role (or a task owner) enters the record, through the role's event.
 */

/** One-person roles, in the order the console lists them; subject-matter experts are a set beside them. */
export const SINGLE_ROLES = ['commander', 'deputy', 'scribe', 'comms_lead', 'ops_lead'] as const satisfies readonly Role[];

/** Specialities offered first when naming an expert; any other text is allowed. */
export const SME_SPECIALITIES = ['network', 'application', 'security', 'database', 'infrastructure', 'supplier'] as const;

/** Two spellings of one name ("ana", "Ana ") are the same person, for the expert set and the directory. */
export function personKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** No control characters: a contact pasted from a chat must not carry line breaks into a name field. */
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
const text = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .regex(PRINTABLE, `${what} cannot contain line breaks or control characters`);

export const PersonSchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  team: z.string(),
  contact: z.string(),
  updatedAt: TimestampSchema,
});
export type Person = z.infer<typeof PersonSchema>;

/** What the user types into the directory; without an id it adds a person, with one it edits them. */
export const PersonInputSchema = z.strictObject({
  id: IdSchema.optional(),
  name: text(LIMITS.name, 'Name').min(1, 'Name is required'),
  team: text(LIMITS.name, 'Team').default(''),
  contact: text(LIMITS.shortText, 'Contact').default(''),
});
export type PersonInput = z.input<typeof PersonInputSchema>;

/** Directory entries whose name, team or contact contain every word typed, best (name prefix) first. */
export function matchPeople(people: readonly Person[], query: string, limit = 8): Person[] {
  const words = personKey(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return people.slice(0, limit);
  const scored: { person: Person; score: number }[] = [];
  for (const person of people) {
    const name = personKey(person.name);
    const haystack = `${name} ${personKey(person.team)} ${personKey(person.contact)}`;
    if (!words.every((w) => haystack.includes(w))) continue;
    const score = name.startsWith(words[0]!) ? 0 : name.includes(words[0]!) ? 1 : 2;
    scored.push({ person, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.person.name.localeCompare(b.person.name))
    .slice(0, limit)
    .map((s) => s.person);
}

export const SmeViewSchema = z.strictObject({ person: z.string(), speciality: z.string() });

export const HandoffViewSchema = z.strictObject({
  id: IdSchema,
  from: z.string(),
  to: z.string(),
  briefing: BriefingSchema.nullable(),
  startedAt: TimestampSchema.nullable(),
  startedBy: z.string().nullable(),
  acknowledgedAt: TimestampSchema.nullable(),
  acknowledgedBy: z.string().nullable(),
  commander: z.string().nullable(),
});

const IncidentRef = z.strictObject({ incidentId: IdSchema });
const CommandResult = z.strictObject({ incidentId: IdSchema, eventId: IdSchema });
const personName = PersonNameSchema;

/** The channels of this module, spread into `channels` in shared/api/api.ts. */
export const ROLE_CHANNELS = {
  'people.list': { kind: 'query', input: z.strictObject({}), output: z.array(PersonSchema) },
  'people.save': { kind: 'command', input: PersonInputSchema, output: PersonSchema },
  'people.remove': { kind: 'command', input: z.strictObject({ id: IdSchema }), output: z.strictObject({ id: IdSchema }) },
  'incident.setSme': {
    kind: 'command',
    input: IncidentRef.extend({ person: personName, speciality: z.string().trim().max(LIMITS.shortText).default(''), active: z.boolean() }),
    output: CommandResult,
  },
  'command.startHandoff': {
    kind: 'command',
    input: IncidentRef.extend({ to: personName, briefing: BriefingSchema }),
    output: CommandResult.extend({ handoffId: IdSchema }),
  },
  'command.acknowledgeHandoff': { kind: 'command', input: IncidentRef.extend({ handoffId: IdSchema }), output: CommandResult },
} as const;
