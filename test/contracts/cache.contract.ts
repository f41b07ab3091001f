// The Cache port's contract: every implementation (memory, Redis) runs this same suite.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/domain/ports/index.js';

/** `onError` is the cache's own (CacheOptions.onError): the contract checks what it reports. */
export type CacheFactory = (namespace: string, onError?: (error: Error) => void) => Promise<Cache>;

export interface CacheContractOptions {
  kind: Cache['kind'];
  /** The store outlives its client (Redis): a new client on the same namespace sees the values. */
  persistent: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeCacheContract(
  name: string,
  factory: CacheFactory,
  options: CacheContractOptions,
): void {
  describe(`Cache contract: ${name}`, () => {
    const open: Cache[] = [];
    const namespace = () => `botctl-test-${randomUUID()}`;
    const make = async (ns = namespace()) => {
      const cache = await factory(ns);
      open.push(cache);
      return cache;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((cache) => cache.close()));
    });

    it('reports its kind and answers ping', async () => {
      const cache = await make();
      expect(cache.kind).toBe(options.kind);
      expect(await cache.ping()).toBe(true);
    });

    it('returns undefined for a key never set', async () => {
      const cache = await make();
      expect(await cache.get('missing')).toBeUndefined();
    });

    it('round-trips JSON values: scalars, arrays, nested objects and unicode', async () => {
      const cache = await make();
      const values: Record<string, unknown> = {
        string: 'plain',
        number: 42.5,
        zero: 0,
        falsy: false,
        empty: '',
        nil: null,
        array: [1, 'two', { three: 3 }],
        nested: { user: { id: 7, tags: ['a', 'b'], settings: { voice: true, limits: { daily: 50 } } } },
        unicode: 'Привет, 世界! 👋🏽 مرحبا — «ёлка»',
        [`ключ-${'🔑'}`]: 'unicode key',
      };
      for (const [key, value] of Object.entries(values)) await cache.set(key, value);
      for (const [key, value] of Object.entries(values)) expect(await cache.get(key), key).toEqual(value);
    });

    it('overwrites a value and deletes it', async () => {
      const cache = await make();
      await cache.set('k', { v: 1 });
      await cache.set('k', { v: 2 });
      expect(await cache.get('k')).toEqual({ v: 2 });
      await cache.delete('k');
      expect(await cache.get('k')).toBeUndefined();
      await expect(cache.delete('never-set')).resolves.toBeUndefined();
    });

    it('stores a copy: mutating the original or a read value changes nothing stored', async () => {
      const cache = await make();
      const original = { list: [1, 2] };
      await cache.set('copy', original);
      original.list.push(3);
      const read = await cache.get<{ list: number[] }>('copy');
      read?.list.push(4);
      expect(await cache.get('copy')).toEqual({ list: [1, 2] });
    });

    it('drops a value JSON cannot hold instead of throwing', async () => {
      const cache = await make();
      const circular: Record<string, unknown> = { name: 'loop' };
      circular.self = circular;
      await expect(cache.set('circular', circular)).resolves.toBeUndefined();
      expect(await cache.get('circular')).toBeUndefined();
      expect(await cache.ping()).toBe(true);
    });

    it('expires a value after its ttl and keeps one without ttl', async () => {
      const cache = await make();
      await cache.set('short', 'soon gone', 150);
      await cache.set('long', 'stays', 60_000);
      await cache.set('forever', 'stays too');
      expect(await cache.get('short')).toBe('soon gone');
      await sleep(300);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toBe('stays');
      expect(await cache.get('forever')).toBe('stays too');
      await cache.delete('forever');
    });

    it('treats a ttl of zero or less as already expired', async () => {
      const cache = await make();
      await cache.set('k', 'old');
      await cache.set('k', 'new', 0);
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', 'newer', -5);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('counts hits in a fixed window that the first hit starts, per key', async () => {
      const cache = await make();
      expect(await cache.hit('ip:1', 200)).toMatchObject({ count: 1 });
      expect(await cache.hit('ip:1', 200)).toMatchObject({ count: 2 });
      const third = await cache.hit('ip:1', 200);
      expect(third.count).toBe(3);
      expect(third.resetInMs).toBeGreaterThan(0);
      expect(third.resetInMs).toBeLessThanOrEqual(200);
      expect(await cache.hit('ip:2', 200)).toMatchObject({ count: 1 });
      await sleep(250);
      expect(await cache.hit('ip:1', 200)).toMatchObject({ count: 1 });
      await cache.close();
      expect(await cache.hit('ip:1', 200)).toEqual({ count: 0, resetInMs: 200 });
    });

    it('takes tokens from a bucket: the burst, then a refusal saying when; delete forgets it', async () => {
      const cache = await make();
      const limits = { burst: 3, perMinute: 60 }; // one token back a second
      const takes = [];
      for (let i = 0; i < 4; i += 1) takes.push(await cache.takeToken('rate:1', limits, 60_000));
      expect(takes.map((t) => t.allowed)).toEqual([true, true, true, false]);
      expect(takes[3]!.retryAfterMs).toBeGreaterThan(0);
      expect(takes[3]!.retryAfterMs).toBeLessThanOrEqual(1000);
      expect((await cache.takeToken('rate:2', limits, 60_000)).allowed).toBe(true);
      await cache.delete('rate:1');
      expect(await cache.takeToken('rate:1', limits, 60_000)).toEqual({ allowed: true, retryAfterMs: 0 });
      for (let i = 0; i < 5; i += 1)
        expect((await cache.takeToken('free', { burst: 1, perMinute: 0 }, 60_000)).allowed).toBe(true);
      await cache.close();
      expect(await cache.takeToken('rate:1', limits, 60_000)).toEqual({ allowed: true, retryAfterMs: 0 });
    });

    it('never hands out the same token twice: 40 takes at once from a bucket of 10', async () => {
      const ns = namespace();
      // Two clients on one namespace are two instances sharing the store (each its own, in memory).
      const clients = options.persistent ? [await make(ns), await make(ns)] : [await make(ns)];
      const limits = { burst: 10, perMinute: 0.01 };
      const takes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          clients[i % clients.length]!.takeToken('rate:hot', limits, 60_000),
        ),
      );
      expect(takes.filter((t) => t.allowed)).toHaveLength(10);
    });

    it('isolates namespaces: the same key in two caches holds two values', async () => {
      const a = await make();
      const b = await make();
      await a.set('shared', 'from a');
      await b.set('shared', 'from b');
      expect(await a.get('shared')).toBe('from a');
      expect(await b.get('shared')).toBe('from b');
      await a.delete('shared');
      expect(await a.get('shared')).toBeUndefined();
      expect(await b.get('shared')).toBe('from b');
      await b.delete('shared');
    });

    it('degrades after close: get -> undefined, set/delete resolve, ping -> false', async () => {
      const cache = await make();
      await cache.set('k', 'v', 60_000);
      await cache.close();
      expect(await cache.get('k')).toBeUndefined();
      await expect(cache.set('k', 'v2')).resolves.toBeUndefined();
      await expect(cache.delete('k')).resolves.toBeUndefined();
      expect(await cache.ping()).toBe(false);
      await expect(cache.close()).resolves.toBeUndefined();
    });

    it('publishes a message to every subscriber of its channel, not to other channels or namespaces', async () => {
      const ns = namespace();
      const cache = await make(ns);
      const got: string[] = [];
      const other: string[] = [];
      await cache.subscribe('stop', (message) => got.push(`a:${message}`));
      await cache.subscribe('stop', (message) => got.push(`b:${message}`));
      await cache.subscribe('elsewhere', (message) => other.push(message));
      const stranger = await make();
      await stranger.subscribe('stop', (message) => other.push(message));
      await cache.publish('stop', '{"chat":"42","text":"да ✓"}');
      for (let i = 0; i < 50 && got.length < 2; i++) await sleep(20);
      expect(got.sort()).toEqual(['a:{"chat":"42","text":"да ✓"}', 'b:{"chat":"42","text":"да ✓"}']);
      await sleep(50);
      expect(other).toEqual([]);
      // A client on the same namespace hears it too where the store is shared (every instance).
      const peer = await make(ns);
      const heard: string[] = [];
      await peer.subscribe('stop', (message) => heard.push(message));
      await cache.publish('stop', 'again');
      for (let i = 0; i < 50 && got.length < 4; i++) await sleep(20);
      await sleep(50);
      expect(heard).toEqual(options.persistent ? ['again'] : []);
      await cache.close();
      // After close: publish and subscribe resolve, and nothing arrives.
      await expect(cache.publish('stop', 'late')).resolves.toBeUndefined();
      await expect(cache.subscribe('stop', () => got.push('late'))).resolves.toBeUndefined();
    });

    it('reports a subscriber that throws, and still delivers the message to the others', async () => {
      const errors: Error[] = [];
      const cache = await factory(namespace(), (error) => errors.push(error));
      open.push(cache);
      const got: string[] = [];
      await cache.subscribe('stop', () => {
        throw new Error('handler failed');
      });
      await cache.subscribe('stop', (message) => got.push(message));
      await cache.publish('stop', 'one');
      await cache.publish('stop', 'two');
      for (let i = 0; i < 50 && got.length < 2; i++) await sleep(20);
      expect(got).toEqual(['one', 'two']);
      expect(errors.map((error) => error.message)).toContain('handler failed');
    });

    if (options.persistent) {
      it('keeps values for a new client on the same namespace', async () => {
        const ns = namespace();
        const first = await make(ns);
        await first.set('persisted', { survived: 'да ✓' }, 60_000);
        await first.close();
        const second = await make(ns);
        expect(await second.get('persisted')).toEqual({ survived: 'да ✓' });
        await second.delete('persisted');
      });
    } else {
      it('starts empty for a new client on the same namespace (process memory)', async () => {
        const ns = namespace();
        const first = await make(ns);
        await first.set('local', 1);
        const second = await make(ns);
        expect(await second.get('local')).toBeUndefined();
      });
    }
  });
}
