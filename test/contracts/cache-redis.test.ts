// Runs the Cache contract on a real Redis (BOTCTL_TEST_REDIS_URL, default redis://127.0.0.1:6379).
// It never skips: with Redis down every test fails with the message from beforeAll.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCache } from '../../src/adapters/cache/index.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { describeCacheContract } from './cache.contract.js';

const REDIS_URL = process.env.BOTCTL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const used = new Set<string>();
const raw = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null });
raw.on('error', () => {});

beforeAll(async () => {
  try {
    await raw.connect();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL}. Start it, or point BOTCTL_TEST_REDIS_URL at one.`,
      {
        cause: error,
      },
    );
  }
});

afterAll(async () => {
  if (raw.status !== 'ready') return;
  for (const ns of used) {
    const keys = await raw.keys(`${ns}::*`);
    if (keys.length > 0) await raw.unlink(...keys);
  }
  raw.disconnect();
});

describeCacheContract(
  'redis',
  (namespace, onError) => {
    used.add(namespace);
    return createCache({ url: REDIS_URL, namespace, onError });
  },
  { kind: 'redis', persistent: true },
);

// With encryption at rest on, the same contract holds over sealed keys and values.
const sealing = createFieldCipher([{ id: 'k1', key: randomBytes(32) }]);
describeCacheContract(
  'redis, sealed',
  (namespace, onError) => {
    used.add(namespace);
    return createCache({ url: REDIS_URL, namespace, cipher: sealing, onError });
  },
  { kind: 'redis', persistent: true },
);

describe('redis cache', () => {
  it('with encryption on, stores no key name or value in the clear; a value sealed under another key is a miss', async () => {
    const ns = `botctl-test-${randomUUID()}`;
    used.add(ns);
    const errors: Error[] = [];
    const cache = await createCache({ url: REDIS_URL, namespace: ns, cipher: sealing });
    await cache.set('inline:en:secret question', { prompt: 'secret prompt' }, 60_000);
    expect(await cache.get('inline:en:secret question')).toEqual({ prompt: 'secret prompt' });
    const keys = await raw.keys(`${ns}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('secret');
    expect(await raw.get(keys[0]!)).not.toContain('secret');

    const otherKey = createFieldCipher([{ id: 'k1', key: randomBytes(32) }]);
    // Same fingerprint key material is needed to find the entry: reuse the name, read with a wrong key.
    const wrong = await createCache({
      url: REDIS_URL,
      namespace: ns,
      cipher: { ...otherKey, tag: sealing.tag },
      onError: (error) => errors.push(error),
    });
    expect(await wrong.get('inline:en:secret question')).toBeUndefined();
    expect(errors.map((e) => e.message).join()).toMatch(/does not open/);
    await wrong.close();
    await cache.close();
  });

  it('reads a plain string cached before encryption was turned on', async () => {
    const ns = `botctl-test-${randomUUID()}`;
    used.add(ns);
    const plain = await createCache({ url: REDIS_URL, namespace: ns });
    await plain.set(`t:${sealing.tag('answer')}`, 'cached before', 60_000);
    await plain.close();
    const cache = await createCache({ url: REDIS_URL, namespace: ns, cipher: sealing });
    expect(await cache.get('answer')).toBe('cached before');
    await cache.close();
  });

  it('keeps its keys under <namespace>:: and nothing else', async () => {
    const ns = `botctl-test-${randomUUID()}`;
    used.add(ns);
    const cache = await createCache({ url: REDIS_URL, namespace: ns });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    expect((await raw.keys(`${ns}*`)).sort()).toEqual([`${ns}::a`, `${ns}::b`]);
    expect(await raw.pttl(`${ns}::a`)).toBeGreaterThan(50_000);
    await cache.close();
  });

  it('arms no timer per command: an operation costs nothing once it has its answer', async () => {
    // A client's per-command timeout is a timer per command that outlives the answer (node-redis's
    // was an AbortSignal.timeout firing 5 s later with a TimeoutError); the cache's own deadline
    // (timeoutMs, 250 ms) is the only timer an operation may arm.
    const ns = `botctl-test-${randomUUID()}`;
    used.add(ns);
    const cache = await createCache({ url: REDIS_URL, namespace: ns });
    const originalSignal = AbortSignal.timeout.bind(AbortSignal);
    const originalTimeout = globalThis.setTimeout;
    let armed = 0;
    AbortSignal.timeout = (ms: number) => ((armed += 1), originalSignal(ms));
    globalThis.setTimeout = ((handler: () => void, ms?: number) => {
      if ((ms ?? 0) > 250) armed += 1;
      return originalTimeout(handler, ms);
    }) as typeof setTimeout;
    try {
      for (let i = 0; i < 50; i++) {
        await cache.set(`k${i}`, i, 60_000);
        expect(await cache.get(`k${i}`)).toBe(i);
        await cache.hit(`h${i}`, 60_000);
        await cache.takeToken(`t${i}`, { burst: 5, perMinute: 60 }, 60_000);
      }
    } finally {
      AbortSignal.timeout = originalSignal;
      globalThis.setTimeout = originalTimeout;
    }
    expect(armed).toBe(0);
    await cache.close();
  });
});
