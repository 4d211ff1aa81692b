import { AUDIENCES, NOTE_KINDS, ROLES, STATUSES, type NoteKind, type Role, type Status } from '../record/events.js';
import { LEVELS, type Level } from '../incidents/priority.js';
import { foldText } from '../text/fold.js';
import { parseDelay } from '../tasks/tasks.js';
import { looksLikeTime } from '../time/duration.js';

/**
 * The quick-entry bar's language: plain text logs a note; a leading slash command runs any
 * action of the console. Parsing is pure, so the bar can say what Enter will do while the
 * user types, and refuse a mistyped command before anything is recorded.
 */

export const QUICK_COMMANDS = [
  'note',
  'decision',
  'action',
  'finding',
  'hypothesis',
  'external',
  'task',
  'status',
  'priority',
  'role',
  'update',
  'pause',
  'resume',
] as const;
export type QuickCommandName = (typeof QUICK_COMMANDS)[number];

/**
 * Other names for the commands: /alert, and the French UI's words (typed with or without their
 * accents: /tâche and /tache both work), so a French-speaking room never has to switch to English.
 */
const ALIASES: Readonly<Record<string, QuickCommandName>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, QuickCommandName>, {
    alert: 'external',
    alerte: 'external',
    externe: 'external',
    constat: 'finding',
    hypothese: 'hypothesis',
    tache: 'task',
    statut: 'status',
    priorite: 'priority',
    point: 'update',
    suspendre: 'pause',
    reprendre: 'resume',
  }),
);

/** The command a typed name stands for: its own name or an alias, case and accents aside. */
function commandNamed(typed: string): QuickCommandName | undefined {
  const folded = foldText(typed);
  return (QUICK_COMMANDS as readonly string[]).includes(folded) ? (folded as QuickCommandName) : ALIASES[folded];
}

export type QuickCommand =
  | { type: 'log'; entryKind: NoteKind; text: string }
  | { type: 'task'; title: string; owner: string; checkBack: TaskCheckBack | null }
  | { type: 'status'; status: Status }
  | { type: 'priority'; impact: Level; urgency: Level }
  | { type: 'role'; role: Role; person: string }
  | { type: 'update'; audience: string }
  | { type: 'pause'; reason: string }
  | { type: 'resume' };

/** A check-back typed in the bar: a delay the core adds to its own clock, or a local clock time. */
export type TaskCheckBack = { type: 'in'; ms: number } | { type: 'at'; clock: string };

export type QuickError =
  | { code: 'empty' }
  | { code: 'unknownCommand'; command: string }
  | { code: 'missingText'; command: QuickCommandName }
  | { code: 'badStatus'; value: string }
  | { code: 'badLevel'; value: string }
  | { code: 'badRole'; value: string }
  | { code: 'missingPerson' }
  | { code: 'missingAudience' }
  | { code: 'badOwner' }
  | { code: 'badCheckBack'; value: string };

export type QuickParse = { ok: true; command: QuickCommand } | { ok: false; error: QuickError };

const fail = (error: QuickError): QuickParse => ({ ok: false, error });
const ok = (command: QuickCommand): QuickParse => ({ ok: true, command });

/** Words accepted for each value besides its English name: the French UI's words, without accents. */
const STATUS_WORDS: Record<string, Status> = {
  detecte: 'detected',
  declare: 'declared',
  analyse: 'investigating',
  'en analyse': 'investigating',
  investigation: 'investigating',
  attenue: 'mitigated',
  resolu: 'resolved',
  clos: 'closed',
  ferme: 'closed',
  revu: 'reviewed',
};

const LEVEL_WORDS: Record<string, Level> = {
  h: 'high',
  m: 'medium',
  l: 'low',
  haute: 'high',
  haut: 'high',
  elevee: 'high',
  moyenne: 'medium',
  moyen: 'medium',
  basse: 'low',
  bas: 'low',
  faible: 'low',
};

/** The ITIL matrix read backwards, so "/priority p2" is enough. */
const PRIORITY_LEVELS: Record<string, [Level, Level]> = {
  p1: ['high', 'high'],
  p2: ['high', 'medium'],
  p3: ['medium', 'medium'],
  p4: ['medium', 'low'],
  p5: ['low', 'low'],
};

const ROLE_WORDS: Record<string, Role> = {
  ic: 'commander',
  gestionnaire: 'commander',
  responsable: 'commander',
  adjoint: 'deputy',
  comms: 'comms_lead',
  'comms-lead': 'comms_lead',
  communication: 'comms_lead',
  communications: 'comms_lead',
  ops: 'ops_lead',
  'ops-lead': 'ops_lead',
  operations: 'ops_lead',
  expert: 'sme',
};

const AUDIENCE_WORDS: Record<string, string> = {
  customer: 'customers',
  clients: 'customers',
  client: 'customers',
  executive: 'executives',
  exec: 'executives',
  direction: 'executives',
  interne: 'internal',
  internes: 'internal',
};

function lookup<T extends string>(word: string, names: readonly T[], words: Record<string, T>): T | null {
  const key = foldText(word.trim());
  if ((names as readonly string[]).includes(key)) return key as T;
  return Object.prototype.hasOwnProperty.call(words, key) ? words[key]! : null;
}

/** "14:32" or "14h32": a clock time for a check-back, valid hours and minutes only. */
const CLOCK_WORD = /^(\d{1,2})[:h](\d{2})$/;
function checkBackOf(word: string): TaskCheckBack | null {
  const clock = CLOCK_WORD.exec(word);
  if (clock) return Number(clock[1]) <= 23 && Number(clock[2]) <= 59 ? { type: 'at', clock: word } : null;
  const ms = parseDelay(word);
  return ms === null ? null : { type: 'in', ms };
}
const OWNER_WORD = /^@\S*$/;
/** A delay written before the owner must carry its unit: "Scale to 3 @ana" is a title, not a three-minute check-back. */
const hasUnit = (word: string) => /[a-z]/i.test(word) || CLOCK_WORD.test(word);

/**
 * `/task Check the ledger @bo 5m`: the title, then an owner (@name) and a check-back (a delay
 * in the one duration grammar, or a clock time). A time after the owner must be a check-back:
 * `@Gus -5x` or `@Gus 25:99` is refused, never kept as words of the title (words after a
 * mention, as in "Ping @carl about it", are the title). A check-back with
 * its unit may also come before the owner ("1h30m @Ana"), or end the title with no owner.
 */
function parseTask(rest: string): QuickParse {
  const tokens = rest.split(/\s+/).filter(Boolean);
  let owner = '';
  let checkBack: TaskCheckBack | null = null;
  const last = tokens[tokens.length - 1];
  const beforeLast = tokens[tokens.length - 2];
  if (last !== undefined && OWNER_WORD.test(last)) {
    owner = last.slice(1);
    tokens.pop();
    const before = tokens[tokens.length - 1];
    const early = before !== undefined && hasUnit(before) ? checkBackOf(before) : null;
    if (early) {
      checkBack = early;
      tokens.pop();
    }
  } else if (last !== undefined && beforeLast !== undefined && OWNER_WORD.test(beforeLast) && (checkBackOf(last) || looksLikeTime(last))) {
    checkBack = checkBackOf(last);
    if (!checkBack) return fail({ code: 'badCheckBack', value: last });
    owner = beforeLast.slice(1);
    tokens.splice(-2);
  } else if (last !== undefined && tokens.length > 1 && hasUnit(last)) {
    checkBack = checkBackOf(last);
    if (checkBack) tokens.pop();
  }
  if (owner === '' && (last === '@' || beforeLast === '@')) return fail({ code: 'badOwner' });
  const title = tokens.join(' ');
  return title ? ok({ type: 'task', title, owner, checkBack }) : fail({ code: 'missingText', command: 'task' });
}

function parsePriority(rest: string): QuickParse {
  const words = rest.split(/\s+/).filter(Boolean);
  const preset = words.length === 1 ? PRIORITY_LEVELS[words[0]!.toLowerCase()] : undefined;
  if (preset) return ok({ type: 'priority', impact: preset[0], urgency: preset[1] });
  if (words.length !== 2) return fail({ code: 'badLevel', value: rest });
  const [impact, urgency] = words.map((w) => lookup(w, LEVELS, LEVEL_WORDS));
  if (!impact) return fail({ code: 'badLevel', value: words[0]! });
  if (!urgency) return fail({ code: 'badLevel', value: words[1]! });
  return ok({ type: 'priority', impact, urgency });
}

function parseRole(rest: string): QuickParse {
  const match = /^(\S+)\s*(.*)$/s.exec(rest);
  if (!match) return fail({ code: 'badRole', value: '' });
  const role = lookup(match[1]!, ROLES, ROLE_WORDS);
  if (!role) return fail({ code: 'badRole', value: match[1]! });
  const person = match[2]!.trim().replace(/^@/, '');
  return person ? ok({ type: 'role', role, person }) : fail({ code: 'missingPerson' });
}

export function parseQuickEntry(input: string): QuickParse {
  const text = input.trim();
  if (!text) return fail({ code: 'empty' });
  if (!text.startsWith('/')) return ok({ type: 'log', entryKind: 'note', text });
  const match = /^\/(\S*)\s*(.*)$/s.exec(text)!;
  const name = commandNamed(match[1]!);
  const rest = match[2]!.trim();
  if (!name) return fail({ code: 'unknownCommand', command: `/${match[1]}` });
  if ((NOTE_KINDS as readonly string[]).includes(name)) {
    return rest ? ok({ type: 'log', entryKind: name as NoteKind, text: rest }) : fail({ code: 'missingText', command: name });
  }
  switch (name) {
    case 'task':
      return parseTask(rest);
    case 'status': {
      const status = lookup(rest, STATUSES, STATUS_WORDS);
      return status ? ok({ type: 'status', status }) : fail({ code: 'badStatus', value: rest });
    }
    case 'priority':
      return parsePriority(rest);
    case 'role':
      return parseRole(rest);
    case 'update': {
      if (!rest) return fail({ code: 'missingAudience' });
      return ok({ type: 'update', audience: lookup(rest, AUDIENCES, AUDIENCE_WORDS) ?? rest });
    }
    case 'pause':
      return rest ? ok({ type: 'pause', reason: rest }) : fail({ code: 'missingText', command: 'pause' });
    case 'resume':
      return ok({ type: 'resume' });
    default:
      return fail({ code: 'unknownCommand', command: `/${match[1]}` });
  }
}

/** The entry kind a log command will record, for the bar's badge while typing; null for other actions. */
export function pendingKind(input: string): NoteKind | null {
  const text = input.trimStart();
  if (!text.startsWith('/')) return 'note';
  const name = commandNamed(/^\/(\S*)/.exec(text)![1]!);
  return name && (NOTE_KINDS as readonly string[]).includes(name) ? (name as NoteKind) : null;
}

/** Commands offered while the first word is still being typed ("/" lists them all). */
export function suggestCommands(input: string): QuickCommandName[] {
  const match = /^\/(\S*)$/.exec(input.trimStart());
  if (!match) return [];
  const typed = match[1]!.toLowerCase();
  return QUICK_COMMANDS.filter((name) => name.startsWith(typed) && name !== typed);
}
