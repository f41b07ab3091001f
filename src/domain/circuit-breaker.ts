/**
 * A circuit breaker in front of the model API. When Gemini is down, every chat would
 * otherwise wait out its own timeouts and retries; after enough failures in a short window
 * the circuit opens and calls fail fast with GEMINI_UNAVAILABLE (retryable, with the time
 * left as retryAfterSeconds) until one trial call shows the service is back.
 */
import { BotctlError } from './errors.js';
import { isRetryableError } from './retry-policy.js';

type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. */
  failureThreshold: number;
  windowMs: number;
  /** How long the circuit stays open before letting one trial call through. */
  openMs: number;
  /** Epoch ms. */
  now: () => number;
  /**
   * Which errors count as the service failing. Default: retryable ones (5xx, 429, network).
   * A safety block or a bad request says nothing about availability.
   */
  isFailure?: (error: unknown) => boolean;
  /** For messages and logs. Default "Gemini". */
  name?: string;
  /** Told when the circuit opens (from closed) and when it closes again; a half-open trial is neither. */
  onChange?: (state: 'open' | 'closed') => void;
}

export interface CircuitBreaker {
  state(): CircuitState;
  /** Throws GEMINI_UNAVAILABLE when the call may not go ahead; call success() or failure() after. */
  acquire(): void;
  success(): void;
  failure(error: unknown): void;
  /** acquire(), fn(), then success() or failure() with what fn threw. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { failureThreshold, windowMs, openMs, now, isFailure = isRetryableError, name = 'Gemini' } = options;
  const onChange = options.onChange ?? (() => undefined);
  let failures: number[] = [];
  let openedAt: number | null = null;
  // When the half-open trial started; a trial never reported expires after openMs,
  // so a caller that forgets to report cannot wedge the circuit half-open forever.
  let trialAt: number | null = null;

  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= openMs ? 'half-open' : 'open';
  };

  const reject = (waitMs: number): BotctlError =>
    new BotctlError(
      'GEMINI_UNAVAILABLE',
      `${name} is failing; calls are paused for ${Math.ceil(waitMs / 1000)} s`,
      {
        retryable: true,
        params: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
        hint: 'The circuit breaker opened after repeated failures; it retries on its own.',
      },
    );

  const breaker: CircuitBreaker = {
    state,
    acquire() {
      const current = state();
      const t = now();
      if (current === 'closed') return;
      if (current === 'open') throw reject(openMs - (t - openedAt!));
      if (trialAt !== null && t - trialAt < openMs) throw reject(1000);
      trialAt = t;
    },
    success() {
      if (openedAt === null) return;
      openedAt = null;
      trialAt = null;
      failures = [];
      onChange('closed');
    },
    failure(error) {
      if (!isFailure(error)) return breaker.success();
      const t = now();
      if (openedAt !== null) {
        // Only the trial's verdict matters; late failures of calls made before opening do not.
        if (state() === 'half-open') [openedAt, trialAt] = [t, null];
        return;
      }
      failures = failures.filter((at) => t - at < windowMs);
      failures.push(t);
      if (failures.length >= failureThreshold) {
        [openedAt, trialAt, failures] = [t, null, []];
        onChange('open');
      }
    },
    async run(fn) {
      breaker.acquire();
      try {
        const result = await fn();
        breaker.success();
        return result;
      } catch (error) {
        breaker.failure(error);
        throw error;
      }
    },
  };
  return breaker;
}
