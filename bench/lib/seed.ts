/**
 * Bulk seeding of a full database for the benchmarks, in SQL on SQLite and PostgreSQL: `users`
 * users (languages, roles and statuses mixed), one conversation each, `messages` questions and
 * answers over the last 60 days, and their daily usage rows.
 */
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { openDatabase } from '../../src/adapters/db/open.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';

const DAY = 86_400_000;

export interface SeedSize {
  users: number;
  messages: number;
}

/** One SQL text for both dialects; `ms(expr)` turns epoch milliseconds into the column's type. */
function seedSql(
  { users: USERS, messages: MESSAGES }: SeedSize,
  ms: (expr: string) => string,
  series: (n: string, from: number, to: number) => string,
  day: string,
) {
  const model = `CASE WHEN i % 2 = 0 THEN NULL WHEN i % 7 = 1 THEN 'gemini-2.5-pro' WHEN i % 7 = 3 THEN 'gemini-3-flash-preview' ELSE 'gemini-2.5-flash' END`;
  const NOW = Date.now();
  const START = NOW - 60 * DAY;
  const STEP = Math.floor((60 * DAY - 60_000) / MESSAGES);
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

export async function seedSqlite(url: string, size: SeedSize): Promise<void> {
  const client = new Database(url);
  const series = (n: string, from: number, to: number) =>
    `(WITH RECURSIVE s(${n}) AS (SELECT ${from} UNION ALL SELECT ${n} + 1 FROM s WHERE ${n} < ${to}) SELECT ${n} FROM s)`;
  client.transaction(() => {
    for (const statement of seedSql(
      size,
      (e) => `(${e})`,
      series,
      `strftime('%Y-%m-%d', m.created_at / 1000, 'unixepoch')`,
    )) {
      client.exec(statement);
    }
  })();
  client.close();
}

export async function seedPostgres(url: string, size: SeedSize): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  // bigint: (i / 2) * 7919 overflows a 32-bit integer.
  const series = (n: string, from: number, to: number) =>
    `generate_series(${from}::bigint, ${to}::bigint) AS ${n}`;
  const ms = (e: string) => `to_timestamp((${e})::float8 / 1000)`;
  for (const statement of seedSql(
    size,
    ms,
    series,
    `to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  )) {
    await sql.unsafe(statement);
  }
  // What autovacuum does shortly after a bulk load: statistics and the visibility map.
  await sql.unsafe('VACUUM ANALYZE');
  await sql.end();
}

/** Migrates an empty database, then bulk-seeds it with `seed`; returns the seeding's seconds. */
export async function migrateAndSeed(
  url: string,
  seed: (url: string, size: SeedSize) => Promise<void>,
  size: SeedSize,
): Promise<number> {
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  try {
    await db.migrator.up();
  } finally {
    await db.close();
  }
  const started = performance.now();
  await seed(url, size);
  return Math.round((performance.now() - started) / 100) / 10;
}
