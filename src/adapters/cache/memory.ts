/**
 * In-process backend, used when no Redis URL is configured (one instance): a Map of JSON copies,
 * so a caller never shares an object with the cache, as with Redis. It was keyv over the Map; keyv's
 * pipeline (hooks, sanitising, telemetry, its serializer) took about 9 µs and a dozen promises per
 * read, for several reads on every answer, where the Map and JSON take about 1 µs.
 * Expired entries are dropped when read, and a slow, unref'd sweep drops those never read again
 * (rate-limit windows, per-update markers), which would otherwise pile up in a long-running daemon.
 */
import { takeToken, type BucketState } from '../../domain/rate-limit.js';
import type { Backend } from './backend.js';

/** A value as JSON, and when it expires (epoch ms; absent: never). */
interface Entry {
  value: string;
  expires?: number;
}

/** How often expired entries are swept out of the Map. */
const SWEEP_MS = 60_000;

export function createMemoryBackend(): Backend {
  const map = new Map<string, Entry>();
  /** Hit counters (Cache.hit): plain numbers, kept apart from the JSON values. */
  const windows = new Map<string, { count: number; resetAt: number }>();
  /** Token buckets (Cache.takeToken): read and written in one synchronous step, so atomic here. */
  const buckets = new Map<string, { state: BucketState; expiresAt: number }>();
  /** Pub/sub subscribers by channel (Cache.subscribe). */
  const channels = new Map<string, Set<(message: string) => void>>();
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
    async get(key) {
      const entry = map.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires !== undefined && entry.expires < Date.now()) {
        map.delete(key);
        return undefined;
      }
      return JSON.parse(entry.value) as unknown;
    },
    async set(key, value, ttlMs) {
      // JSON has no undefined: storing it is forgetting the key, as a read would find nothing.
      const json = JSON.stringify(value) as string | undefined;
      if (json === undefined) map.delete(key);
      else map.set(key, ttlMs === undefined ? { value: json } : { value: json, expires: Date.now() + ttlMs });
    },
    async delete(key) {
      map.delete(key);
    },
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

/** Drops the entries expired by `now`; returns how many. */
export function sweepExpired(map: Map<string, Entry>, now: number): number {
  let removed = 0;
  for (const [key, entry] of map) {
    const { expires } = entry;
    if (expires !== undefined && expires < now) {
      map.delete(key);
      removed += 1;
    }
  }
  return removed;
}
