/**
 * Database hot paths on a realistically full database: fills SQLite and PostgreSQL with
 * BENCH_MESSAGES messages (default 1,000,000) spread over 1,000 conversations, then times
 * appendMessage and getContext(20) through the repositories, and the same getContext query
 * as a bare better-sqlite3 prepared statement (what drizzle costs on top).
 *
 *   node --import tsx bench/db.ts
 *   BENCH_MESSAGES=100000 BENCH_CALLS=500 BENCH_DIALECTS=sqlite BENCH_PG_URL=postgres://... node --import tsx bench/db.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { openDatabase, type Database as Db } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { CONVERSATIONS, insertSqliteMessages, seedConversations } from './lib/conversations.js';
import { bulkInsertMessages, withScratchDatabase } from './lib/postgres.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const plain = createFieldCipher([]);
const sealed = createFieldCipher([{ id: 'bench', key: randomBytes(32) }]);

interface Row {
  dialect: string;
  operation: string;
  calls: number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'mean ms': number;
}
const rows: Row[] = [];

/** Warm-up touches every conversation once, so each variant starts from the same cache state. */
async function measure(dialect: string, operation: string, fn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < CONVERSATIONS; i += 1) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(3));
  const mean = Number((times.reduce((a, b) => a + b, 0) / times.length).toFixed(3));
  rows.push({
    dialect,
    operation,
    calls: CALLS,
    'p50 ms': at(0.5),
    'p95 ms': at(0.95),
    'p99 ms': at(0.99),
    'mean ms': mean,
  });
}

const conversation = (i: number) => ((i * 7919) % CONVERSATIONS) + 1;

async function timeHotPaths(dialect: string, db: Db, sealedDb: Db): Promise<void> {
  const repos = db.repos;
  await measure(dialect, 'getContext(20)', (i) => repos.conversations.getContext(conversation(i), 20));
  await measure(dialect, 'appendMessage', (i) =>
    repos.conversations.appendMessage({
      conversationId: conversation(i),
      role: 'user',
      content: `bench ${i}`,
    }),
  );
  // Sealed rows: 20 fresh AES-GCM values per conversation read back.
  for (let i = 0; i < 20 * 50; i += 1) {
    await sealedDb.repos.conversations.appendMessage({
      conversationId: (i % 50) + 1,
      role: 'model',
      content: 'x'.repeat(300),
    });
  }
  await measure(dialect, 'getContext(20), encrypted', (i) =>
    sealedDb.repos.conversations.getContext((i % 50) + 1, 20),
  );
}

async function benchSqlite(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-bench-'));
  const file = join(dir, 'bench.db');
  try {
    const db = await openDatabase({ url: file, cipher: plain });
    await db.migrator.up();
    await seedConversations(db.repos);
    const raw = new Database(file);
    let started = performance.now();
    raw.pragma('journal_mode = WAL');
    insertSqliteMessages(raw, { messages: MESSAGES, contentChars: 180 });
    raw.exec('analyze');
    console.log(`sqlite: ${MESSAGES} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    started = performance.now();
    const sealedDb = await openDatabase({ url: file, cipher: sealed });
    await timeHotPaths('sqlite', db, sealedDb);
    const statement = raw.prepare(
      'select * from messages where conversation_id = ? order by id desc limit ?',
    );
    await measure('sqlite', 'getContext(20), bare better-sqlite3', (i) =>
      (statement.all(conversation(i), 20) as unknown[]).reverse(),
    );
    const plan = raw
      .prepare(
        'explain query plan select * from messages where conversation_id = ? order by id desc limit 20',
      )
      .all(1) as Array<{ detail: string }>;
    console.log(`sqlite plan: ${plan.map((p) => p.detail).join('; ')}`);
    raw.close();
    await sealedDb.close();
    await db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  await withScratchDatabase(async (url) => {
    const db = await openDatabase({ url, cipher: plain });
    await db.migrator.up();
    await seedConversations(db.repos);
    const started = performance.now();
    await bulkInsertMessages(url, MESSAGES, CONVERSATIONS);
    console.log(`postgres: ${MESSAGES} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const sealedDb = await openDatabase({ url, cipher: sealed });
    await timeHotPaths('postgres', db, sealedDb);
    const raw = postgres(url, { max: 1, onnotice: () => undefined });
    const [plan] = await raw.unsafe(
      'explain (format text) select * from messages where conversation_id = 1 order by id desc limit 20',
    );
    console.log(`postgres plan: ${String(Object.values(plan ?? {})[0])} ...`);
    await raw.end();
    await sealedDb.close();
    await db.close();
  });
}

const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
if (dialects.includes('sqlite')) await benchSqlite();
if (dialects.includes('postgres')) await benchPostgres();
console.table(rows);
// p99 of sub-millisecond calls is mostly scheduler noise on a busy machine: say how busy it was.
console.log(
  `load average (1/5/15 min): ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
