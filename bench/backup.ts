/**
 * Backup cost on a realistically full database: fills SQLite and PostgreSQL with
 * BENCH_MESSAGES messages (default 1,000,000) over 1,000 conversations, then times
 * `backup create` (without its read-back), `backup verify` and `backup restore --force`
 * through the same service the CLI uses, plain and encrypted, and prints sizes.
 *
 *   node --import tsx bench/backup.ts
 *   BENCH_MESSAGES=100000 BENCH_PG=0 node --import tsx bench/backup.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { loadConfig } from '../src/config/config.js';
import { createBackups } from '../src/app/backups.js';
import { formatBytes } from '../src/domain/backup-rules.js';
import { CONVERSATIONS, insertSqliteMessages, migrateWithConversations } from './lib/conversations.js';
import { bulkInsertMessages, withScratchDatabase } from './lib/postgres.js';
import { secondsSince as seconds } from './lib/stats.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const PASSPHRASE = 'bench passphrase, long enough';

interface Row {
  dialect: string;
  messages: number;
  variant: string;
  database: string;
  backup: string;
  'create s': number;
  'verify s': number;
  'restore s': number;
}
const rows: Row[] = [];

async function measure(dialect: string, dataDir: string, url: string, databaseBytes: number): Promise<void> {
  const config = loadConfig({ dataDir, env: { BOTCTL_DATABASE_URL: url } });
  for (const passphrase of [undefined, PASSPHRASE]) {
    const backups = await createBackups(config);
    try {
      let started = performance.now();
      const created = await backups.create({ passphrase, verify: false });
      const createS = seconds(started);
      started = performance.now();
      await backups.verify(created.id, { passphrase });
      const verifyS = seconds(started);
      started = performance.now();
      await backups.restore(created.id, { force: true, passphrase });
      const restoreS = seconds(started);
      rows.push({
        dialect,
        messages: MESSAGES,
        variant: passphrase ? 'encrypted' : 'plain',
        database: formatBytes(databaseBytes || created.databaseBytes),
        backup: formatBytes(created.bytes),
        'create s': createS,
        'verify s': verifyS,
        'restore s': restoreS,
      });
      // The restore took a safety backup: remove both so the next round starts alike.
      await backups.prune({ keep: 0 });
    } finally {
      await backups.close();
    }
  }
}

async function benchSqlite(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-bench-backup-'));
  const file = join(dir, 'botctl.sqlite');
  try {
    await migrateWithConversations(file);
    const raw = new Database(file);
    const started = performance.now();
    insertSqliteMessages(raw, { messages: MESSAGES, contentChars: 180 });
    const size =
      (raw.pragma('page_count', { simple: true }) as number) *
      (raw.pragma('page_size', { simple: true }) as number);
    raw.close();
    console.log(`sqlite: ${MESSAGES} messages in ${seconds(started)} s`);
    await measure('sqlite', dir, file, size);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-bench-backup-'));
  try {
    await withScratchDatabase(async (url) => {
      await migrateWithConversations(url);
      const started = performance.now();
      await bulkInsertMessages(url, MESSAGES, CONVERSATIONS);
      const raw = postgres(url, { max: 1, onnotice: () => undefined });
      const [{ size } = { size: 0 }] = await raw.unsafe<Array<{ size: number }>>(
        'select pg_database_size(current_database())::float8 as size',
      );
      await raw.end();
      console.log(`postgres: ${MESSAGES} messages in ${seconds(started)} s`);
      await measure('postgres', dir, url, size);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await benchSqlite();
if (process.env.BENCH_PG !== '0') await benchPostgres();
console.table(rows);
