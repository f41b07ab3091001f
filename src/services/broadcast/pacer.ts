/**
 * Paces sends below Telegram's ~30 messages/s: a token bucket in GCRA form (the earliest
 * start of the next send moves on by one interval per send). Starts follow a fixed schedule
 * and a start up to one interval late does not shift it, so slow timers cost no throughput,
 * while no one-second window holds more than rate + 2 starts. pause() holds every send,
 * waiting or not, for a 429's retry_after: Telegram counts the flood per bot, not per chat.
 */

export interface PacerOptions {
  /** Sends per second, > 0. */
  ratePerSecond: number;
  /** Epoch ms (injected for tests). */
  now: () => number;
  /** Resolves after ms, or early when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** No catch-up send after a late start: starts are never closer than one interval. Default false. */
  strict?: boolean;
}

export interface Pacer {
  /** Resolves when the next send may start; resolves early (without a token) when the signal aborts. */
  take(signal?: AbortSignal): Promise<void>;
  /** Holds every send for ms from now; a longer pause already in force wins. */
  pause(ms: number): void;
  /** Total ms spent paused by pause(). */
  readonly pausedMs: number;
}

export function createPacer(options: PacerOptions): Pacer {
  if (!(options.ratePerSecond > 0))
    throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
  const interval = 1000 / options.ratePerSecond;
  const { now, sleep } = options;
  const catchUp = options.strict === true ? 0 : interval;
  let next = -Infinity;
  let pausedUntil = -Infinity;
  let pausedMs = 0;
  return {
    async take(signal) {
      for (;;) {
        if (signal?.aborted === true) return;
        const t = now();
        if (t < pausedUntil) {
          await sleep(pausedUntil - t, signal);
          continue;
        }
        // A start up to one interval late keeps the schedule (one catch-up send); later ones restart it.
        const slot = next === -Infinity ? t : Math.max(next, t - catchUp);
        if (slot <= t) {
          next = slot + interval;
          return;
        }
        await sleep(slot - t, signal);
      }
    },
    pause(ms) {
      const t = now();
      const until = t + ms;
      if (until <= pausedUntil) return;
      pausedMs += until - Math.max(t, pausedUntil);
      pausedUntil = until;
      next = Math.max(next, until);
    },
    get pausedMs() {
      return pausedMs;
    },
  };
}

/** How much faster than the rate the calls gate lets a late call catch up. */
const CATCH_UP = 1.1;

/**
 * The two pacers of a broadcast: `admit` starts deliveries at the rate on a drift-free
 * schedule; `calls` spaces the Telegram calls themselves (after each delivery's `sending`
 * write, whose time varies) at least 1 / (1.1 × rate) apart. So a slow write cannot bunch
 * calls (at 25/s no second ever holds more than 28), and a late call is caught up on
 * instead of delaying every later one. Pausing `calls` pauses both.
 */
export function createSendPacing(options: Omit<PacerOptions, 'strict'>): { admit: Pacer; calls: Pacer } {
  const admit = createPacer(options);
  const strict = createPacer({ ...options, ratePerSecond: options.ratePerSecond * CATCH_UP, strict: true });
  const calls: Pacer = {
    take: (signal) => strict.take(signal),
    pause(ms) {
      admit.pause(ms);
      strict.pause(ms);
    },
    get pausedMs() {
      return strict.pausedMs;
    },
  };
  return { admit, calls };
}
