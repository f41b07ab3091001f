/**
 * Coded errors. Every failure that reaches a user or an operator is one of these:
 * a stable code (documented in README and in both locales as `error-<code>`),
 * the process exit code a command ends with, an optional hint that says what to do,
 * and whether retrying the same call may succeed.
 *
 * Adapters translate their SDK's errors into these at the boundary; nothing above
 * them sees a GrammyError, an ApiError or a SQLSTATE.
 */

/**
 * Exit codes: 0 ok, 1 failure, 2 usage/config (an unknown command too), 75 temporary (EX_TEMPFAIL,
 * e.g. "already running"), 130 interrupted (128 + SIGINT, what a shell reports for Ctrl-C).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, tempFail: 75, interrupted: 130 } as const;

export const ERROR_CODES = {
  CONFIG_INVALID: { exit: EXIT.usage, retryable: false },
  CONFIG_MISSING: { exit: EXIT.usage, retryable: false },
  USAGE: { exit: EXIT.usage, retryable: false },
  DATABASE_UNREACHABLE: { exit: EXIT.failure, retryable: true },
  DATABASE_ERROR: { exit: EXIT.failure, retryable: false },
  DATABASE_MISSING: { exit: EXIT.failure, retryable: false },
  SCHEMA_NEWER: { exit: EXIT.failure, retryable: false },
  MIGRATIONS_PENDING: { exit: EXIT.failure, retryable: false },
  MIGRATION_TAMPERED: { exit: EXIT.failure, retryable: false },
  MIGRATION_FAILED: { exit: EXIT.failure, retryable: false },
  DECRYPTION_FAILED: { exit: EXIT.failure, retryable: false },
  TELEGRAM_UNAUTHORIZED: { exit: EXIT.failure, retryable: false },
  TELEGRAM_ERROR: { exit: EXIT.failure, retryable: true },
  TELEGRAM_CONFLICT: { exit: EXIT.failure, retryable: false },
  GEMINI_UNAUTHORIZED: { exit: EXIT.failure, retryable: false },
  GEMINI_UNAVAILABLE: { exit: EXIT.failure, retryable: true },
  GEMINI_BUSY: { exit: EXIT.failure, retryable: true },
  GEMINI_BLOCKED: { exit: EXIT.failure, retryable: false },
  GEMINI_EMPTY: { exit: EXIT.failure, retryable: false },
  QUOTA_EXCEEDED: { exit: EXIT.failure, retryable: false },
  RATE_LIMITED: { exit: EXIT.failure, retryable: true },
  INPUT_TOO_LARGE: { exit: EXIT.failure, retryable: false },
  BACKUP_CORRUPT: { exit: EXIT.failure, retryable: false },
  BACKUP_PASSPHRASE: { exit: EXIT.failure, retryable: false },
  BACKUP_FAILED: { exit: EXIT.failure, retryable: false },
  LOCKED: { exit: EXIT.tempFail, retryable: true },
  PORT_IN_USE: { exit: EXIT.failure, retryable: false },
  NOT_FOUND: { exit: EXIT.failure, retryable: false },
  CHECK_FAILED: { exit: EXIT.failure, retryable: false },
  INTERNAL: { exit: EXIT.failure, retryable: false },
} as const satisfies Record<string, { exit: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface BotctlErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Overrides the code's default (e.g. a Gemini 400 is not retryable, a 503 is). */
  retryable?: boolean;
  /** Values for the locale message, e.g. { seconds: 30 }. */
  params?: Record<string, string | number>;
}

export class BotctlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, options: BotctlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BotctlError';
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.hint = options.hint;
    this.params = options.params ?? {};
  }

  /** The Fluent key users see this error under, in src/locales/{en,ru}.ftl. */
  get localeKey(): string {
    return `error-${this.code.toLowerCase().replaceAll('_', '-')}`;
  }
}

export function isBotctlError(value: unknown): value is BotctlError {
  return value instanceof BotctlError;
}

/** Wraps anything thrown into a BotctlError, keeping coded errors as they are. */
export function toBotctlError(value: unknown): BotctlError {
  if (value instanceof BotctlError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new BotctlError('INTERNAL', message, { cause: value });
}
