/**
 * In-process backend: keyv over a Map. Used when no Redis URL is configured (one instance).
 * keyv expires entries only when they are read, so keys that are written once and never read
 * again (rate-limit windows, per-update markers) would pile up in a long-running daemon: a slow,
 * unref'd sweep drops expired entries.
 */
import { Keyv } from 'keyv';
import { takeToken, type BucketState } from '../../domain/rate-limit.js';
import type { Backend } from './backend.js';

/** How often expired entries are swept out of the Map. */
const SWEEP_MS = 60_000;

export function createMemoryBackend(namespace: string, report: (error: unknown) => void): Backend {
  const map = new Map<string, unknown>();
  /** Hit counters (Cache.hit): plain numbers, so kept beside keyv rather than in it. */
  const windows = new Map<string, { count: number; resetAt: number }>();
  /** Token buckets (Cache.takeToken): read and written in one synchronous step, so atomic here. */
  const buckets = new Map<string, { state: BucketState; expiresAt: number }>();
  /** Pub/sub subscribers by channel (Cache.subscribe). */
  const channels = new Map<string, Set<(message: string) => void>>();
  const keyv = new Keyv({ store: map, namespace });
  // keyv throws from emit('error') when nobody listens (e.g. a value JSON cannot serialize).
  keyv.on('error', report);
  const sweep = setInterval(() => {
    const now = Date.now();
    sweepExpired(map, now);
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    for (const [key, bucket] of buckets) if (bucket.expiresAt <= now) buckets.delete(key);
  }, SWEEP_MS);
  // The sweep is housekeeping: it must never keep a finished process (a CLI command) alive.
  sweep.unref();
  return {
    kind: 'memory',
    keyv,
    ping: async () => true,
    async hit(key, windowMs) {
      const now = Date.now();
      let window = windows.get(key);
      if (window === undefined || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { count: window.count, resetInMs: window.resetAt - now };
    },
    async takeToken(key, limits, ttlMs) {
      const now = Date.now();
      const kept = buckets.get(key);
      const taken = takeToken(kept && kept.expiresAt > now ? kept.state : undefined, limits, now);
      buckets.set(key, { state: taken.state, expiresAt: now + ttlMs });
      return { allowed: taken.allowed, retryAfterMs: taken.retryAfterMs };
    },
    async forget(key) {
      buckets.delete(key);
    },
    // One process: the message reaches this process's subscribers, as Redis would, never at once
    // inside the publisher's own call.
    async publish(channel, message) {
      for (const handler of channels.get(channel) ?? []) queueMicrotask(() => handler(message));
    },
    async subscribe(channel, handler) {
      let handlers = channels.get(channel);
      if (!handlers) channels.set(channel, (handlers = new Set()));
      handlers.add(handler);
    },
    async close() {
      channels.clear();
      clearInterval(sweep);
      buckets.clear();
      map.clear();
      windows.clear();
    },
  };
}

/** Entries are keyv's `{ value, expires }` envelopes; anything else is left alone. */
export function sweepExpired(map: Map<string, unknown>, now: number): number {
  let removed = 0;
  for (const [key, entry] of map) {
    const expires = (entry as { expires?: unknown } | null)?.expires;
    if (typeof expires === 'number' && expires < now) {
      map.delete(key);
      removed += 1;
    }
  }
  return removed;
}
