/**
 * Redis backend: keyv over @keyv/redis, with the client configured so an outage can never hang:
 * - we connect the client ourselves and keep it "open" through outages (a reconnect strategy that
 *   never gives up), so @keyv/redis never runs its own connect, whose un-cleared race timer and
 *   connect-forever behaviour are what make a cache without Redis hang;
 * - `disableOfflineQueue`: while disconnected, commands fail at once instead of queueing until
 *   Redis returns (the default would park every get() forever);
 * - `connectTimeout` bounds each TCP attempt (a black-holed host otherwise waits for the OS);
 * - no per-command timeout, a bounded queue instead (see MAX_PENDING_COMMANDS).
 */
import KeyvRedis, { createClient } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Backend } from './backend.js';

/**
 * domain/rate-limit.ts's takeToken, run by Redis itself so that reading, refilling and spending
 * a bucket is one step for every instance, on one clock (the server's TIME). The same
 * arithmetic as the TypeScript; the cache contract runs both backends through the same cases.
 * KEYS[1] bucket; ARGV burst, refill per ms, ttl ms. Returns {allowed 0|1, retry after ms}.
 */
const TAKE_TOKEN = `
local burst = math.max(1, tonumber(ARGV[1]))
local perMs = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if kept[1] then
  tokens = math.min(burst, tonumber(kept[1]) + math.max(0, now - tonumber(kept[2])) * perMs)
end
local allowed, retry = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {allowed, retry}`;

/** Bound on one TCP connect attempt, and on a graceful close before we force it. */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Commands a server that stopped answering can hold before new ones fail at once ("The queue is
 * full", reported and answered with the fallback like any failure). Every operation already has
 * the cache's own deadline (guard.ts), so node-redis's per-command timeout is off: it is an
 * `AbortSignal.timeout(5000)` per command that nothing cancels: each command left a timer that
 * fired 5 s later and built a TimeoutError with its stack (5 of the 118 MB V8 promoted to its old
 * generation in the bench's bursts on Postgres + Redis). Nor did it bound memory: a command already
 * written stays in node-redis's reply queue after its timeout. The bound does; a busy daemon has a
 * few hundred commands in flight at most.
 */
const MAX_PENDING_COMMANDS = 1_000;

/** Backoff between reconnect attempts: 100 ms doubling up to 5 s, forever (Redis may come back). */
const reconnectDelay = (retries: number): number => Math.min(100 * 2 ** retries, 5_000);

/**
 * Connects (waiting up to `readyWithinMs` so the first operations do not fail just because the
 * handshake is still running) and returns the backend. Never throws because Redis is down.
 */
export async function createRedisBackend(
  url: string,
  namespace: string,
  report: (error: unknown) => void,
  readyWithinMs: number,
): Promise<Backend> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 0 },
    commandsQueueMaxLength: MAX_PENDING_COMMANDS,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
  const store = new KeyvRedis(client, {
    namespace,
    throwOnConnectError: false,
    throwOnErrors: false,
    connectionTimeout: CONNECT_TIMEOUT_MS,
  });
  // keyv throws from emit('error') when nobody listens: this listener is what keeps an outage quiet.
  const keyv = new Keyv(store, { namespace });
  keyv.on('error', report);

  // Resolves once ready; rejects only when close() destroys a client still retrying. Connection
  // errors themselves arrive through the 'error' event (one per attempt), hence the empty catch.
  const connecting = client.connect().then(
    () => undefined,
    () => undefined,
  );
  await settleWithin(connecting, readyWithinMs);
  let subscriber: ReturnType<typeof client.duplicate> | undefined;

  return {
    kind: 'redis',
    get: (key) => keyv.get(key),
    // keyv reports a failed write through its 'error' event (wired to report above).
    async set(key, value, ttlMs) {
      await keyv.set(key, value, ttlMs);
    },
    async delete(key) {
      await keyv.delete(key);
    },
    async ping() {
      return (await client.ping()) === 'PONG';
    },
    async hit(key, windowMs) {
      // One round trip, atomic: the first hit starts the window (NX), later ones only count.
      const counter = `${namespace}::hit:${key}`;
      const [count, , ttl] = await client
        .multi()
        .incr(counter)
        .pExpire(counter, windowMs, 'NX')
        .pTTL(counter)
        .exec();
      return { count: Number(count), resetInMs: Math.max(0, Number(ttl)) };
    },
    async takeToken(key, limits, ttlMs) {
      // Unlimited needs no state; the script would divide by zero.
      if (limits.perMinute <= 0) return { allowed: true, retryAfterMs: 0 };
      // The key keyv gives `key`, so the Cache's delete(key) forgets the bucket too.
      const reply = (await client.eval(TAKE_TOKEN, {
        keys: [`${namespace}::${key}`],
        arguments: [String(limits.burst), String(limits.perMinute / 60_000), String(Math.ceil(ttlMs))],
      })) as [number, number];
      return { allowed: Number(reply[0]) === 1, retryAfterMs: Number(reply[1]) };
    },
    // Nothing beside keyv: the bucket lives under keyv's own key.
    async forget() {},
    async publish(channel, message) {
      await client.publish(`${namespace}::${channel}`, message);
    },
    async subscribe(channel, handler) {
      // A connection in subscriber mode runs no other command: its own, opened on first use and
      // never waited for (Redis may be down at start). Its commands queue until it connects, and
      // node-redis subscribes it again after every reconnect.
      if (!subscriber) {
        subscriber = client.duplicate({ disableOfflineQueue: false });
        subscriber.on('error', report);
        subscriber.connect().catch(() => undefined);
      }
      return subscriber.subscribe(`${namespace}::${channel}`, handler);
    },
    async close() {
      if (subscriber?.isOpen) subscriber.destroy();
      if (client.isReady) {
        // QUIT lets in-flight writes finish; a Redis that stopped answering gets destroyed below.
        await settleWithin(
          client.close().catch(() => undefined),
          CONNECT_TIMEOUT_MS,
        );
      }
      if (client.isOpen) client.destroy();
      await connecting;
    },
  };
}

/** Waits for `promise` or `ms`, whichever comes first, leaving no timer behind. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
