/**
 * The database probes: setup asks "does it answer?" before writing anything, doctor asks
 * "is it at the schema this botctl expects?". Neither creates a SQLite file.
 */
import path from 'node:path';
import { BotctlError } from '../domain/errors.js';
import type { MigrationStatus } from '../domain/ports/index.js';
import { nearestExisting } from '../adapters/system/dirs.js';
import { parseDatabaseUrl } from '../adapters/db/url.js';
import { maskUrlPassword } from '../domain/url-password.js';

/** Opens the database (a missing SQLite file is DATABASE_MISSING), reads the migration state, closes it. */
export async function migrationStatus(url: string): Promise<MigrationStatus> {
  const db = await openProbeDatabase(url);
  try {
    return await db.migrator.status();
  } finally {
    await db.close();
  }
}

/**
 * Connects (PostgreSQL) and closes again; for SQLite only checks that the file could be created.
 * A relative SQLite path is taken relative to dataDir, as the loaded config will take it.
 */
export async function databaseReachable(url: string, dataDir = process.cwd()): Promise<void> {
  const target = parseDatabaseUrl(url, dataDir);
  if (target.dialect === 'postgres') return void (await (await openProbeDatabase(target.location)).close());
  if (nearestExisting(path.dirname(target.location)) === null) {
    throw new BotctlError(
      'DATABASE_UNREACHABLE',
      `SQLite database ${target.location}: no directory on that path can be created`,
      {
        hint: 'choose a path in a writable directory',
      },
    );
  }
}

/** The server's major version: pg_dump refuses a server newer than itself. */
export async function postgresMajor(url: string): Promise<number> {
  const [{ default: postgres }, { unreachable }] = await Promise.all([
    import('postgres'),
    import('../adapters/db/shared/errors.js'),
  ]);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    const [row] = await sql.unsafe<Array<{ server_version_num: string }>>('show server_version_num');
    return Math.floor(Number(row?.server_version_num) / 10_000);
  } catch (error) {
    throw unreachable(error, `PostgreSQL at ${maskUrlPassword(url)}`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** The daemons on a Postgres database: each holds one session named after its instance (pg/guard.ts). */
export async function instances(url: string): Promise<number> {
  const [{ default: postgres }, { unreachable }, { INSTANCE_APPLICATION }] = await Promise.all([
    import('postgres'),
    import('../adapters/db/shared/errors.js'),
    import('../adapters/db/pg/guard.js'),
  ]);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    const [row] = await sql<Array<{ n: string }>>`
      select count(*) as n from pg_stat_activity
      where datname = current_database() and application_name like ${`${INSTANCE_APPLICATION}%`}`;
    return Number(row?.n ?? 0);
  } catch (error) {
    throw unreachable(error, `PostgreSQL at ${maskUrlPassword(url)}`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

async function openProbeDatabase(url: string) {
  const [{ openDatabase }, { createFieldCipher }] = await Promise.all([
    import('../adapters/db/open.js'),
    import('../adapters/system/cipher.js'),
  ]);
  // Probes look, they do not create: opening a missing SQLite file would create an empty one.
  return openDatabase({ url, cipher: createFieldCipher([]), create: false });
}
