/**
 * Opens the database named by a URL: postgres:// or postgresql:// -> PostgreSQL through
 * postgres.js; anything else -> a SQLite file (an optional sqlite: or file: prefix is dropped).
 * The connection is probed before returning, so a wrong URL fails here, in one line, with the
 * password redacted.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotctlError } from '../../domain/errors.js';
import type { Dialect, FieldCipher, Migrator, Repositories } from '../../domain/ports.js';
import { createMigrator } from './migrate.js';
import { unreachable } from './shared/errors.js';

export interface OpenDatabaseOptions {
  /** postgres://user:pass@host:5432/db, or a SQLite path (sqlite:/file: prefixes accepted, ":memory:"). */
  url: string;
  /** Seals and opens personal fields; use createFieldCipher([]) for none. */
  cipher: FieldCipher;
  /** PostgreSQL NOTICE messages (e.g. "relation already exists, skipping"); dropped when absent. */
  onNotice?: (message: string) => void;
  /** Migrations folder override (tests); default: this package's migrations/<dialect>. */
  migrationsDir?: string;
}

export interface Database {
  readonly repos: Repositories;
  readonly migrator: Migrator;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** The URL with its password replaced by ***, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** The file path of a SQLite URL, absolute (relative paths resolve against the working directory). */
export function sqlitePath(url: string): string {
  const trimmed = url.trim();
  if (trimmed === ':memory:') return trimmed;
  if (/^file:\/\//i.test(trimmed)) return fileURLToPath(trimmed);
  const bare = trimmed.replace(/^(sqlite|file):/i, '').replace(/^\/\/(?=.)/, '');
  return bare === ':memory:' ? bare : resolve(bare);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url.trim() === '') {
    throw new BotctlError('CONFIG_INVALID', 'databaseUrl is empty', {
      hint: 'Set databaseUrl to a SQLite file path or a postgres:// URL.',
      params: { key: 'databaseUrl' },
    });
  }
  return isPostgresUrl(options.url) ? openPostgres(options) : openSqlite(options);
}

async function openSqlite(options: OpenDatabaseOptions): Promise<Database> {
  const [{ openSqliteClient }, { createSqliteRepositories }, { sqliteMigrationDriver }] = await Promise.all([
    import('./sqlite/client.js'),
    import('./sqlite/index.js'),
    import('./sqlite/ledger.js'),
  ]);
  const path = sqlitePath(options.url);
  const where = `SQLite database ${path}`;
  let client;
  try {
    client = openSqliteClient(path);
  } catch (error) {
    throw unreachable(error, where, 'Check that the directory exists or can be created, and is writable.');
  }
  const repos = createSqliteRepositories(client, options.cipher, where);
  const migrator = createMigrator(sqliteMigrationDriver(client), { dir: options.migrationsDir });
  return { repos, migrator, dialect: 'sqlite', close: () => repos.close() };
}

async function openPostgres(options: OpenDatabaseOptions): Promise<Database> {
  const [{ default: postgres }, { createPgRepositories }, { pgMigrationDriver }] = await Promise.all([
    import('postgres'),
    import('./pg/index.js'),
    import('./pg/ledger.js'),
  ]);
  const where = `PostgreSQL at ${redactUrl(options.url)}`;
  const secret = passwordOf(options.url);
  const onNotice = options.onNotice;
  let client;
  try {
    client = postgres(options.url, {
      max: 10,
      connect_timeout: 5,
      onnotice: onNotice ? (notice) => onNotice(`${notice.severity}: ${notice.message}`) : () => undefined,
      connection: { application_name: 'botctl' },
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
  const repos = createPgRepositories(client, options.cipher, where);
  const migrator = createMigrator(pgMigrationDriver(client), { dir: options.migrationsDir });
  return { repos, migrator, dialect: 'postgres', close: () => repos.close() };
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
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
  const message = error.message.replaceAll(secret, '***').replaceAll(encodeURIComponent(secret), '***');
  return new BotctlError(error.code, message, { hint: error.hint, retryable: error.retryable });
}
