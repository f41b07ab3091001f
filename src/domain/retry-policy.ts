/**
 * Retry as a named policy that decides by error type. Only errors that say a later attempt
 * may succeed are retried: coded errors marked retryable, and bare network failures from
 * below the adapters. A server's retry delay (Telegram's retry_after, Gemini's RetryInfo,
 * carried as params.retryAfterSeconds) is never undercut; if it is longer than we are
 * willing to wait, we give up at once rather than hold the request hostage.
 */
import { BotctlError } from './errors.js';

export interface RetryPolicyOptions {
  /** Attempts in total, the first included (1 = never retry). */
  maxAttempts: number;
  /** Backoff ceiling for the first retry; it doubles each attempt. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
  /** Source of jitter in [0, 1). Default Math.random; inject for deterministic tests. */
  random?: () => number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Delay before the next attempt after attempt number `attempt` (1-based) failed, or null to give up. */
  nextDelay(attempt: number, error: unknown): number | null;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function createRetryPolicy(options: RetryPolicyOptions): RetryPolicy {
  const { maxAttempts, baseDelayMs, maxDelayMs, random = Math.random } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError('maxAttempts must be an integer >= 1');
  if (baseDelayMs < 0 || maxDelayMs < baseDelayMs)
    throw new RangeError('need 0 <= baseDelayMs <= maxDelayMs');
  return {
    maxAttempts,
    nextDelay(attempt, error) {
      if (attempt >= maxAttempts || !isRetryableError(error)) return null;
      const serverMs = retryAfterMs(error);
      if (serverMs !== null) {
        if (serverMs > maxDelayMs) return null;
        // A little jitter on top keeps every sender sharing a bot token from waking together.
        return Math.min(maxDelayMs, serverMs + Math.floor(random() * baseDelayMs));
      }
      // Full jitter (uniform in [0, ceiling)) spreads retries of many clients best.
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      return Math.floor(random() * ceiling);
    },
  };
}

/** Coded errors say so themselves; anything else only when it is a recognisable network failure. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof BotctlError) return error.retryable;
  if (!(error instanceof Error) || error.name === 'AbortError') return false;
  const flagged = (error as { retryable?: unknown }).retryable;
  if (typeof flagged === 'boolean') return flagged;
  // fetch wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }).
  for (let e: unknown = error, depth = 0; e instanceof Object && depth < 4; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  }
  return false;
}

/** The server's requested delay in ms, from params.retryAfterSeconds, or null. */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof BotctlError)) return null;
  const seconds = Number(error.params['retryAfterSeconds'] ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
}

export interface RetryOptions {
  /** Injected so tests run instantly and shutdown can interrupt a wait; should reject when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each wait; `attempt` is the one that failed (1-based). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops further attempts; the last error (or the abort reason) is thrown. */
  signal?: AbortSignal;
}

/** Runs `fn` until it succeeds or the policy gives up, then throws the last error unchanged. */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions,
): Promise<T> {
  const { sleep, onRetry, signal } = options;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      const delayMs = signal?.aborted === true ? null : policy.nextDelay(attempt, error);
      if (delayMs === null) throw error;
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}
