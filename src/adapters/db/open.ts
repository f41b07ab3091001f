/**
 * Opens the database named by a URL (read by url.ts: postgres:// -> PostgreSQL through
 * postgres.js, a path or file:/sqlite: -> a SQLite file). The connection is probed before
 * returning, so a wrong URL fails here, in one line, with the password redacted.
 *
 * A SQLite file is created only when asked (`create`): `migrate up`, `setup` and
 * `start --auto-migrate` create it, 0600 in a 0700 directory; every other command finds that
 * there is no database and says so (DATABASE_MISSING) instead of leaving an empty file behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import type { Sql } from 'postgres';
import { BotctlError } from '../../domain/errors.js';
import type { Dialect, FieldCipher, Migrator, Repositories } from '../../domain/ports/index.js';
import { PASSWORD_MASK, maskUrlPassword, urlPassword } from '../../domain/url-password.js';
import { makeDirs } from '../system/dirs.js';
import { createMigrator } from './migrate.js';
import { unreachable } from './shared/errors.js';
import { parseDatabaseUrl } from './url.js';

export interface OpenDatabaseOptions {
  /** postgres://user:pass@host:5432/db, or a SQLite path (sqlite:/file: prefixes accepted, ":memory:"); relative to the working directory. */
  url: string;
  /**
   * Create a missing SQLite file (and its directory). Default true, for tests and benchmarks;
   * the CLI passes false except where a database is meant to appear.
   */
  create?: boolean;
  /** Seals and opens personal fields; use createFieldCipher([]) for none. */
  cipher: FieldCipher;
  /** PostgreSQL NOTICE messages (e.g. "relation already exists, skipping"); dropped when absent. */
  onNotice?: (message: string) => void;
  /** Migrations folder override (tests); default: this package's migrations/<dialect>. */
  migrationsDir?: string;
  /** PostgreSQL: connections this process opens at most; default defaultPoolSize(). */
  poolSize?: number | undefined;
}

export interface Database {
  readonly repos: Repositories;
  readonly migrator: Migrator;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url, process.cwd());
  return target.dialect === 'postgres'
    ? openPostgres({ ...options, url: target.location })
    : openSqlite(options, target.location);
}

/** Thrown by every command that reads a database that is not there. */
export function databaseMissing(path: string): BotctlError {
  return new BotctlError(
    'DATABASE_MISSING',
    `There is no database at ${path}: run \`botctl setup\` (first time) or \`botctl migrate up\``,
    {
      hint: 'check --data-dir (BOTCTL_DATA_DIR) and databaseUrl if one should be there',
      params: { path },
    },
  );
}

/**
 * The SQLite file, created 0600 before SQLite opens it: its -wal and -shm files take the main
 * file's mode, so chat history is never readable by other local users whatever the umask.
 */
export function prepareSqliteFile(path: string, create: boolean): void {
  if (path === ':memory:' || fs.existsSync(path)) return;
  if (!create) throw databaseMissing(path);
  try {
    makeDirs(dirname(path), 'database directory');
  } catch (error) {
    throw new BotctlError('DATABASE_UNREACHABLE', (error as Error).message, {
      cause: error,
      retryable: false,
      hint: 'choose a path in a writable directory for databaseUrl (BOTCTL_DATABASE_URL), or fix its owner and mode',
    });
  }
  try {
    fs.closeSync(fs.openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw unreachable(error, `SQLite database ${path}`);
  }
}

async function openSqlite(options: OpenDatabaseOptions, path: string): Promise<Database> {
  const [{ openSqliteClient }, { createSqliteRepositories }, { sqliteMigrationDriver }] = await Promise.all([
    import('./sqlite/client.js'),
    import('./sqlite/index.js'),
    import('./sqlite/ledger.js'),
  ]);
  const where = `SQLite database ${path}`;
  prepareSqliteFile(path, options.create !== false);
  let client;
  try {
    client = openSqliteClient(path);
  } catch (error) {
    throw unreachable(error, where, 'Check that the directory exists or can be created, and is writable.');
  }
  // An empty file (left by an older botctl that created one on every read) is no database either.
  if (options.create === false && path !== ':memory:' && isEmptySqlite(client)) {
    client.close();
    throw databaseMissing(path);
  }
  const repos = createSqliteRepositories(client, options.cipher, where);
  const migrator = createMigrator(sqliteMigrationDriver(client), { dir: options.migrationsDir });
  return { repos, migrator, dialect: 'sqlite', close: () => repos.close() };
}

function isEmptySqlite(client: { prepare(sql: string): { get(): unknown } }): boolean {
  const row = client.prepare(`select count(*) as n from sqlite_master`).get() as { n: number };
  return row.n === 0;
}

async function openPostgres(options: OpenDatabaseOptions): Promise<Database> {
  const [{ createPgRepositories }, { pgMigrationDriver }] = await Promise.all([
    import('./pg/index.js'),
    import('./pg/ledger.js'),
  ]);
  const onNotice = options.onNotice;
  const client = await connectPostgres(options.url, {
    max: options.poolSize ?? defaultPoolSize(),
    applicationName: 'botctl',
    onNotice: onNotice ? (notice) => onNotice(`${notice.severity}: ${notice.message}`) : undefined,
  });
  const where = `PostgreSQL at ${maskUrlPassword(options.url)}`;
  const repos = createPgRepositories(client, options.cipher, where);
  const migrator = createMigrator(pgMigrationDriver(client), { dir: options.migrationsDir });
  return { repos, migrator, dialect: 'postgres', close: () => repos.close() };
}

/**
 * Connections a process opens at most, when the operator sets none: twice the CPU cores, at most
 * 10 (the old fixed size). postgres.js sends a query on an idle connection when it has one and
 * otherwise pipelines it behind the others, so a large pool under load spreads a burst's queries
 * one per connection: a socket write each, and a server process woken for each. On 2 cores, 4
 * connections answered about a fifth more messages a second than 10, at less CPU an answer
 * (README, Benchmarks); fewer than that let one slow query (a panel's statistics) hold up a
 * larger share of the answers pipelined behind it.
 */
export function defaultPoolSize(cores: number = os.availableParallelism()): number {
  return Math.max(2, Math.min(10, 2 * cores));
}

/** A postgres.js pool, probed once: a wrong URL fails here in one line, its password never shown. */
export async function connectPostgres(
  url: string,
  options: {
    max: number;
    applicationName: string;
    onNotice?: (notice: { severity: string; message: string }) => void;
  },
): Promise<Sql> {
  const { default: postgres } = await import('postgres');
  const where = `PostgreSQL at ${maskUrlPassword(url)}`;
  const secret = passwordOf(url);
  let client;
  try {
    client = postgres(url, {
      max: options.max,
      connect_timeout: 5,
      onnotice: (notice) => options.onNotice?.(notice as { severity: string; message: string }),
      connection: { application_name: options.applicationName },
    });
  } catch (error) {
    throw scrub(unreachable(error, where), secret);
  }
  try {
    await client.unsafe('select 1');
  } catch (error) {
    await client.end({ timeout: 0 }).catch(() => undefined);
    throw scrub(unreachable(error, where), secret);
  }
  return client;
}

/** The password as the driver sends it (decoded); undefined when the URL has none. */
function passwordOf(url: string): string | undefined {
  const password = urlPassword(url);
  if (password === undefined) return undefined;
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}

/** Belt and braces: drivers quote the URL in some messages; the password must never reach a log. */
function scrub(error: BotctlError, secret: string | undefined): BotctlError {
  if (
    secret === undefined ||
    (!error.message.includes(secret) && !error.message.includes(encodeURIComponent(secret)))
  ) {
    return error;
  }
  const message = error.message
    .replaceAll(secret, PASSWORD_MASK)
    .replaceAll(encodeURIComponent(secret), PASSWORD_MASK);
  return new BotctlError(error.code, message, { hint: error.hint, retryable: error.retryable });
}
