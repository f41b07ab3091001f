/**
 * Cache port over keyv: in-memory without a URL, Redis with a redis:// or rediss:// URL.
 * Whatever happens to Redis, no operation throws or takes longer than `timeoutMs`:
 * get -> undefined, set/delete -> dropped, ping -> false, each failure reported via onError.
 */
import { BotctlError } from '../../domain/errors.js';
import type { Cache, FieldCipher } from '../../domain/ports/index.js';
import type { Backend } from './backend.js';
import { rateLimitedReporter, withDeadline } from './guard.js';
import { createMemoryBackend } from './memory.js';
import { createRedisBackend } from './redis.js';

export interface CacheOptions {
  /** redis:// or rediss:// URL; undefined keeps the cache in this process. */
  url?: string;
  /**
   * Prefix that isolates this cache's keys (`<namespace>::<key>` in Redis). Required: keyv's
   * clear() without one would delete every un-namespaced key in the database.
   */
  namespace: string;
  /** Called for cache failures (at most once per 10 s, with a count of the ones swallowed). */
  onError?: (error: Error) => void;
  /** Deadline for each operation, and for the first connection at startup. Default: 250 ms. */
  timeoutMs?: number;
  /**
   * Seals every value that leaves the process (Redis) when encryption at rest is on: cached users
   * carry their own prompt, and inline answers and suggestions carry message content, all of which
   * the database stores sealed. The in-process cache keeps plain values.
   */
  cipher?: FieldCipher;
}

export const DEFAULT_CACHE_TIMEOUT_MS = 250;
/** A subscription opens its own connection: longer than one operation's deadline. */
const SUBSCRIBE_WAIT_MS = 2_000;

export async function createCache(options: CacheOptions): Promise<Cache> {
  const { url, namespace } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS;
  if (namespace.trim() === '') {
    throw new BotctlError('INTERNAL', 'createCache needs a non-empty namespace');
  }
  const report = rateLimitedReporter(options.onError);
  let backend: Backend;
  if (url === undefined) {
    backend = createMemoryBackend();
  } else if (/^rediss?:\/\//i.test(url)) {
    backend = await createRedisBackend(url, namespace, report, timeoutMs);
  } else {
    // The URL may carry a password: name the scheme only.
    const scheme = url.split(':', 1)[0] ?? '';
    throw new BotctlError(
      'CONFIG_INVALID',
      `redisUrl must be a redis:// or rediss:// URL, got "${scheme}:"`,
      {
        hint: 'Set BOTCTL_REDIS_URL to redis://host:6379, or unset it for an in-memory cache.',
      },
    );
  }
  const sealed = backend.kind === 'redis' && options.cipher?.enabled === true ? options.cipher : undefined;
  // Keys can carry content too (an inline query's text): they leave the process as fingerprints.
  const keyOf = (key: string) => (sealed ? `t:${sealed.tag(key)}` : key);
  const pack = <T>(value: T): unknown => (sealed ? sealed.seal(JSON.stringify(value)) : value);
  const unpack = <T>(stored: unknown): T | undefined => {
    if (!sealed || typeof stored !== 'string') return stored as T | undefined;
    try {
      const plain = sealed.open(stored);
      // open() passes an unsealed string through: one cached before encryption was turned on.
      return plain === stored ? (stored as T) : (JSON.parse(plain) as T);
    } catch (error) {
      // A value sealed with a key no longer configured is a miss, not a failure of the caller.
      report(error);
      return undefined;
    }
  };
  let closed = false;
  // After close() a call must not touch the store (a Redis client must not be asked to reconnect).
  // Only a network store can hang: an in-process Map answers at once, so it gets no deadline timer
  // (several cache calls per update would each arm and clear one).
  const guard = <T>(what: string, fallback: T, work: () => Promise<T>): Promise<T> =>
    closed
      ? Promise.resolve(fallback)
      : backend.kind === 'memory'
        ? work().catch((error: unknown) => {
            report(error);
            return fallback;
          })
        : withDeadline(work, fallback, timeoutMs, what, report);

  return {
    kind: backend.kind,
    get<T>(key: string) {
      return guard<T | undefined>('get', undefined, async () => unpack<T>(await backend.get(keyOf(key))));
    },
    async set<T>(key: string, value: T, ttlMs?: number) {
      // keyv (Redis) reads a ttl <= 0 as "forever"; here it means "already expired".
      if (ttlMs !== undefined && !(ttlMs > 0)) {
        await guard('delete', undefined, () => backend.delete(keyOf(key)));
        return;
      }
      // Redis PXAT wants whole milliseconds.
      const ttl = ttlMs === undefined ? undefined : Math.ceil(ttlMs);
      await guard('set', undefined, () => backend.set(keyOf(key), pack(value), ttl));
    },
    async delete(key: string) {
      await guard('delete', undefined, async () => {
        await backend.delete(keyOf(key));
        await backend.forget(keyOf(key));
      });
    },
    ping() {
      return guard('ping', false, () => backend.ping());
    },
    hit(key: string, windowMs: number) {
      const window = Math.max(1, Math.ceil(windowMs));
      return guard('hit', { count: 0, resetInMs: window }, () => backend.hit(keyOf(key), window));
    },
    takeToken(key: string, limits, ttlMs: number) {
      return guard('takeToken', { allowed: true, retryAfterMs: 0 }, () =>
        backend.takeToken(keyOf(key), limits, Math.max(1, Math.ceil(ttlMs))),
      );
    },
    async publish(channel: string, message: string) {
      await guard('publish', undefined, () => backend.publish(keyOf(channel), String(pack(message))));
    },
    async subscribe(channel: string, handler: (message: string) => void) {
      // Sealed like a value: what an instance tells the others leaves the process encrypted.
      // A handler that throws is reported: it must not keep the message from the other handlers,
      // nor throw inside the client's event loop (the memory backend's microtask would crash the process).
      const deliver = (raw: string) => {
        const message = unpack<string>(raw);
        if (typeof message !== 'string') return;
        try {
          handler(message);
        } catch (error) {
          report(error);
        }
      };
      // Resolves once subscribed, or after SUBSCRIBE_WAIT_MS with the subscription still pending
      // (Redis down: it takes effect when Redis is back); never throws.
      if (closed) return;
      await withDeadline(
        () => backend.subscribe(keyOf(channel), deliver),
        undefined,
        Math.max(timeoutMs, SUBSCRIBE_WAIT_MS),
        'subscribe',
        report,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
