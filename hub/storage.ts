/**
 * Everything the hub keeps, behind one interface so the embedded SQLite file and a
 * PostgreSQL server are interchangeable (hub/storage-sqlite.ts, hub/storage-postgres.ts)
 * and pass the same test suite.
 *
 * Guarantees every implementation gives:
 * - Events are stored per team; nothing here ever reads or writes across teams.
 * - `append` is one transaction: all of a batch is stored, or none of it.
 * - Idempotent by event id within a team: an id already stored (or repeated in the batch)
 *   counts as a duplicate and keeps the first copy.
 * - Each stored event gets the team's next sequence number. A sequence becomes visible to
 *   readers only after every smaller one of the same team, so a reader paging with
 *   `after` never skips an event that commits later.
 * - The event JSON is kept byte for byte as received: the hub relays, it never rewrites.
 */

export interface Team {
  id: number;
  name: string;
}

export interface TokenRecord {
  id: string;
  team: Team;
  /** sha256 of the token's secret part. */
  secretHash: Buffer;
  createdAt: number;
  revokedAt: number | null;
}

export interface IncomingEvent {
  id: string;
  /** The event exactly as the client sent it, serialised. */
  json: string;
}

export interface AppendResult {
  accepted: number;
  duplicates: number;
  /** The team's head sequence after the append. */
  head: number;
}

export interface Page {
  /** Stored JSON of each event, in sequence order. */
  events: string[];
  /** Sequence of the last event in `events`, or the requested cursor when there are none. */
  cursor: number;
  more: boolean;
  /** The team's head when the page was read; a cursor above it was never issued by this hub. */
  head: number;
  /**
   * Id of the event stored at the requested cursor (null at 0 or where there is none). A laptop
   * compares it with the id it saw there: a different one means this hub's history is not the
   * one its cursor refers to (a backup restored without `epoch rotate`).
   */
  cursorId: string | null;
}

export interface HubStorage {
  /** Creates or upgrades the schema; safe to call on every start, from several processes. */
  migrate(): Promise<void>;
  /** The team with this name, created if it does not exist yet. */
  ensureTeam(name: string): Promise<Team>;
  addToken(teamId: number, tokenId: string, secretHash: Buffer): Promise<void>;
  /** Revoked tokens are returned too (with `revokedAt`), so the caller can refuse them. */
  findToken(tokenId: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** False when no such token exists or it was already revoked. */
  revokeToken(tokenId: string): Promise<boolean>;
  append(teamId: number, events: IncomingEvent[]): Promise<AppendResult>;
  /** At most `limit` events and, beyond the first, at most `maxBytes` (see `takePage`). */
  after(teamId: number, cursor: number, limit: number, maxBytes: number): Promise<Page>;
  /**
   * Identity of this hub's history. Sequence numbers only mean something within one epoch: a
   * new database has a new one, and an operator who restored a backup rotates it, so laptops
   * pull everything again and push back what the restored copy lost.
   */
  epoch(): Promise<string>;
  rotateEpoch(): Promise<string>;
  /** The team with this name, or null; never creates one (the public status page looks teams up). */
  findTeam(name: string): Promise<Team | null>;
  /**
   * Small JSON records the hub's features keep beside the log (alert integrations, alert
   * deduplication, deliveries, the status page), per team (0 = the whole hub) and namespace.
   * `expected` makes the write a compare-and-set: null = only if absent, a string = only if
   * the stored value is still exactly that. Returns whether it wrote.
   */
  getRecord(teamId: number, ns: string, key: string): Promise<string | null>;
  putRecord(teamId: number, ns: string, key: string, value: string, expected?: string | null): Promise<boolean>;
  listRecords(teamId: number, ns: string): Promise<{ key: string; value: string }[]>;
  close(): Promise<void>;
}

/** The first occurrence of each id in a batch: a client may repeat an event within one push. */
export function firstOccurrences(events: IncomingEvent[]): IncomingEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
}

/**
 * The page to answer from rows read in sequence order (the caller reads `limit + 1` so that
 * `more` is known): at most `limit` events whose JSON, one byte of separator each, fits in
 * `maxBytes`. The first event always goes in, so a page is never empty while events remain.
 */
export function takePage(rows: { seq: number; body: string }[], cursor: number, limit: number, maxBytes: number, head: number, cursorId: string | null): Page {
  const events: string[] = [];
  let bytes = 0;
  let last = cursor;
  for (const row of rows) {
    if (events.length === limit) break;
    bytes += Buffer.byteLength(row.body) + 1;
    if (bytes > maxBytes && events.length > 0) break;
    events.push(row.body);
    last = row.seq;
  }
  return { events, cursor: last, more: events.length < rows.length, head, cursorId };
}
