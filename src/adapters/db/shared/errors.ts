/**
 * Driver errors -> coded errors. Drizzle wraps driver errors in "Failed query: <sql> params: ..."
 * (params may hold personal data), so the message is always taken from the driver error itself.
 */
import { BotctlError } from '../../../domain/errors.js';

interface DriverError extends Error {
  code?: unknown;
  errno?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** Codes that mean "cannot reach or log in", with what to do about each. */
const UNREACHABLE_HINTS: Record<string, string> = {
  ECONNREFUSED: 'Nothing listens at that host and port: start the database or fix the URL.',
  ENOTFOUND: 'The host name does not resolve: check the host in the URL.',
  EAI_AGAIN: 'The host name does not resolve: check DNS and the host in the URL.',
  CONNECT_TIMEOUT: 'No answer within 5 s: check the host, port and firewall.',
  ETIMEDOUT: 'No answer in time: check the host, port and firewall.',
  '28P01': 'Check the user name and password in the database URL.',
  '28000': 'The server refused this user (pg_hba.conf); check the database URL.',
  '3D000': 'Create the database first (createdb) or fix its name in the URL.',
  '53300': 'The server has no free connections; lower other pools or raise max_connections.',
  '57P01': 'The server is shutting down; retry when it is back.',
  '57P02': 'The server is shutting down; retry when it is back.',
  '57P03': 'The server is starting up; retry in a moment.',
};

const DEFAULT_HINT = 'Check that the database is running and the URL is right.';
const UNREACHABLE_SQLITE = new Set(['SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_PERM', 'SQLITE_AUTH']);
const RETRYABLE = new Set(['40001', '40P01', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** The innermost error that carries a driver code (SQLSTATE, SQLITE_*, errno name). */
function driverError(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    const code = (current as DriverError).code;
    if (typeof code === 'string' && code !== '') return current as DriverError;
    current = current.cause;
  }
  return error instanceof Error ? error : undefined;
}

function errorCode(error: unknown): string | undefined {
  const code = driverError(error)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for failures to reach, open or log in to the database (as opposed to a bad query). */
function isUnreachable(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return (
    // better-sqlite3 after close(): a TypeError with no code.
    /database connection is not open/.test(driverError(error)?.message ?? '') ||
    NETWORK_CODES.has(code) ||
    code.startsWith('08') ||
    code in UNREACHABLE_HINTS ||
    inFamily(UNREACHABLE_SQLITE, code)
  );
}

/**
 * Maps anything a driver throws to a BotctlError; coded errors pass through untouched.
 * `where` names the database for unreachable errors (already redacted by the caller).
 */
export function translateDbError(error: unknown, where = 'the database'): BotctlError {
  if (error instanceof BotctlError) return error;
  const driver = driverError(error);
  const code = errorCode(error);
  const detail = oneLine(driver?.message ?? String(error));
  if (isUnreachable(error)) {
    return new BotctlError('DATABASE_UNREACHABLE', `Cannot reach ${where}: ${labelled(code, detail)}`, {
      cause: error,
      hint: (code && UNREACHABLE_HINTS[code]) ?? DEFAULT_HINT,
    });
  }
  return new BotctlError('DATABASE_ERROR', `Database error: ${labelled(code, detail)}`, {
    cause: error,
    retryable: code !== undefined && inFamily(RETRYABLE, code),
  });
}

/** SQLite extended codes (SQLITE_BUSY_TIMEOUT) belong to their primary code's family. */
function inFamily(codes: Set<string>, code: string): boolean {
  for (const primary of codes) if (code === primary || code.startsWith(`${primary}_`)) return true;
  return false;
}

/** For probes (ping, open): any failure there means the database is not usable. */
export function unreachable(error: unknown, where = 'the database', hint?: string): BotctlError {
  if (error instanceof BotctlError && error.code === 'DATABASE_UNREACHABLE') return error;
  const code = errorCode(error);
  const detail = oneLine(driverError(error)?.message ?? String(error));
  return new BotctlError('DATABASE_UNREACHABLE', `Cannot reach ${where}: ${labelled(code, detail)}`, {
    cause: error,
    hint: (code && UNREACHABLE_HINTS[code]) ?? hint ?? DEFAULT_HINT,
  });
}

/** "SQLSTATE 23503: ..." for PostgreSQL, "SQLITE_BUSY: ..." for SQLite; errno names are already in the text. */
function labelled(code: string | undefined, detail: string): string {
  if (code === undefined || detail.includes(code)) return detail;
  return /^(?=.*\d)[0-9A-Z]{5}$/.test(code) ? `SQLSTATE ${code}: ${detail}` : `${code}: ${detail}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Wraps every method of a repository so nothing above the adapter sees a driver error.
 * Methods are async already; sync throws (better-sqlite3) become rejections too.
 */
export function guard<T extends object>(repo: T, where?: string): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    wrapped[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => unknown).apply(repo, args);
            } catch (error) {
              throw translateDbError(error, where);
            }
          }
        : value;
  }
  return Object.freeze(wrapped) as T;
}
