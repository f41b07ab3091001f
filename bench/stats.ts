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
import Database from 'better-sqlite3';
import { execa } from 'execa';
import postgres from 'postgres';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { DEFAULT_PRICES } from '../src/config/schema.js';
import { parsePeriod } from '../src/domain/stats-period.js';
import { createStatsService } from '../src/services/stats/index.js';
import { withScratchDatabase } from './lib/postgres.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));
const DAY = 86_400_000;
const NOW = Date.now();
const START = NOW - 60 * DAY;
const STEP = Math.floor((60 * DAY - 60_000) / MESSAGES);

/** One SQL text for both dialects; `ms(expr)` turns epoch milliseconds into the column's type. */
function seedSql(
  ms: (expr: string) => string,
  series: (n: string, from: number, to: number) => string,
  day: string,
) {
  const model = `CASE WHEN i % 2 = 0 THEN NULL WHEN i % 7 = 1 THEN 'gemini-2.5-pro' WHEN i % 7 = 3 THEN 'gemini-3-flash-preview' ELSE 'gemini-2.5-flash' END`;
  return [
    `INSERT INTO users (id, telegram_id, username, first_name, language, role, status, settings, created_at, last_seen_at)
     SELECT i, 1000000 + i, 'user' || i, 'User ' || i, CASE WHEN i % 5 = 0 THEN 'ru' ELSE 'en' END,
       CASE WHEN i % 50 = 0 THEN 'premium' ELSE 'user' END,
       CASE WHEN i % 200 = 0 THEN 'banned' WHEN i % 97 = 0 THEN 'blocked' ELSE 'active' END, '{}',
       ${ms(`${NOW} - (i % 365) * ${DAY} - 3600000`)}, ${ms(`${NOW} - (i % 60) * ${DAY} - 60000`)}
     FROM ${series('i', 1, USERS)}`,
    `INSERT INTO conversations (id, user_id, chat_id, started_at) SELECT id, id, telegram_id, created_at FROM users`,
    `INSERT INTO messages (conversation_id, role, content, tokens_in, tokens_out, model, latency_ms, created_at)
     SELECT ((i / 2) * 7919) % ${USERS} + 1, CASE WHEN i % 2 = 0 THEN 'user' ELSE 'model' END,
       'message ' || i || ' lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor',
       CASE WHEN i % 2 = 0 THEN 20 ELSE 800 + i % 1000 END, CASE WHEN i % 2 = 0 THEN 0 ELSE 100 + i % 400 END,
       ${model}, CASE WHEN i % 2 = 0 THEN NULL ELSE 300 + (i * 37) % 4000 END, ${ms(`${START} + i * ${STEP}`)}
     FROM ${series('i', 0, MESSAGES - 1)}`,
    `INSERT INTO daily_usage (user_id, day, messages, tokens_in, tokens_out, audio_seconds, images)
     SELECT c.user_id, ${day}, sum(CASE WHEN m.role = 'user' THEN 1 ELSE 0 END), sum(m.tokens_in), sum(m.tokens_out), 0, 0
     FROM messages m JOIN conversations c ON c.id = m.conversation_id GROUP BY 1, 2`,
  ];
}

async function seedSqlite(url: string): Promise<void> {
  const client = new Database(url);
  const series = (n: string, from: number, to: number) =>
    `(WITH RECURSIVE s(${n}) AS (SELECT ${from} UNION ALL SELECT ${n} + 1 FROM s WHERE ${n} < ${to}) SELECT ${n} FROM s)`;
  client.transaction(() => {
    for (const statement of seedSql(
      (e) => `(${e})`,
      series,
      `strftime('%Y-%m-%d', m.created_at / 1000, 'unixepoch')`,
    )) {
      client.exec(statement);
    }
  })();
  client.close();
}

async function seedPostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  // bigint: (i / 2) * 7919 overflows a 32-bit integer.
  const series = (n: string, from: number, to: number) =>
    `generate_series(${from}::bigint, ${to}::bigint) AS ${n}`;
  const ms = (e: string) => `to_timestamp((${e})::float8 / 1000)`;
  for (const statement of seedSql(ms, series, `to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`)) {
    await sql.unsafe(statement);
  }
  // What autovacuum does shortly after a bulk load: statistics and the visibility map.
  await sql.unsafe('VACUUM ANALYZE');
  await sql.end();
}

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

async function benchDialect(dialect: string, url: string, seed: (url: string) => Promise<void>) {
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  await db.migrator.up();
  const started = performance.now();
  await seed(url);
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
  const service = createStatsService({ stats: db.repos.stats, prices: DEFAULT_PRICES });
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
