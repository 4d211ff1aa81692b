import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** A database of its own, so test files running side by side never see each other's rows. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for the storage tests: the server named by WARROOM_TEST_PG_URL when set
 * (a fresh database is created on it and dropped afterwards), otherwise a throwaway cluster
 * from Debian's binaries in a temp dir. Missing PostgreSQL is a failure, never a skip.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.WARROOM_TEST_PG_URL;
  return external ? freshDatabase(external) : throwawayCluster();
}

async function freshDatabase(serverUrl: string): Promise<TestPostgres> {
  const name = `warroom_hub_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'The hub storage tests need PostgreSQL and found no /usr/lib/postgresql/*/bin/initdb. ' +
        'Install it with `apt-get install -y postgresql`, or set WARROOM_TEST_PG_URL to a server the tests may create databases on.',
    );
  }
  return join(root, versions[0]!, 'bin');
}

async function throwawayCluster(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'warroom-pg-'));
  // PostgreSQL refuses to run as root; as root, hand the cluster to Debian's postgres user.
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, 'data');
  const superuser = asRoot ? 'postgres' : userInfo().username;
  await pgRun('initdb', ['-D', data, '-A', 'trust', '-U', superuser, '-E', 'UTF8', '--locale', 'C.UTF-8', '--no-sync']);
  // Unix socket in our own dir and no TCP listener at all: nothing to collide with a
  // PostgreSQL already running on the machine or with another test file's cluster.
  // fsync off: a test cluster is thrown away, so durability would only cost time.
  await pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-c listen_addresses= -k ${dir} -c fsync=off`, 'start']);
  const url = `postgresql://${superuser}@localhost/postgres?host=${encodeURIComponent(dir)}`;
  return {
    url,
    async stop() {
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
