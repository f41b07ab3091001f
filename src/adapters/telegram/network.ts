/**
 * Telegram unreachable (connection refused or reset, DNS, a socket timeout: grammY's HttpError).
 * auto-retry would wait 3 s, 6 s, 12 s ... up to an hour between tries and say nothing, so after
 * an outage answers resumed a minute and a half late with no log line. Here every sender and the
 * poller share one short, capped backoff and one outage log: a warning at the first failure, at
 * most one more every 30 s with the count, and one line when Telegram answers again.
 */
import { HttpError, type Transformer } from 'grammy';
import type { Log } from '../../domain/telemetry.js';

/** The wait before retry n (0-based): 0.5 s doubling to a 5 s cap. */
export const networkRetryDelay = (attempt: number): number => Math.min(500 * 2 ** attempt, 5_000);

const WARN_EVERY_MS = 30_000;

export interface TelegramNetwork {
  /** Retries sends over network failures for up to `sendRetryMs`; getUpdates is the poller's to retry. */
  transformer: Transformer;
  /** A call failed on the network (the poller reports its own). */
  failed(error: unknown): void;
  /** A call got through: ends an outage, if there was one. */
  reached(): void;
  /** Since when Telegram has been unreachable, or null (readiness). */
  downSince(): number | null;
}

export function createTelegramNetwork(options: {
  log: Log;
  /** How long one send keeps retrying before its error is given up to the caller. Default 60 s. */
  sendRetryMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}): TelegramNetwork {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const sendRetryMs = options.sendRetryMs ?? 60_000;
  let since: number | null = null;
  let failures = 0;
  let lastWarnAt = Number.NEGATIVE_INFINITY;

  const network: TelegramNetwork = {
    failed(error) {
      const at = now();
      since ??= at;
      failures += 1;
      if (at - lastWarnAt < WARN_EVERY_MS) return;
      lastWarnAt = at;
      options.log.warn(
        { err: error, failures, downForMs: at - since },
        'Telegram is unreachable; retrying every few seconds',
      );
    },
    reached() {
      if (since === null) return;
      options.log.warn({ failures, downForMs: now() - since }, 'Telegram is reachable again');
      since = null;
      failures = 0;
      lastWarnAt = Number.NEGATIVE_INFINITY;
    },
    downSince: () => since,
    transformer: async (prev, method, payload, signal) => {
      const started = now();
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await prev(method, payload, signal);
          network.reached();
          return result;
        } catch (error) {
          if (!(error instanceof HttpError) || signal?.aborted === true) throw error;
          network.failed(error);
          const delay = networkRetryDelay(attempt);
          if (method === 'getUpdates' || now() - started + delay > sendRetryMs) throw error;
          // grammY types its signal with an old shim; at run time it is Node's AbortSignal.
          await sleep(delay, signal as unknown as AbortSignal | undefined);
        }
      }
    },
  };
  return network;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
