/**
 * The database probes: setup asks "does it answer?" before writing anything, doctor asks
 * "is it at the schema this botctl expects?". Neither creates a SQLite file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BotctlError } from '../domain/errors.js';
import type { MigrationStatus } from '../domain/ports.js';
import { isPostgresUrl, redactUrl, sqlitePath } from '../adapters/db/open.js';
import { nearestExisting } from './writable.js';

/** Opens the database, reads the migration state, closes it. */
export async function migrationStatus(url: string): Promise<MigrationStatus> {
  assertSqliteExists(url);
  const db = await openProbeDatabase(url);
  try {
    return await db.migrator.status();
  } finally {
    await db.close();
  }
}

/** Connects (PostgreSQL) and closes again; for SQLite only checks that the file could be created. */
export async function databaseReachable(url: string): Promise<void> {
  if (isPostgresUrl(url)) return void (await (await openProbeDatabase(url)).close());
  const file = sqlitePath(url);
  if (nearestExisting(path.dirname(file)) === null) {
    throw new BotctlError(
      'DATABASE_UNREACHABLE',
      `SQLite database ${file}: no directory on that path can be created`,
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
    throw unreachable(error, `PostgreSQL at ${redactUrl(url)}`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

async function openProbeDatabase(url: string) {
  const [{ openDatabase }, { createFieldCipher }] = await Promise.all([
    import('../adapters/db/open.js'),
    import('../adapters/system/cipher.js'),
  ]);
  return openDatabase({ url, cipher: createFieldCipher([]) });
}

/** Doctor looks, it does not create: opening a missing SQLite file would create an empty one. */
function assertSqliteExists(url: string): void {
  if (isPostgresUrl(url)) return;
  const file = sqlitePath(url);
  if (file !== ':memory:' && !fs.existsSync(file)) {
    throw new BotctlError('DATABASE_UNREACHABLE', `SQLite database ${redactUrl(file)} does not exist yet`, {
      hint: 'run `botctl setup` or `botctl migrate up`',
    });
  }
}
