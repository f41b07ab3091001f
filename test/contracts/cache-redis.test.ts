// Runs the Cache contract on a real Redis (BOTCTL_TEST_REDIS_URL, default redis://127.0.0.1:6379).
// It never skips: with Redis down every test fails with the message from beforeAll.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@keyv/redis';
import { createCache } from '../../src/adapters/cache/index.js';
import { describeCacheContract } from './cache.contract.js';

const REDIS_URL = process.env.BOTCTL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const used = new Set<string>();
const raw = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
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
  if (!raw.isReady) return;
  for (const ns of used) {
    const keys = await raw.keys(`${ns}::*`);
    if (keys.length > 0) await raw.unlink(keys);
  }
  raw.destroy();
});

describeCacheContract(
  'redis',
  (namespace) => {
    used.add(namespace);
    return createCache({ url: REDIS_URL, namespace });
  },
  { kind: 'redis', persistent: true },
);

describe('redis cache', () => {
  it('keeps its keys under <namespace>:: and nothing else', async () => {
    const ns = `botctl-test-${randomUUID()}`;
    used.add(ns);
    const cache = await createCache({ url: REDIS_URL, namespace: ns });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    expect((await raw.keys(`${ns}*`)).sort()).toEqual([`${ns}::a`, `${ns}::b`]);
    expect(await raw.pTTL(`${ns}::a`)).toBeGreaterThan(50_000);
    await cache.close();
  });
});
