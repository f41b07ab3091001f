/**
 * The two safety nets that make a cache outage degrade to "no cache": every operation is raced
 * against a short deadline, and failures are reported through a rate-limited callback so a Redis
 * that is down for an hour yields a handful of log lines, not one per message.
 */

/** Settles with `fallback` (never rejects) when `work` fails or outlasts `timeoutMs`. */
export async function withDeadline<T>(
  work: () => Promise<T>,
  fallback: T,
  timeoutMs: number,
  what: string,
  report: (error: Error) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      report(new Error(`cache ${what} timed out after ${timeoutMs} ms`));
      resolve(fallback);
    }, timeoutMs);
  });
  const attempt = (async () => {
    try {
      return await work();
    } catch (error) {
      report(asError(error, `cache ${what} failed`));
      return fallback;
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wraps onError so that at most one report goes out per `intervalMs`; the next report after a
 * quiet spell says how many were swallowed, so the log still shows the size of the outage.
 */
export function rateLimitedReporter(
  onError: ((error: Error) => void) | undefined,
  intervalMs = 10_000,
  now: () => number = Date.now,
): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (raw) => {
    if (onError === undefined) return;
    const at = now();
    if (at - last < intervalMs) {
      suppressed += 1;
      return;
    }
    last = at;
    let error = asError(raw, 'cache error');
    if (suppressed > 0) {
      error = new Error(`${error.message} (${suppressed} more cache errors suppressed)`, { cause: error });
      suppressed = 0;
    }
    try {
      onError(error);
    } catch {
      // A failing logger must not turn a cache miss into a crash.
    }
  };
}

/** keyv emits some errors as bare strings ("symbol cannot be serialized"). */
export function asError(value: unknown, fallbackMessage: string): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string' && value !== '') return new Error(value);
  return new Error(fallbackMessage, { cause: value });
}
