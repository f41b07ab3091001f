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
import { insertSqliteMessages, migrateWithConversations } from './lib/conversations.js';
import { withScratchDatabase } from './lib/postgres.js';
import { secondsSince as seconds } from './lib/stats.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

interface Row {
  move: string;
  messages: number;
  'rows copied': number;
  'wall s': number;
  'rows/s': number;
}
const rows: Row[] = [];

async function seedSqlite(file: string): Promise<void> {
  await migrateWithConversations(file);
  const raw = new Database(file);
  insertSqliteMessages(raw, { messages: MESSAGES, contentChars: 90, answers: true });
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
