import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { z } from 'zod';
import { createTranslator, localeFromEnv } from './messages.js';
import { buildHub } from './server.js';
import type { HubStorage } from './storage.js';
import { PostgresHubStorage } from './storage-postgres.js';
import { SqliteHubStorage } from './storage-sqlite.js';
import { issueToken, TOKEN_ID_PATTERN } from './tokens.js';
import { integrationCommand, IntegrationUsageError } from './alerts/cli.js';
import { message } from '../shared/text/errors.js';
import { loadHubConfig } from './deliveries/config.js';

const t = createTranslator(localeFromEnv(process.env));

const DEFAULT_DB = './hub-data/hub.sqlite';

const TeamNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a team name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const ServeOptionsSchema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65_535).default(4800),
  host: z.string().min(1).default('127.0.0.1'),
  'rate-limit': z.coerce.number().int().min(1).max(1_000_000).default(600),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('info'),
});

class UsageError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function openStorage(db: string | undefined): { storage: HubStorage; label: string } {
  const url = process.env.DATABASE_URL;
  if (db === undefined && url) {
    // Never print the URL: it usually carries the database password.
    return { storage: new PostgresHubStorage(url), label: 'PostgreSQL (DATABASE_URL)' };
  }
  const file = resolve(db ?? DEFAULT_DB);
  return { storage: new SqliteHubStorage(file), label: `SQLite ${file}` };
}

function orThrow<T>(result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  throw new UsageError(result.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
}

async function serve(values: Record<string, unknown>, db: string | undefined, configFile: string | undefined): Promise<void> {
  const options = orThrow(ServeOptionsSchema.safeParse(values));
  // Read before anything starts: a bad channel configuration stops the hub with the reason.
  const hubConfig = configFile ? loadHubConfig(resolve(configFile)) : undefined;
  const { storage, label } = openStorage(db);
  await storage.migrate();
  const app = await buildHub({
    storage,
    ...(hubConfig && { config: hubConfig }),
    rateLimit: { max: options['rate-limit'], timeWindowMs: 60_000 },
    logger: { level: options['log-level'], stream: process.stderr },
  });
  const url = await app.listen({ port: options.port, host: options.host });
  if (!LOOPBACK.has(options.host)) console.error(t('exposed', { host: options.host }));
  console.log(t('listening', { url, storage: label }));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.error(t('stopping'));
    void app
      .close()
      .then(() => storage.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function token(args: string[], db: string | undefined): Promise<void> {
  const [action, subject, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}"`);
  if (action === 'list' && subject !== undefined) throw new UsageError(`unexpected "${subject}"`);
  const { storage } = openStorage(db);
  try {
    await storage.migrate();
    if (action === 'create') {
      const team = orThrow(TeamNameSchema.safeParse(subject));
      const issued = await issueToken(storage, team);
      console.error(t('tokenCreated', { id: issued.tokenId, team: issued.team.name }));
      // Alone on stdout, so a script can capture it: TOKEN=$(npm run -s hub -- token create ops)
      console.log(issued.token);
    } else if (action === 'revoke') {
      const id = orThrow(z.string().regex(TOKEN_ID_PATTERN, 'a token id is 12 hexadecimal digits (see token list)').safeParse(subject));
      if (!(await storage.revokeToken(id))) {
        console.error(t('tokenNotFound', { id }));
        process.exitCode = 1;
        return;
      }
      console.log(t('tokenRevoked', { id }));
    } else if (action === 'list') {
      const tokens = await storage.listTokens();
      if (tokens.length === 0) {
        console.log(t('noTokens'));
        return;
      }
      const when = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      console.log(t('tokenHeader'));
      for (const record of tokens) {
        console.log(
          `${record.id}  ${record.team.name.padEnd(20)}  ${when(record.createdAt)}    ${record.revokedAt === null ? t('active') : when(record.revokedAt)}`,
        );
      }
    } else {
      throw new UsageError(`unknown token action "${action ?? ''}"`);
    }
  } finally {
    await storage.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'rate-limit': { type: 'string' },
      'log-level': { type: 'string' },
      auth: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { db, help, auth, config, ...serveValues } = values;
  const [command = 'serve', ...rest] = positionals;
  if (help) {
    console.log(t('usage'));
    return;
  }
  if (command === 'serve') {
    if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}"`);
    return serve(serveValues, db, config);
  }
  if (command === 'epoch') {
    if (Object.keys(serveValues).length > 0 || rest.join(' ') !== 'rotate') throw new UsageError('the only epoch command is: epoch rotate');
    const { storage } = openStorage(db);
    try {
      await storage.migrate();
      console.log(t('epochRotated', { epoch: await storage.rotateEpoch() }));
    } finally {
      await storage.close();
    }
    return;
  }
  if (command === 'integration') {
    const { storage } = openStorage(db);
    try {
      await storage.migrate();
      process.exitCode = await integrationCommand(rest, auth, storage, localeFromEnv(process.env));
    } finally {
      await storage.close();
    }
    return;
  }
  if (command === 'token') {
    if (Object.keys(serveValues).length > 0)
      throw new UsageError(
        `${Object.keys(serveValues)
          .map((k) => `--${k}`)
          .join(', ')} only apply to serve`,
      );
    return token(rest, db);
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage =
    error instanceof UsageError ||
    error instanceof IntegrationUsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(usage ? `${t('badArguments', { reason: (error as Error).message })}\n\n${t('usage')}` : t('failed', { reason: message(error) }));
  process.exit(usage ? 2 : 1);
});
