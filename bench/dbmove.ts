/**
 * `botctl db move` on a full database: fills a SQLite file with BENCH_MESSAGES messages (default
 * 1,000,000, ~100 characters each, over 1,000 conversations), then runs the built CLI as a process,
 * as an operator would: SQLite -> a fresh PostgreSQL database, then that database -> a new SQLite
 * file. Each run copies, checks every table (row count and digest on both sides) and sets the
 * sequences; the table shows the whole command's wall time.
 *
 *   npm run bench:dbmove
 *   BENCH_MESSAGES=100000 node --import tsx bench/dbmove.ts     (after npm run build)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { withScratchDatabase } from './lib/postgres.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CONVERSATIONS = 1000;
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

interface Row {
  move: string;
  messages: number;
  'rows copied': number;
  'wall s': number;
  'rows/s': number;
}
const rows: Row[] = [];
const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(2));

async function seedSqlite(file: string): Promise<void> {
  const db = await openDatabase({ url: file, cipher: createFieldCipher([]) });
  await db.migrator.up();
  const user = await db.repos.users.upsertFromTelegram({
    telegramId: 1,
    username: 'bench',
    firstName: 'Bench',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  for (let thread = 1; thread <= CONVERSATIONS; thread += 1) {
    await db.repos.conversations.start({ userId: user.id, chatId: 1, threadId: thread });
  }
  await db.close();
  const raw = new Database(file);
  raw
    .prepare(
      `with recursive g(x) as (select 1 union all select x + 1 from g where x < ?)
       insert into messages (conversation_id, role, content, tokens_in, tokens_out, model, latency_ms, created_at)
       select (x % ?) + 1, case x % 2 when 0 then 'user' else 'model' end,
              'message ' || x || ' ' || substr(hex(randomblob(100)), 1, 90), 10, 20,
              case x % 2 when 0 then null else 'gemini-bench' end, case x % 2 when 0 then null else x % 900 end, ?
       from g`,
    )
    .run(MESSAGES, CONVERSATIONS, Date.now());
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

async function move(label: string, dataDir: string, from: string, to: string): Promise<void> {
  const started = performance.now();
  const run = await execa(process.execPath, [BIN, 'db', 'move', '--to', to, '--json'], {
    env: { BOTCTL_DATA_DIR: dataDir, BOTCTL_DATABASE_URL: from, NO_COLOR: '1' },
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
  });
  const wall = seconds(started);
  const envelope = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    status: string;
    result?: { rows: number };
    error?: { message: string };
  };
  if (envelope.status !== 'ok') throw new Error(`${label} failed: ${envelope.error?.message ?? run.stderr}`);
  const copied = envelope.result?.rows ?? 0;
  rows.push({
    move: label,
    messages: MESSAGES,
    'rows copied': copied,
    'wall s': wall,
    'rows/s': Math.round(copied / wall),
  });
}

const dir = await mkdtemp(join(tmpdir(), 'botctl-bench-dbmove-'));
try {
  const source = join(dir, 'source.sqlite');
  const started = performance.now();
  await seedSqlite(source);
  console.log(`sqlite: ${MESSAGES} messages seeded in ${seconds(started)} s`);
  await withScratchDatabase(async (url) => {
    await move('SQLite -> PostgreSQL', dir, source, url);
    await move('PostgreSQL -> SQLite', dir, url, join(dir, 'back.sqlite'));
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.table(rows);
