import type Database from 'better-sqlite3';
import { refuse, type ChannelOutput, type ParsedInput } from '../../../shared/api/api.js';
import type { Category, Status } from '../../../shared/record/events.js';
import { viewIncident } from '../../../shared/record/fold.js';
import type { LibraryField, LibraryHit } from '../../../shared/library/channels.js';
import type { Priority } from '../../../shared/incidents/priority.js';
import type { SlaPolicy } from '../../../shared/clocks/sla.js';
import { computeTrends, type TrendIncident } from '../../../shared/library/trends.js';
import type { Store } from '../../store/store.js';

/**
 * The incident library: full-text search across every incident on this console (titles,
 * entries, corrections, comms, review notes and lessons learned) through the FTS5 index of
 * migration 5, filled after the append (migration 8) and brought up to date before each search. Drills are left out unless
 * asked for, so a rehearsal never reads as something that really happened.
 */

const HIT_START = '\u0002';
const HIT_END = '\u0003';
/** Words of context either side of the match. */
const SNIPPET_TOKENS = 14;

interface HitRow {
  incident_id: string;
  kind: string;
  snippet: string;
  title: string;
  status: string;
  priority: string;
  drill: number;
  declared_at: number;
  category: string | null;
  event_id: string;
  actor: string;
  occurred_at: number;
}

/**
 * What a person typed, as an FTS5 query that cannot fail to parse: every run of letters or
 * digits becomes a quoted prefix term, all of them required. Operators, quotes and column
 * filters typed by accident are just words.
 */
export function ftsQuery(text: string): string | null {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words
    .slice(0, 16)
    .map((w) => `"${w}"*`)
    .join(' ');
}

export function fieldOf(kind: string): LibraryField {
  if (kind === 'incident.declared') return 'incident';
  if (kind === 'timeline.entry' || kind === 'timeline.corrected') return 'entry';
  if (kind === 'review.note') return 'lesson';
  if (kind.startsWith('review.')) return 'review';
  if (kind.startsWith('comms.')) return 'comms';
  return 'other';
}

/** The snippet FTS5 marked up with control characters, as plain parts: nothing in it is ever read as markup. */
export function snippetParts(snippet: string): LibraryHit['snippet'] {
  const parts: LibraryHit['snippet'] = [];
  let hit = false;
  for (const piece of snippet.split(/([\u0002\u0003])/)) {
    if (piece === HIT_START) hit = true;
    else if (piece === HIT_END) hit = false;
    // The fields of one event were indexed a line each; a separator keeps them apart in one line of text.
    else if (piece) parts.push({ text: piece.replace(/\s*\n\s*/g, ' · ').replace(/\s+/g, ' '), hit });
  }
  return parts;
}

export class Library {
  private readonly stmts;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly policy: () => SlaPolicy,
  ) {
    const db: Database.Database = store.db;
    this.stmts = {
      search: db.prepare<[{ match: string; drills: number; limit: number }], HitRow>(
        `SELECT f.incident_id, f.kind, snippet(library_fts, 0, char(2), char(3), '…', ${SNIPPET_TOKENS}) AS snippet,
           i.title, i.status, i.priority, i.drill, i.declared_at, json_extract(i.state, '$.declared.value.category') AS category,
           e.id AS event_id, e.actor, e.occurred_at
         FROM library_fts AS f
           JOIN incidents AS i ON i.id = f.incident_id AND i.declared = 1
           JOIN events AS e ON e.seq = f.rowid
         WHERE library_fts MATCH @match AND (@drills OR i.drill = 0)
         ORDER BY f.rank
         LIMIT @limit`,
      ),
      incidents: db.prepare<[{ match: string; drills: number }], { n: number }>(
        `SELECT count(DISTINCT f.incident_id) AS n FROM library_fts AS f
           JOIN incidents AS i ON i.id = f.incident_id AND i.declared = 1
         WHERE library_fts MATCH @match AND (@drills OR i.drill = 0)`,
      ),
      declared: db.prepare<[], { id: string; drill: number }>('SELECT id, drill FROM incidents WHERE declared = 1'),
    };
  }

  search({ query, includeDrills, limit }: ParsedInput<'library.search'>): ChannelOutput<'library.search'> {
    const match = ftsQuery(query);
    if (!match) throw refuse('invalid_input', 'search_no_words', 'Type at least one word (letters or digits) to search for.');
    // Whatever the background indexer has not reached yet is indexed now: results are always complete.
    this.store.searchIndex.catchUp();
    const drills = includeDrills ? 1 : 0;
    const hits = this.stmts.search.all({ match, drills, limit }).map((r): LibraryHit => ({
      incidentId: r.incident_id,
      title: r.title,
      status: r.status as Status,
      priority: r.priority as Priority,
      category: (r.category ?? 'other') as Category,
      drill: r.drill === 1,
      declaredAt: r.declared_at,
      eventId: r.event_id,
      field: fieldOf(r.kind),
      actor: r.actor,
      at: r.occurred_at,
      snippet: snippetParts(r.snippet),
    }));
    return { hits, incidents: this.stmts.incidents.get({ match, drills })?.n ?? 0 };
  }

  trends({ timeZone, months }: ParsedInput<'trends.get'>): ChannelOutput<'trends.get'> {
    const real: TrendIncident[] = [];
    let drills = 0;
    for (const { id, drill } of this.stmts.declared.all()) {
      if (drill === 1) {
        drills++;
        continue;
      }
      const view = viewIncident(this.store.incidentState(id));
      if (view) real.push({ view, events: this.store.incidentEvents(id) });
    }
    return computeTrends(real, { policy: this.policy(), now: this.now(), timeZone, months, drillsExcluded: drills });
  }
}
