/**
 * The send loop of one broadcast run. Deliveries are read a page at a time, and a page is
 * finished (nothing in flight) before the next is read, so any row still `sending` in a
 * fresh page was left by a crashed run, never by this one.
 *
 * The crash rule: such a row is marked `failed` ("unknown after crash") and NOT resent.
 * Telegram may or may not have delivered it and cannot be asked, and the promise is "no
 * duplicates"; only the sends in flight at the crash (about rate × Telegram latency) end
 * up so, and the run's summary counts them (`unknownAfterCrash`).
 */
import type { Delivery } from '../../domain/entities.js';
import { toBotctlError } from '../../domain/errors.js';
import type { BroadcastRepository, Messenger, UserRepository } from '../../domain/ports/index.js';
import type { BroadcastContent } from './content.js';
import { createDeliverer, type DeliveryCounters } from './deliver.js';
import { createSendPacing } from './pacer.js';
import type { RunStats } from './run-stats.js';
import { inactiveUsers } from './support.js';

export type { RunStats } from './run-stats.js';

export const UNKNOWN_AFTER_CRASH = 'unknown after crash';

export interface RunDeps {
  broadcasts: BroadcastRepository;
  users: Pick<UserRepository, 'setStatus' | 'list'>;
  messenger: Messenger;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunProgress {
  total: number;
  /** Deliveries not yet settled (pending or in flight). */
  remaining: number;
  sent: number;
  blocked: number;
  failed: number;
  rateLimited: number;
  etaSeconds: number;
}

export interface RunOptions {
  ratePerSecond: number;
  /** Stops taking new recipients; sends in flight finish and are recorded. */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Default 500. */
  pageSize?: number;
  /** Sends in flight at once; default covers ~1 s of Telegram latency at the rate (2..32). */
  concurrency?: number;
}

export async function runBroadcast(
  id: string,
  content: BroadcastContent,
  deps: RunDeps,
  options: RunOptions,
): Promise<RunStats> {
  const { broadcasts, now, signal } = { ...deps, signal: options.signal };
  const started = now();
  const { admit, calls: pacer } = createSendPacing({
    ratePerSecond: options.ratePerSecond,
    now,
    sleep: deps.sleep,
  });
  const counters: DeliveryCounters = { sent: 0, blocked: 0, failed: 0, rateLimited: 0, fatal: undefined };
  const deliver = createDeliverer({ ...deps, broadcastId: id, content, pacer, counters, signal });
  const stats = { unknownAfterCrash: 0, skipped: 0 };
  const concurrency = options.concurrency ?? Math.min(32, Math.max(2, Math.ceil(options.ratePerSecond)));
  const inactive = await inactiveUsers(deps.users);
  const counts = await broadcasts.deliveryCounts(id);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  let remaining = counts.pending + counts.sending;
  let cancelled = false;
  let lastCancelCheck = now();
  const stopping = () => counters.fatal !== undefined || signal?.aborted === true || cancelled;
  const progress = () =>
    options.onProgress?.({
      total,
      remaining,
      sent: counters.sent,
      blocked: counters.blocked,
      failed: counters.failed,
      rateLimited: counters.rateLimited,
      etaSeconds: Math.ceil(remaining / options.ratePerSecond),
    });

  const pool = new Set<Promise<void>>();
  while (!stopping()) {
    const page = await broadcasts.pendingDeliveries(id, options.pageSize ?? 500);
    if (page.length === 0) break;
    const queue: Delivery[] = [];
    for (const delivery of page) {
      const status = inactive.get(delivery.userId);
      if (delivery.status === 'sending') {
        await broadcasts.markDelivery(id, delivery.userId, 'failed', { error: UNKNOWN_AFTER_CRASH });
        stats.unknownAfterCrash++;
        remaining--;
      } else if (status !== undefined) {
        const skip =
          status === 'blocked' ? 'skipped: the user had blocked the bot' : 'skipped: the user is banned';
        await broadcasts.markDelivery(id, delivery.userId, status === 'blocked' ? 'blocked' : 'failed', {
          error: skip,
        });
        stats.skipped++;
        remaining--;
      } else queue.push(delivery);
    }
    progress();
    while (queue.length > 0 || pool.size > 0) {
      if (queue.length === 0 || pool.size >= concurrency || stopping()) {
        if (pool.size === 0) break;
        await Promise.race(pool);
        continue;
      }
      await admit.take(signal);
      if (now() - lastCancelCheck >= 1000) {
        lastCancelCheck = now();
        cancelled = (await broadcasts.get(id))?.status === 'cancelled';
      }
      if (stopping()) continue;
      const delivery = queue.shift()!;
      const task: Promise<void> = deliver(delivery)
        .then(
          (result) => (result === 'retry' ? void queue.push(delivery) : void remaining--),
          (error: unknown) => void (counters.fatal ??= toBotctlError(error)),
        )
        .finally(() => {
          pool.delete(task);
          progress();
        });
      pool.add(task);
    }
  }
  if (counters.fatal !== undefined) throw counters.fatal;
  const { fatal: _fatal, ...sent } = counters;
  return {
    ...sent,
    ...stats,
    pausedMs: Math.round(pacer.pausedMs),
    elapsedMs: now() - started,
    stop: cancelled ? 'cancelled' : signal?.aborted === true ? 'interrupted' : 'finished',
  };
}
