/**
 * The admin API on a full database: BENCH_USERS users (default 100,000) and BENCH_MESSAGES
 * messages (default 200,000) bulk-loaded as in bench:stats, served by the daemon's own HTTP
 * server (createHttpServer with the admin API, shipped limits) on SQLite and PostgreSQL, and
 * asked over real HTTP on loopback, one request at a time with a read key: GET /api/v1/stats
 * (30 days), the first page of GET /api/v1/users (100 users) and a page 90,000 users in (its
 * cursor from a walk there with another key). p50 and p99 of the request's wall time, after
 * warm-up. The counts fit the shipped limits (300 a minute per key, 600 per address), so no
 * request is refused.
 *
 *   npm run bench:api
 *   BENCH_DIALECTS=sqlite BENCH_MESSAGES=1000000 npm run bench:api
 */
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { createApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/config.js';
import { createHttpServer } from '../src/http/server.js';
import { withScratchDatabase } from './lib/postgres.js';
import { seedPostgres, seedSqlite, type SeedSize } from './lib/seed.js';

const SIZE: SeedSize = {
  users: Number(process.env.BENCH_USERS ?? 100_000),
  messages: Number(process.env.BENCH_MESSAGES ?? 200_000),
};
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
/** Requests per case (stats is the heavy one); the sum stays under the per-key limit of 300/min. */
const COUNTS = { stats: 60, firstPage: 100, deepPage: 100 };
const WARMUP = 3;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(url: string, key: string, count: number): Promise<{ p50: number; p99: number }> {
  const ask = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < WARMUP; i += 1) await ask();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await ask();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
}

async function benchDialect(
  dialect: string,
  url: string,
  seed: (url: string, size: SeedSize) => Promise<void>,
) {
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  await db.migrator.up();
  await db.close();
  const seeded = performance.now();
  await seed(url, SIZE);
  const seedSeconds = Math.round((performance.now() - seeded) / 100) / 10;

  const dataDir = fs.mkdtempSync(join(tmpdir(), 'botctl-bench-api-'));
  const config = loadConfig({
    dataDir,
    env: { BOTCTL_DATABASE_URL: url, BOTCTL_ADMIN: 'on' },
    file: {},
    readFile: (p) => fs.readFileSync(p, 'utf8'),
  });
  const logger = pino({ level: 'silent' });
  const app = await createApp(config, { logger });
  const s = app.services;
  const { key } = await (await s.apiKeys()).create({ name: 'bench', scope: 'read' });
  // Another key for the walk to the deep page, so the timed requests have the per-key limit to themselves.
  const { key: walker } = await (await s.apiKeys()).create({ name: 'walk', scope: 'read' });
  const server = await createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    adminApi: {
      users: s.users,
      privacy: s.privacy,
      stats: s.stats,
      broadcasts: s.broadcasts,
      backups: s.backups,
      apiKeys: s.apiKeys,
      adminSessions: s.adminSessions,
      audit: s.audit,
      conversations: s.conversations,
      readiness: async () => ({ ready: true, checks: {} }),
      lock: (name, what) => s.lock(name, what),
      broadcastRate: config.broadcastRate,
    },
  });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
    // The cursor of the page 90,000 users in: walk there once in pages of 500 (not timed).
    let cursor: string | null = null;
    for (let seen = 0; seen < Math.min(90_000, SIZE.users - 100); seen += 500) {
      const res = await fetch(`${base}/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${walker}` },
      });
      cursor = ((await res.json()) as { next: string | null }).next;
    }
    const stats = await measure(`${base}/stats`, key, COUNTS.stats);
    const first = await measure(`${base}/users?limit=100`, key, COUNTS.firstPage);
    const deep = await measure(`${base}/users?limit=100&cursor=${cursor}`, key, COUNTS.deepPage);
    return {
      dialect,
      users: SIZE.users,
      messages: SIZE.messages,
      'seed s': seedSeconds,
      'stats p50 ms': stats.p50,
      'stats p99 ms': stats.p99,
      'users page 1 p50 ms': first.p50,
      'users page 1 p99 ms': first.p99,
      'users page @90k p50 ms': deep.p50,
      'users page @90k p99 ms': deep.p99,
      'load avg': loadavg()[0]!.toFixed(1),
    };
  } finally {
    await server.close();
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows = [];
if (DIALECTS.includes('sqlite')) {
  const dir = fs.mkdtempSync(join(tmpdir(), 'botctl-bench-api-db-'));
  try {
    rows.push(await benchDialect('sqlite', join(dir, 'bench.sqlite'), seedSqlite));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
if (DIALECTS.includes('postgres')) {
  rows.push(await withScratchDatabase((url) => benchDialect('postgres', url, seedPostgres)));
}
console.table(rows);
