import { describe, expect, it, vi } from 'vitest';
import { BotctlError } from '../../src/domain/errors.js';
import { createRetryPolicy, isRetryableError, retry, retryAfterMs } from '../../src/domain/retry-policy.js';

const unavailable = (params: Record<string, string | number> = {}) =>
  new BotctlError('GEMINI_UNAVAILABLE', 'Gemini 503', { params });
const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('isRetryableError', () => {
  it('trusts coded errors', () => {
    expect(isRetryableError(unavailable())).toBe(true);
    expect(isRetryableError(new BotctlError('RATE_LIMITED', '429'))).toBe(true);
    expect(isRetryableError(new BotctlError('GEMINI_BLOCKED', 'safety'))).toBe(false);
    expect(isRetryableError(new BotctlError('TELEGRAM_ERROR', '400', { retryable: false }))).toBe(false);
  });

  it('retries recognisable network failures, also wrapped by fetch, and nothing else', () => {
    expect(isRetryableError(networkError('ECONNRESET'))).toBe(true);
    expect(isRetryableError(new TypeError('fetch failed', { cause: networkError('UND_ERR_SOCKET') }))).toBe(
      true,
    );
    expect(isRetryableError(Object.assign(new Error('flaky'), { retryable: true }))).toBe(true);
    expect(isRetryableError(networkError('ENOENT'))).toBe(false);
    expect(isRetryableError(new TypeError('x is undefined'))).toBe(false);
    expect(
      isRetryableError(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' })),
    ).toBe(false);
    expect(isRetryableError('ECONNRESET')).toBe(false);
  });
});

describe('createRetryPolicy', () => {
  const policy = createRetryPolicy({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });

  it('backs off exponentially with full jitter, capped at maxDelayMs', () => {
    const delays = [1, 2, 3, 4].map((attempt) => policy.nextDelay(attempt, unavailable()));
    expect(delays).toEqual([50, 100, 200, 400]);
    const high = createRetryPolicy({
      maxAttempts: 10,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.999,
    });
    expect(high.nextDelay(9, unavailable())).toBe(999);
    const low = createRetryPolicy({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    expect(low.nextDelay(3, unavailable())).toBe(0);
  });

  it('gives up after maxAttempts and on errors that are not retryable', () => {
    expect(policy.nextDelay(5, unavailable())).toBeNull();
    expect(policy.nextDelay(1, new BotctlError('GEMINI_UNAUTHORIZED', 'bad key'))).toBeNull();
    expect(policy.nextDelay(1, new Error('bug'))).toBeNull();
  });

  it('never waits less than the server asked, and gives up when it asks for too long', () => {
    expect(policy.nextDelay(1, unavailable({ retryAfterSeconds: 0.7 }))).toBe(750);
    expect(policy.nextDelay(1, unavailable({ retryAfterSeconds: '1' }))).toBe(1000);
    expect(policy.nextDelay(1, unavailable({ retryAfterSeconds: 2 }))).toBeNull();
    const rateLimited = new BotctlError('RATE_LIMITED', 'Too Many Requests', {
      params: { retryAfterSeconds: 0.2 },
    });
    expect(policy.nextDelay(4, rateLimited)).toBe(250);
  });

  it('reads the server delay only from coded errors', () => {
    expect(retryAfterMs(unavailable({ retryAfterSeconds: 3 }))).toBe(3000);
    expect(retryAfterMs(unavailable({ retryAfterSeconds: 'soon' }))).toBeNull();
    expect(retryAfterMs(Object.assign(new Error('x'), { params: { retryAfterSeconds: 3 } }))).toBeNull();
  });

  it('rejects nonsense options', () => {
    expect(() => createRetryPolicy({ maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 })).toThrow(RangeError);
    expect(() => createRetryPolicy({ maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 1 })).toThrow(RangeError);
  });
});

describe('retry', () => {
  const policy = createRetryPolicy({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });

  it('retries until success, sleeping what the policy says and reporting each retry', async () => {
    const sleep = vi.fn(async (_ms: number) => undefined);
    const onRetry = vi.fn();
    const fn = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw unavailable();
      return `ok on ${attempt}`;
    });
    await expect(retry(fn, policy, { sleep, onRetry })).resolves.toBe('ok on 3');
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([50, 100]);
    expect(onRetry.mock.calls.map(([, attempt, delay]) => [attempt, delay])).toEqual([
      [1, 50],
      [2, 100],
    ]);
  });

  it('throws the last error unchanged when attempts run out', async () => {
    const errors = [unavailable(), unavailable(), unavailable()];
    const fn = vi.fn(async (attempt: number) => {
      throw errors[attempt - 1];
    });
    await expect(retry(fn, policy, { sleep: async () => undefined })).rejects.toBe(errors[2]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('does not retry an error that is not retryable', async () => {
    const blocked = new BotctlError('GEMINI_BLOCKED', 'safety');
    const sleep = vi.fn(async () => undefined);
    await expect(retry(async () => Promise.reject(blocked), policy, { sleep })).rejects.toBe(blocked);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('stops when the signal aborts, before or between attempts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const fn = vi.fn(async () => 'never');
    await expect(
      retry(fn, policy, { sleep: async () => undefined, signal: controller.signal }),
    ).rejects.toThrow('shutting down');
    expect(fn).not.toHaveBeenCalled();

    const later = new AbortController();
    const failing = vi.fn(async () => {
      later.abort();
      throw unavailable();
    });
    const sleep = vi.fn(async () => undefined);
    await expect(retry(failing, policy, { sleep, signal: later.signal })).rejects.toMatchObject({
      code: 'GEMINI_UNAVAILABLE',
    });
    expect(failing).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });
});
