// Outage behaviour of the Redis cache: a closed port, a server that never answers, a connection cut
// mid-life (and restored), and a process that must exit by itself after close().
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/adapters/cache/index.js';
import { listen, startProxy } from './cache-tcp.js';

const REDIS_URL = process.env.BOTCTL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('redis cache during an outage', () => {
  it('degrades when Redis is down: fast misses, dropped writes, ping false, onError called', async () => {
    const errors: Error[] = [];
    let started = Date.now();
    const cache = await createCache({
      url: 'redis://127.0.0.1:1',
      namespace: 'outage',
      onError: (e) => errors.push(e),
    });
    // Startup waits up to timeoutMs (250 ms) for the connection, plus the client's one-off init.
    expect(Date.now() - started).toBeLessThan(10_000); // bounded, not hanging (exact speed is for benchmarks)
    expect(cache.kind).toBe('redis');
    started = Date.now();
    expect(await cache.get('k')).toBeUndefined();
    await expect(cache.set('k', 'v', 1000)).resolves.toBeUndefined();
    await expect(cache.delete('k')).resolves.toBeUndefined();
    expect(await cache.ping()).toBe(false);
    // Pub/sub too: a subscription waits for Redis in the background, a message is dropped.
    await expect(cache.subscribe('stop', () => undefined)).resolves.toBeUndefined();
    await expect(cache.publish('stop', 'x')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000); // bounded, not hanging
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/ECONNREFUSED|offline/i);
    await cache.close();
  });

  it('never waits past timeoutMs on a server that accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    const port = await listen(silent);
    const errors: Error[] = [];
    const cache = await createCache({
      url: `redis://127.0.0.1:${port}`,
      namespace: 'silent',
      timeoutMs: 100,
      onError: (e) => errors.push(e),
    });
    const started = Date.now();
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'v');
    expect(await cache.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000); // bounded, not hanging
    expect(errors.length).toBeGreaterThan(0);
    await cache.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('holds at most 1,000 commands for a Redis that stopped answering: the rest fail at once', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await startProxy(target.hostname, Number(target.port || 6379));
    const errors: Error[] = [];
    const cache = await createCache({
      url: `redis://127.0.0.1:${proxy.port}`,
      namespace: `botctl-test-${randomUUID()}`,
      timeoutMs: 200,
      onError: (e) => errors.push(e),
    });
    expect(await cache.ping()).toBe(true);
    proxy.freeze();
    // 1,500 at once: the first 1,000 wait for the deadline, the others are refused before it.
    const answers = await Promise.all(Array.from({ length: 1_500 }, (_, i) => cache.get(`k${i}`)));
    expect(answers.every((answer) => answer === undefined)).toBe(true);
    expect(errors[0]?.message).toMatch(/queue is full/i);
    await cache.close();
    await proxy.close();
  });

  it('misses while the connection is cut, then recovers without a restart', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await startProxy(target.hostname, Number(target.port || 6379));
    const viaProxy = new URL(REDIS_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const ns = `botctl-test-${randomUUID()}`;
    const errors: Error[] = [];
    const cache = await createCache({
      url: viaProxy.toString(),
      namespace: ns,
      onError: (e) => errors.push(e),
    });
    await cache.set('k', 'before', 60_000);
    expect(await cache.get('k')).toBe('before');

    await proxy.cut();
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.ping()).toBe(false);
    expect(errors.length).toBeGreaterThan(0);

    await proxy.resume();
    let value: unknown;
    for (let i = 0; i < 50 && value === undefined; i += 1) {
      await sleep(100);
      value = await cache.get('k');
    }
    expect(value).toBe('before');
    expect(await cache.ping()).toBe(true);
    await cache.delete('k');
    await cache.close();
    await proxy.close();
  });

  it.each([
    ['a live Redis', REDIS_URL],
    ['a Redis that is down', 'redis://127.0.0.1:1'],
  ])('lets the process exit after close() with %s', { timeout: 60_000 }, async (_label, url) => {
    const dir = await mkdtemp(join(tmpdir(), 'botctl-cache-'));
    const entry = new URL('../../src/adapters/cache/index.ts', import.meta.url).href;
    const script = join(dir, 'exit.mts');
    await writeFile(
      script,
      `import { createCache } from ${JSON.stringify(entry)};
       const cache = await createCache({ url: ${JSON.stringify(url)}, namespace: 'exit-check' });
       await cache.set('k', 'v', 1000);
       await cache.get('k');
       await cache.close();
       console.log('closed');`,
    );
    try {
      // A lingering reconnect timer or socket would keep the process alive until execFile kills it.
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', script],
          { cwd: process.cwd(), timeout: 45_000 },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
      expect(stdout.trim()).toBe('closed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
