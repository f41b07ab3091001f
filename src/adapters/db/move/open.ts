/**
 * Opens one side of a `db move`: the configured database (the source, which must exist) or the
 * `--to` database (created when it is a missing SQLite file). Both come with the guard a daemon
 * holds, so the move can refuse while a bot runs on either.
 */
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { BotctlError } from '../../../domain/errors.js';
import type { MoveTarget } from '../../../domain/ports/index.js';
import { maskUrlPassword } from '../../../domain/url-password.js';
import { createDatabaseGuard } from '../guard.js';
import { connectPostgres, databaseMissing, prepareSqliteFile } from '../open.js';
import { unreachable } from '../shared/errors.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../url.js';

export interface OpenMoveOptions {
  /** Create a missing SQLite file (0600 in a 0700 directory): the target only. */
  create: boolean;
  /** What the URL was given as (`--to`), for a one-line usage error; unset for the configured database. */
  flag?: string;
  /** Relative SQLite paths resolve here. */
  baseDir: string;
  migrationsDir?: string;
}

function parse(url: string, options: OpenMoveOptions): DatabaseTarget {
  try {
    return parseDatabaseUrl(url, options.baseDir);
  } catch (error) {
    if (options.flag === undefined || !(error instanceof BotctlError)) throw error;
    throw new BotctlError('USAGE', `${options.flag}: ${String(error.params.problem ?? error.message)}`, {
      hint: 'give a postgres://user:password@host:5432/database URL or a SQLite file path',
    });
  }
}

export async function openMoveDatabase(url: string, options: OpenMoveOptions): Promise<MoveTarget> {
  const target = parse(url, options);
  if (target.location === ':memory:') {
    throw new BotctlError('USAGE', 'An in-memory SQLite database cannot take part in a move', {
      hint: 'give a SQLite file path or a postgres:// URL',
    });
  }
  // The guard a daemon on this database holds (the resolved location, as config gives it).
  const guard = createDatabaseGuard(target.location);
  if (target.dialect === 'sqlite') {
    const path = target.location;
    const createdHere = !existsSync(path);
    prepareSqliteFile(path, options.create);
    const [{ openSqliteClient }, { sqliteMoveDatabase }] = await Promise.all([
      import('../sqlite/client.js'),
      import('./sqlite.js'),
    ]);
    let client;
    try {
      client = openSqliteClient(path);
    } catch (error) {
      throw unreachable(error, `SQLite database ${path}`);
    }
    const empty = (client.prepare(`select count(*) as n from sqlite_master`).get() as { n: number }).n === 0;
    if (!options.create && empty) {
      client.close();
      throw databaseMissing(path);
    }
    const opened = sqliteMoveDatabase(client, path, `sqlite:${realPath(path)}`, guard, options.migrationsDir);
    if (!createdHere) return opened;
    // A file this move created and never wrote to (refused: a bot running, a declined prompt) is
    // not left behind; once anything is in it, it stays for the move to resume.
    const close = opened.close.bind(opened);
    opened.close = async () => {
      const unused =
        (client.prepare(`select count(*) as n from sqlite_master`).get() as { n: number }).n === 0;
      await close();
      if (unused)
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
    };
    return opened;
  }
  const [client, { pgMoveDatabase }] = await Promise.all([
    connectPostgres(target.location, { max: 2, applicationName: 'botctl db move' }),
    import('./pg.js'),
  ]);
  return pgMoveDatabase(
    client,
    maskUrlPassword(target.location),
    postgresIdentity(target.location),
    guard,
    options.migrationsDir,
  );
}

/** host:port/database: two URLs naming the same database (other user, other options) agree. */
function postgresIdentity(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres:${parsed.hostname}:${parsed.port || '5432'}${decodeURIComponent(parsed.pathname)}`;
  } catch {
    return `postgres:${maskUrlPassword(url)}`;
  }
}

/** A SQLite path as the file system sees it (a symlink names the same file). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
