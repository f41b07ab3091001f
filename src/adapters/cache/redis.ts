/**
 * Redis backend: keyv over ioredis, with the client configured so an outage can never hang:
 * - `enableOfflineQueue: false`: while disconnected, commands fail at once instead of queueing
 *   until Redis returns (the default would park every get() until then);
 * - commands in flight when the connection drops fail (`autoResendUnfulfilledCommands: false`,
 *   `maxRetriesPerRequest: 0`) rather than run later, after the cache's deadline gave up on them;
 * - `connectTimeout` bounds each TCP attempt (a black-holed host otherwise waits for the OS);
 * - reconnects forever with a backoff (Redis may come back);
 * - no per-command timeout, a bound on commands in flight instead (see MAX_PENDING_COMMANDS);
 * - the commands of one tick leave in one write (auto-pipelining).
 *
 * Why ioredis and not node-redis (@keyv/redis): node-redis loads each of its ~470 commands as a
 * module and builds them into every client; importing it and creating one client cost a process 51 MB
 * of RSS and 5.8 MB of heap, ioredis 27 MB and 3 MB. On Postgres + Redis that was what kept the
 * daemon's peak RSS above 1.25x the bare bot's (issue 13). keyv stays: it serialises, namespaces
 * (`<namespace>::<key>`, as @keyv/redis did) and reports store errors through its 'error' event.
 */
import { Redis } from 'ioredis';
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
 * the cache's own deadline (guard.ts), so there is no per-command timeout: a command already
 * written waits in the client's reply queue until Redis answers or the connection drops, whatever
 * the deadline said, and this bound is what keeps those waiting commands from growing without end.
 * A busy daemon has a few hundred commands in flight at most.
 */
const MAX_PENDING_COMMANDS = 1_000;

/** Backoff between reconnect attempts: 100 ms doubling up to 5 s, forever (Redis may come back). */
const reconnectDelay = (attempt: number): number => Math.min(100 * 2 ** (attempt - 1), 5_000);

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
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
    // The commands of one tick leave in one write, as node-redis sent them: without it ioredis
    // writes each on its own and cost ~5 us more a command under a burst (50 callers at once).
    enableAutoPipelining: true,
  });
  // One 'error' per failed attempt while Redis is away; index.ts rate-limits what it reports.
  client.on('error', report);
  /**
   * The name of `key` in Redis: keyv's own (namespace, keyv's '::' separator, key), so that what
   * the backend keeps beside keyv (a bucket, a window, a channel) is where keyv's delete finds it.
   */
  const inRedis = (key: string) => `${namespace}::${key}`;
  let pending = 0;
  /** Runs one command unless MAX_PENDING_COMMANDS are still waiting for their replies. */
  const send = async <T>(command: () => Promise<T>): Promise<T> => {
    if (pending >= MAX_PENDING_COMMANDS) throw new Error('The queue is full');
    pending += 1;
    try {
      return await command();
    } finally {
      pending -= 1;
    }
  };
  // What keyv needs of a store; keyv adds the namespace and reports what a call throws.
  const store = {
    get: (key: string) => send(() => client.get(key)),
    async set(key: string, value: string, ttlMs?: number) {
      await send(() => (ttlMs ? client.set(key, value, 'PX', ttlMs) : client.set(key, value)));
      return true;
    },
    delete: async (key: string) => (await send(() => client.del(key))) > 0,
    // Never called by the cache (keyv requires it of a store): this namespace's keys only.
    async clear() {
      for await (const keys of client.scanStream({ match: inRedis('*'), count: 1000 }) as AsyncIterable<
        string[]
      >)
        if (keys.length > 0) await send(() => client.unlink(...keys));
    },
  };
  // keyv throws from emit('error') when nobody listens: this listener is what keeps an outage quiet.
  const keyv = new Keyv(store, { namespace });
  keyv.on('error', report);

  // Resolves once ready, or when the first attempt fails (ioredis keeps reconnecting).
  const connecting = client.connect().then(
    () => undefined,
    () => undefined,
  );
  await settleWithin(connecting, readyWithinMs);
  let subscriber: Redis | undefined;
  /** Channel (with its namespace) -> what each subscribe() on it asked to be called with. */
  const handlers = new Map<string, Array<(message: string) => void>>();
  /** Channel -> its SUBSCRIBE, which every later subscribe() to it waits for too. */
  const subscribing = new Map<string, Promise<unknown>>();
  // index.ts wraps each handler: none of them throws.
  const deliver = (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  };

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
      return (await send(() => client.ping())) === 'PONG';
    },
    async hit(key, windowMs) {
      // One round trip, atomic: the first hit starts the window (NX), later ones only count.
      const counter = inRedis(`hit:${key}`);
      const replies = await send(() =>
        client.multi().incr(counter).pexpire(counter, windowMs, 'NX').pttl(counter).exec(),
      );
      if (!replies) throw new Error('Redis discarded the transaction');
      const [count, , ttl] = replies.map(([error, reply]) => {
        if (error) throw error;
        return Number(reply);
      });
      return { count: count!, resetInMs: Math.max(0, ttl!) };
    },
    async takeToken(key, limits, ttlMs) {
      // Unlimited needs no state; the script would divide by zero.
      if (limits.perMinute <= 0) return { allowed: true, retryAfterMs: 0 };
      // The name keyv gives `key`, so the Cache's delete(key) forgets the bucket too.
      const reply = (await send(() =>
        client.eval(
          TAKE_TOKEN,
          1,
          inRedis(key),
          String(limits.burst),
          String(limits.perMinute / 60_000),
          String(Math.ceil(ttlMs)),
        ),
      )) as [number, number];
      return { allowed: Number(reply[0]) === 1, retryAfterMs: Number(reply[1]) };
    },
    // Nothing beside keyv: the bucket lives under keyv's own key.
    async forget() {},
    async publish(channel, message) {
      await send(() => client.publish(inRedis(channel), message));
    },
    async subscribe(channel, handler) {
      // A connection in subscriber mode runs no other command: its own, opened on first use and
      // never waited for (Redis may be down at start). Its commands queue until it connects, and
      // ioredis subscribes it again after every reconnect.
      if (!subscriber) {
        // It waits as long as it takes (maxRetriesPerRequest: null): its SUBSCRIBE is no answer anyone waits for.
        subscriber = client.duplicate({
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
          lazyConnect: true,
        });
        subscriber.on('error', report);
        subscriber.on('message', deliver);
        subscriber.connect().catch(() => undefined);
      }
      const name = inRedis(channel);
      const existing = handlers.get(name);
      if (existing) existing.push(handler);
      else {
        handlers.set(name, [handler]);
        subscribing.set(name, subscriber.subscribe(name));
      }
      await subscribing.get(name);
    },
    async close() {
      subscriber?.disconnect();
      if (client.status === 'ready') {
        // QUIT lets in-flight writes finish; a Redis that stopped answering gets cut below.
        await settleWithin(
          client.quit().catch(() => undefined),
          CONNECT_TIMEOUT_MS,
        );
      }
      client.disconnect();
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
