/**
 * The one reader of database URLs: every module that needs to know "PostgreSQL or SQLite, and
 * where" asks here, so they cannot disagree. Accepted:
 *
 *   postgres://... or postgresql://...        PostgreSQL
 *   file:///abs/path, file:path, sqlite:path  SQLite (sqlite://path as well)
 *   a plain path, or :memory:                 SQLite
 *
 * Anything else with a scheme (mysql://, redis://, a typo) is a configuration error naming the
 * key: before this, it became a relative SQLite file named after the URL, password included.
 * Relative SQLite paths resolve against the base directory (the data dir), never the working
 * directory, so running botctl from two directories cannot make two databases.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotctlError } from '../../domain/errors.js';
import type { Dialect } from '../../domain/ports/index.js';

export interface DatabaseTarget {
  readonly dialect: Dialect;
  /** PostgreSQL: the URL as given (trimmed). SQLite: an absolute file path, or ":memory:". */
  readonly location: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Why the value is not a database URL botctl can use; undefined when it is. Never quotes a password. */
export function databaseUrlProblem(raw: string): string | undefined {
  try {
    parseDatabaseUrl(raw, '/');
    return undefined;
  } catch (error) {
    if (error instanceof BotctlError) return error.params.problem as string;
    throw error;
  }
}

/** The dialect and location of a database URL; throws CONFIG_INVALID naming databaseUrl. */
export function parseDatabaseUrl(raw: string, baseDir: string): DatabaseTarget {
  const url = raw.trim();
  if (url === '') throw invalid('must not be empty');
  if (url === ':memory:') return { dialect: 'sqlite', location: url };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { dialect: 'sqlite', location: path.resolve(baseDir, url) };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // fall through: reported below
    }
    if (!url.slice(scheme.length + 1).startsWith('//') || host === '')
      throw invalid(`a ${scheme}: URL needs a host: postgres://user:password@host:5432/database`);
    return { dialect: 'postgres', location: url };
  }
  if (scheme === 'file' && url.toLowerCase().startsWith('file://')) {
    try {
      return { dialect: 'sqlite', location: fileURLToPath(url) };
    } catch {
      throw invalid(
        'a file:// URL must name a local absolute path, e.g. file:///var/lib/botctl/botctl.sqlite',
      );
    }
  }
  if (scheme === 'file' || scheme === 'sqlite') {
    // sqlite:path, sqlite://path, sqlite:///abs/path, file:path
    const bare = url.slice(scheme.length + 1).replace(/^\/\/(?=.)/, '');
    if (bare === '') throw invalid(`${scheme}: needs a file path after it`);
    if (bare === ':memory:') return { dialect: 'sqlite', location: bare };
    return { dialect: 'sqlite', location: path.resolve(baseDir, bare) };
  }
  throw invalid(
    `unsupported scheme "${scheme}:"; use postgres://..., postgresql://..., a SQLite file path, or file:/sqlite: before one`,
  );
}

function invalid(problem: string): BotctlError {
  return new BotctlError('CONFIG_INVALID', `databaseUrl (BOTCTL_DATABASE_URL): ${problem}`, {
    hint: 'set databaseUrl to a postgres:// URL or a SQLite file path (`botctl config set databaseUrl ...`)',
    params: { key: 'databaseUrl', problem },
  });
}
