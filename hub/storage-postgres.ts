import pg from 'pg';
import { firstOccurrences, takePage, type AppendResult, type HubStorage, type IncomingEvent, type Page, type Team, type TokenRecord } from './storage.js';

/** Each entry upgrades the schema by one version (table hub_schema). Never edit a shipped one. */
const MIGRATIONS = [
  `
  CREATE TABLE hub_teams (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    head bigint NOT NULL DEFAULT 0,
    created_at bigint NOT NULL
  );
  CREATE TABLE hub_tokens (
    id text PRIMARY KEY,
    team_id integer NOT NULL REFERENCES hub_teams(id),
    secret_hash bytea NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
  );
  -- body is text, not jsonb: jsonb would reorder keys and the hub promises to relay events byte for byte.
  CREATE TABLE hub_events (
    team_id integer NOT NULL REFERENCES hub_teams(id),
    seq bigint NOT NULL,
    id text NOT NULL,
    body text NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (team_id, seq),
    UNIQUE (team_id, id)
  );
  `,
  `
  CREATE TABLE hub_meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  INSERT INTO hub_meta (key, value) VALUES ('epoch', md5(random()::text || clock_timestamp()::text));
  `,
  `
  CREATE TABLE hub_records (
    team_id integer NOT NULL,
    ns text NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (team_id, ns, key)
  );
  `,
];

/** Any constant shared by every hub process: serialises migrations started at the same time. */
const MIGRATION_LOCK = 0x5741_5252;

interface TokenRow {
  id: string;
  team_id: number;
  team_name: string;
  secret_hash: Buffer;
  created_at: string;
  revoked_at: string | null;
}

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  team: { id: row.team_id, name: row.team_name },
  secretHash: row.secret_hash,
  createdAt: Number(row.created_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
});

const TOKEN_SELECT = `SELECT t.id, t.team_id, hub_teams.name AS team_name, t.secret_hash, t.created_at, t.revoked_at
  FROM hub_tokens t JOIN hub_teams ON hub_teams.id = t.team_id`;

/** For teams that outgrow one box: several hub processes may share one database. */
export class PostgresHubStorage implements HubStorage {
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10 });
    // An idle client losing its connection (server restart) must not crash the hub; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM hub_schema');
      let version = rows[0]?.version ?? 0;
      if (rows.length === 0) await client.query('INSERT INTO hub_schema (version) VALUES (0)');
      for (; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version]!);
      await client.query('UPDATE hub_schema SET version = $1', [version]);
    });
  }

  async ensureTeam(name: string): Promise<Team> {
    await this.pool.query('INSERT INTO hub_teams (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, Date.now()]);
    const { rows } = await this.pool.query<Team>('SELECT id, name FROM hub_teams WHERE name = $1', [name]);
    return rows[0]!;
  }

  async addToken(teamId: number, tokenId: string, secretHash: Buffer): Promise<void> {
    await this.pool.query('INSERT INTO hub_tokens (id, team_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)', [tokenId, teamId, secretHash, Date.now()]);
  }

  async findToken(tokenId: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [tokenId]);
    return rows[0] ? toToken(rows[0]) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>(`${TOKEN_SELECT} ORDER BY hub_teams.name, t.created_at`);
    return rows.map(toToken);
  }

  async revokeToken(tokenId: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE hub_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [Date.now(), tokenId]);
    return result.rowCount === 1;
  }

  async append(teamId: number, events: IncomingEvent[]): Promise<AppendResult> {
    const unique = firstOccurrences(events);
    return this.transaction(async (client) => {
      // The team row lock serialises writers of one team (other teams proceed in parallel).
      // Sequences are handed out under it and it is held until commit, so sequence n+1 can
      // only become visible after n: a concurrent reader paging with `after` never skips one.
      const locked = await client.query<{ head: string }>('SELECT head FROM hub_teams WHERE id = $1 FOR UPDATE', [teamId]);
      if (!locked.rows[0]) throw new Error(`No team with id ${teamId}`);
      const head = Number(locked.rows[0].head);
      const { rows: existing } = await client.query<{ id: string }>('SELECT id FROM hub_events WHERE team_id = $1 AND id = ANY($2::text[])', [
        teamId,
        unique.map((e) => e.id),
      ]);
      const stored = new Set(existing.map((row) => row.id));
      const fresh = unique.filter((e) => !stored.has(e.id));
      if (fresh.length > 0) {
        await client.query(
          `INSERT INTO hub_events (team_id, seq, id, body, received_at)
           SELECT $1, $2::bigint + t.ord, t.id, t.body, $5 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(id, body, ord)`,
          [teamId, head, fresh.map((e) => e.id), fresh.map((e) => e.json), Date.now()],
        );
        await client.query('UPDATE hub_teams SET head = $1 WHERE id = $2', [head + fresh.length, teamId]);
      }
      return { accepted: fresh.length, duplicates: events.length - fresh.length, head: head + fresh.length };
    });
  }

  async after(teamId: number, cursor: number, limit: number, maxBytes: number): Promise<Page> {
    // Head first: it only grows, so a cursor above it was never issued, whatever commits meanwhile.
    const team = await this.pool.query<{ head: string }>('SELECT head FROM hub_teams WHERE id = $1', [teamId]);
    if (!team.rows[0]) throw new Error(`No team with id ${teamId}`);
    const { rows } = await this.pool.query<{ seq: string; body: string }>(
      'SELECT seq, body FROM hub_events WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [teamId, cursor, limit + 1],
    );
    // Events are never deleted or renumbered, so this read needs no shared snapshot with the page.
    const at = cursor > 0 ? await this.pool.query<{ id: string }>('SELECT id FROM hub_events WHERE team_id = $1 AND seq = $2', [teamId, cursor]) : null;
    const parsed = rows.map((row) => ({ seq: Number(row.seq), body: row.body }));
    return takePage(parsed, cursor, limit, maxBytes, Number(team.rows[0].head), at?.rows[0]?.id ?? null);
  }

  async epoch(): Promise<string> {
    const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'epoch'");
    return rows[0]!.value;
  }

  async rotateEpoch(): Promise<string> {
    await this.pool.query("UPDATE hub_meta SET value = md5(random()::text || clock_timestamp()::text) WHERE key = 'epoch'");
    return this.epoch();
  }

  async findTeam(name: string): Promise<Team | null> {
    const { rows } = await this.pool.query<Team>('SELECT id, name FROM hub_teams WHERE name = $1', [name]);
    return rows[0] ?? null;
  }

  async getRecord(teamId: number, ns: string, key: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM hub_records WHERE team_id = $1 AND ns = $2 AND key = $3', [teamId, ns, key]);
    return rows[0]?.value ?? null;
  }

  async putRecord(teamId: number, ns: string, key: string, value: string, expected?: string | null): Promise<boolean> {
    const now = Date.now();
    if (expected === undefined) {
      await this.pool.query(
        `INSERT INTO hub_records (team_id, ns, key, value, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (team_id, ns, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [teamId, ns, key, value, now],
      );
      return true;
    }
    if (expected === null) {
      const result = await this.pool.query('INSERT INTO hub_records (team_id, ns, key, value, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        teamId,
        ns,
        key,
        value,
        now,
      ]);
      return result.rowCount === 1;
    }
    const result = await this.pool.query('UPDATE hub_records SET value = $1, updated_at = $2 WHERE team_id = $3 AND ns = $4 AND key = $5 AND value = $6', [
      value,
      now,
      teamId,
      ns,
      key,
      expected,
    ]);
    return result.rowCount === 1;
  }

  async listRecords(teamId: number, ns: string): Promise<{ key: string; value: string }[]> {
    const { rows } = await this.pool.query<{ key: string; value: string }>('SELECT key, value FROM hub_records WHERE team_id = $1 AND ns = $2 ORDER BY key', [
      teamId,
      ns,
    ]);
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection that cannot even roll back is discarded rather than handed to the next caller.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
