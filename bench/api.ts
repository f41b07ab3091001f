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
import { startAdminServer } from './lib/admin-server.js';
import { timeGets } from './lib/http-timing.js';
import { withScratchDatabase } from './lib/postgres.js';
import { migrateAndSeed, seedPostgres, seedSqlite, type SeedSize } from './lib/seed.js';

const SIZE: SeedSize = {
  users: Number(process.env.BENCH_USERS ?? 100_000),
  messages: Number(process.env.BENCH_MESSAGES ?? 200_000),
};
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
/** Requests per case (stats is the heavy one); the sum stays under the per-key limit of 300/min. */
const COUNTS = { stats: 60, firstPage: 100, deepPage: 100 };
const WARMUP = 3;

async function benchDialect(
  dialect: string,
  url: string,
  seed: (url: string, size: SeedSize) => Promise<void>,
) {
  const seedSeconds = await migrateAndSeed(url, seed, SIZE);
  const server = await startAdminServer({ databaseUrl: url });
  try {
    const apiKeys = await server.services.apiKeys();
    const { key } = await apiKeys.create({ name: 'bench', scope: 'read' });
    // Another key for the walk to the deep page, so the timed requests have the per-key limit to themselves.
    const { key: walker } = await apiKeys.create({ name: 'walk', scope: 'read' });
    const base = `${server.origin}/api/v1`;
    // The cursor of the page 90,000 users in: walk there once in pages of 500 (not timed).
    let cursor: string | null = null;
    for (let seen = 0; seen < Math.min(90_000, SIZE.users - 100); seen += 500) {
      const res = await fetch(`${base}/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${walker}` },
      });
      cursor = ((await res.json()) as { next: string | null }).next;
    }
    const auth = { authorization: `Bearer ${key}` };
    const stats = await timeGets(`${base}/stats`, auth, { count: COUNTS.stats, warmup: WARMUP });
    const first = await timeGets(`${base}/users?limit=100`, auth, {
      count: COUNTS.firstPage,
      warmup: WARMUP,
    });
    const deep = await timeGets(`${base}/users?limit=100&cursor=${cursor}`, auth, {
      count: COUNTS.deepPage,
      warmup: WARMUP,
    });
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
