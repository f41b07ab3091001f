/**
 * What one broadcast run came to. Its own module because the run loop (run.ts) and the
 * service (broadcast.ts, for a run with nothing left to send) both build it.
 */
import type { DeliveryCounters } from './deliver.js';

export interface RunStats extends Omit<DeliveryCounters, 'fatal'> {
  /** Rows a crashed run left in `sending`, now failed as "unknown after crash". */
  unknownAfterCrash: number;
  /** Recipients skipped because they had blocked the bot or were banned meanwhile. */
  skipped: number;
  pausedMs: number;
  elapsedMs: number;
  stop: 'finished' | 'cancelled' | 'interrupted';
}

/** The stats of a run that had nothing left to send. */
export function idleRun(): RunStats {
  const zero = { sent: 0, blocked: 0, failed: 0, rateLimited: 0, unknownAfterCrash: 0, skipped: 0 };
  return { ...zero, pausedMs: 0, elapsedMs: 0, stop: 'finished' };
}
