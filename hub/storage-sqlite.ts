import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { firstOccurrences, takePage, type AppendResult, type HubStorage, type IncomingEvent, type Page, type Team, type TokenRecord } from './storage.js';

/** Each entry upgrades the schema by one version (PRAGMA user_version). Never edit a shipped one. */
const MIGRATIONS = [
  `
  CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    head INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    secret_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  -- Clustered on (team_id, seq) so a pull is one range scan.
  CREATE TABLE events (
    team_id INTEGER NOT NULL REFERENCES teams(id),
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, seq),
    UNIQUE (team_id, id)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  CREATE TABLE hub_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  INSERT INTO hub_meta (key, value) VALUES ('epoch', lower(hex(randomblob(16))));
  `,
  `
  -- Feature records (alerts, deliveries, status page); team_id 0 holds hub-wide ones, so no foreign key.
  CREATE TABLE records (
    team_id INTEGER NOT NULL,
    ns TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, ns, key)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** SQLite gives the journals it creates the mode of the main file. */
function privateFiles(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(name)) chmodSync(name, 0o600);
}

interface TokenRow {
  id: string;
  team_id: number;
  team_name: string;
  secret_hash: Buffer;
  created_at: number;
  revoked_at: number | null;
}

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  team: { id: row.team_id, name: row.team_name },
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

const TOKEN_SELECT = `SELECT t.id, t.team_id, teams.name AS team_name, t.secret_hash, t.created_at, t.revoked_at
  FROM tokens t JOIN teams ON teams.id = t.team_id`;

/** The embedded default: one file, one process writing it. */
export class SqliteHubStorage implements HubStorage {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    // The hub holds every team's record and the token hashes: readable by its own user only,
    // including a file made before this rule (0644).
    const onDisk = file !== ':memory:';
    if (onDisk) {
      // Only a folder made here is ours to close: --db may point into a shared one.
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      privateFiles(file);
    }
    this.db = new Database(file);
    if (onDisk) privateFiles(file);
    this.db.pragma('journal_mode = WAL');
    // An acknowledged push must survive a power cut: the client drops it from its outbox on our 200.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // `token create` may write while `serve` runs; wait for the other writer instead of failing.
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    this.db
      .transaction(() => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        for (let v = version; v < MIGRATIONS.length; v++) {
          this.db.exec(MIGRATIONS[v]!);
          this.db.pragma(`user_version = ${v + 1}`);
        }
      })
      .immediate();
  }

  async ensureTeam(name: string): Promise<Team> {
    this.stmt('INSERT INTO teams (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, Date.now());
    return this.stmt('SELECT id, name FROM teams WHERE name = ?').get(name) as Team;
  }

  async addToken(teamId: number, tokenId: string, secretHash: Buffer): Promise<void> {
    this.stmt('INSERT INTO tokens (id, team_id, secret_hash, created_at) VALUES (?, ?, ?, ?)').run(tokenId, teamId, secretHash, Date.now());
  }

  async findToken(tokenId: string): Promise<TokenRecord | null> {
    const row = this.stmt(`${TOKEN_SELECT} WHERE t.id = ?`).get(tokenId) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.stmt(`${TOKEN_SELECT} ORDER BY teams.name, t.created_at`).all() as TokenRow[]).map(toToken);
  }

  async revokeToken(tokenId: string): Promise<boolean> {
    const result = this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(Date.now(), tokenId);
    return result.changes === 1;
  }

  async append(teamId: number, events: IncomingEvent[]): Promise<AppendResult> {
    const unique = firstOccurrences(events);
    const insert = this.stmt('INSERT INTO events (team_id, seq, id, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (team_id, id) DO NOTHING');
    // SQLite has one writer at a time, so reading the head and bumping it inside one
    // IMMEDIATE transaction hands out sequences in commit order.
    return this.db
      .transaction((): AppendResult => {
        let head = this.headOf(teamId);
        const now = Date.now();
        let accepted = 0;
        for (const event of unique) {
          if (insert.run(teamId, head + 1, event.id, event.json, now).changes === 1) {
            head++;
            accepted++;
          }
        }
        if (accepted > 0) this.stmt('UPDATE teams SET head = ? WHERE id = ?').run(head, teamId);
        return { accepted, duplicates: events.length - accepted, head };
      })
      .immediate();
  }

  async after(teamId: number, cursor: number, limit: number, maxBytes: number): Promise<Page> {
    const read = this.stmt('SELECT seq, body FROM events WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    const at = this.stmt('SELECT id FROM events WHERE team_id = ? AND seq = ?');
    // One read transaction, so the page, the head and the id at the cursor come from the same snapshot.
    return this.db.transaction((): Page => {
      const rows = read.all(teamId, cursor, limit + 1) as { seq: number; body: string }[];
      const cursorId = cursor > 0 ? ((at.get(teamId, cursor) as { id: string } | undefined)?.id ?? null) : null;
      return takePage(rows, cursor, limit, maxBytes, this.headOf(teamId), cursorId);
    })();
  }

  async epoch(): Promise<string> {
    return (this.stmt("SELECT value FROM hub_meta WHERE key = 'epoch'").get() as { value: string }).value;
  }

  async rotateEpoch(): Promise<string> {
    this.stmt("UPDATE hub_meta SET value = lower(hex(randomblob(16))) WHERE key = 'epoch'").run();
    return this.epoch();
  }

  async findTeam(name: string): Promise<Team | null> {
    return (this.stmt('SELECT id, name FROM teams WHERE name = ?').get(name) as Team | undefined) ?? null;
  }

  async getRecord(teamId: number, ns: string, key: string): Promise<string | null> {
    const row = this.stmt('SELECT value FROM records WHERE team_id = ? AND ns = ? AND key = ?').get(teamId, ns, key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  async putRecord(teamId: number, ns: string, key: string, value: string, expected?: string | null): Promise<boolean> {
    const now = Date.now();
    if (expected === undefined) {
      this.stmt(
        'INSERT INTO records (team_id, ns, key, value, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (team_id, ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ).run(teamId, ns, key, value, now);
      return true;
    }
    if (expected === null) {
      return (
        this.stmt('INSERT INTO records (team_id, ns, key, value, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(teamId, ns, key, value, now)
          .changes === 1
      );
    }
    return (
      this.stmt('UPDATE records SET value = ?, updated_at = ? WHERE team_id = ? AND ns = ? AND key = ? AND value = ?').run(
        value,
        now,
        teamId,
        ns,
        key,
        expected,
      ).changes === 1
    );
  }

  async listRecords(teamId: number, ns: string): Promise<{ key: string; value: string }[]> {
    return this.stmt('SELECT key, value FROM records WHERE team_id = ? AND ns = ? ORDER BY key').all(teamId, ns) as { key: string; value: string }[];
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Prepared once per SQL text; statements cannot be prepared before `migrate` made the tables. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private headOf(teamId: number): number {
    const row = this.stmt('SELECT head FROM teams WHERE id = ?').get(teamId) as { head: number } | undefined;
    if (!row) throw new Error(`No team with id ${teamId}`);
    return row.head;
  }
}
