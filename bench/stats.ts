/**
 * `botctl stats` on a full database: BENCH_USERS users (default 100,000), one conversation
 * each, and BENCH_MESSAGES messages (default 1,000,000: questions and answers over the last 60
 * days) with their daily usage rows, bulk-loaded in SQL on SQLite and PostgreSQL. Times the
 * service call (the default --since 30d) and the built CLI as a process (`stats --json`,
 * beside `migrate status --json`: the same start-up and database open without the stats work),
 * each the median of BENCH_RUNS runs (default 5) after one warm-up. Target: under 500 ms.
 *
 *   npm run build && node --import tsx bench/stats.ts
 *   BENCH_DIALECTS=sqlite BENCH_MESSAGES=200000 node --import tsx bench/stats.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { DEFAULT_PRICES } from '../src/config/schema.js';
import { DEFAULT_SEARCH_PRICE_PER_THOUSAND } from '../src/domain/pricing.js';
import { parsePeriod } from '../src/domain/stats-period.js';
import { createStatsService } from '../src/services/stats/index.js';
import { withScratchDatabase } from './lib/postgres.js';
import { migrateAndSeed, seedPostgres, seedSqlite, type SeedSize } from './lib/seed.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Median wall time, and median CPU time of this process: SQLite runs inside it, so its CPU time is
 * the work itself, unaffected by other load on the machine (PostgreSQL works in the server).
 */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  await fn(); // warm-up: page cache and prepared plans
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const used = process.cpuUsage();
    await fn();
    const spent = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((spent.user + spent.system) / 1000);
  }
  return { wall: Math.round(median(wall)), cpu: Math.round(median(cpu)) };
}

async function benchDialect(
  dialect: string,
  url: string,
  seed: (url: string, size: SeedSize) => Promise<void>,
) {
  const seedSeconds = await migrateAndSeed(url, seed, { users: USERS, messages: MESSAGES });
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  const service = createStatsService({
    stats: db.repos.stats,
    prices: DEFAULT_PRICES,
    searchPricePerThousand: DEFAULT_SEARCH_PRICE_PER_THOUSAND,
  });
  const report = await service.report(parsePeriod({ since: '30d' }, new Date()));
  const serviceMs = await timed(() => service.report(parsePeriod({ since: '30d' }, new Date())));
  const load = loadavg()[0]!.toFixed(1);
  await db.close();
  const env = { ...process.env, BOTCTL_DATABASE_URL: url, BOTCTL_DATA_DIR: tmpdir(), NO_COLOR: '1' };
  const cliMs = await timed(() => execa(process.execPath, [BIN, 'stats', '--json'], { env }));
  // Baseline: the same process start and database open with a trivial query.
  const baselineMs = await timed(() =>
    execa(process.execPath, [BIN, 'migrate', 'status', '--json'], { env }),
  );
  return {
    dialect,
    users: USERS,
    messages: MESSAGES,
    'seed s': seedSeconds,
    'answers in 30d': report.messages.model,
    'service ms': serviceMs.wall,
    'service CPU ms': dialect === 'sqlite' ? serviceMs.cpu : '-',
    'CLI stats --json ms': cliMs.wall,
    'CLI migrate status ms': baselineMs.wall,
    'load avg': load,
  };
}

const rows = [];
if (DIALECTS.includes('sqlite')) {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-bench-stats-'));
  try {
    rows.push(await benchDialect('sqlite', join(dir, 'bench.sqlite'), seedSqlite));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
if (DIALECTS.includes('postgres')) {
  rows.push(await withScratchDatabase((url) => benchDialect('postgres', url, seedPostgres)));
}
console.table(rows);
