/**
 * A data dir and a real database (SQLite file or a fresh PostgreSQL database) for `botctl
 * backup` tests, the built CLI pointed at both, and row reads through fresh connections (a
 * SQLite restore renames a new file over the old one, so a cached handle would read the old).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { loadMigrations, locateMigrations } from '../../src/adapters/db/migration-files.js';
import type { Dialect, SchemaVersion } from '../../src/domain/ports/index.js';
import { parseEnvelope, runCli, type CliResult } from './cli.js';
import { openTestDatabase, type Row, type TestDatabase } from './db.js';

export interface Envelope<T> {
  exitCode: number;
  status: string;
  result: T;
  error?: { code: string; message: string; hint: string | null };
  stderr: string;
}

export interface BackupFixture {
  dialect: Dialect;
  db: TestDatabase;
  dataDir: string;
  backupDir: string;
  env: Record<string, string>;
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Runs with --json and parses the one envelope on stdout. */
  json<T = Record<string, unknown>>(
    args: string[],
    env?: Record<string, string | undefined>,
  ): Promise<Envelope<T>>;
  /** Rows through a fresh connection to `url` (default: the fixture's database). */
  rows(sql: string, url?: string): Promise<Row[]>;
  messages(url?: string): Promise<Row[]>;
  /** One user, one conversation and `count` messages. */
  seed(count: number): Promise<{ conversationId: number }>;
  /** Backup directories in the store, sorted by name. */
  stored(): string[];
  cleanup(): Promise<void>;
}

export async function backupFixture(
  dialect: Dialect,
  options: { migrate?: boolean } = {},
): Promise<BackupFixture> {
  const db = await openTestDatabase(dialect, { migrate: options.migrate });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-backup-'));
  const backupDir = path.join(dataDir, 'backups');
  const env = { BOTCTL_DATA_DIR: dataDir, BOTCTL_DATABASE_URL: db.url };
  const cli = (args: string[], extra: Record<string, string | undefined> = {}) =>
    runCli(args, { ...env, ...extra });

  const fixture: BackupFixture = {
    dialect,
    db,
    dataDir,
    backupDir,
    env,
    cli,
    async json<T>(args: string[], extra: Record<string, string | undefined> = {}) {
      const run = await cli([...args, '--json'], extra);
      const envelope = parseEnvelope(run.stdout);
      return {
        exitCode: run.exitCode,
        stderr: run.stderr,
        ...(envelope as Omit<Envelope<T>, 'exitCode' | 'stderr'>),
      };
    },
    rows: (sql, url = db.url) => readRows(dialect, url, sql),
    messages: (url) =>
      fixture.rows('select id, conversation_id, role, content from messages order by id', url),
    async seed(count) {
      // Raw SQL on the columns every schema since 0000 has: the fixture may sit at an older
      // migration than the repositories' code (the auto-migrate test seeds one behind).
      const now = dialect === 'sqlite' ? Date.now() : new Date();
      const [user] = await db.raw(
        `insert into users (telegram_id, username, first_name, language_code, language, created_at, last_seen_at)
         values (42, 'backup', 'Backup', 'en', 'en', ?, ?)
         on conflict (telegram_id) do update set last_seen_at = excluded.last_seen_at returning id`,
        [now, now],
      );
      // As conversations.start does: the chat's open conversation ends, a new one starts.
      await db.raw('update conversations set ended_at = ? where user_id = ? and ended_at is null', [
        now,
        Number(user!.id),
      ]);
      const [conversation] = await db.raw(
        'insert into conversations (user_id, chat_id, started_at) values (?, 42, ?) returning id',
        [Number(user!.id), now],
      );
      const insert =
        dialect === 'sqlite'
          ? `with recursive g(x) as (select 1 union all select x + 1 from g where x < ?)
             insert into messages (conversation_id, role, content, tokens_in, tokens_out, created_at)
             select ?, case x % 2 when 0 then 'user' else 'model' end, 'seeded message ' || x, 1, 2, ? from g`
          : `insert into messages (conversation_id, role, content, tokens_in, tokens_out, created_at)
             select ?::int, case g % 2 when 0 then 'user' else 'model' end, 'seeded message ' || g, 1, 2, to_timestamp(?::bigint / 1000.0)
             from generate_series(1, ?::int) g`;
      const conversationId = Number(conversation!.id);
      const params =
        dialect === 'sqlite' ? [count, conversationId, Date.now()] : [conversationId, Date.now(), count];
      await db.raw(insert, params);
      return { conversationId };
    },
    stored: () =>
      fs.existsSync(backupDir)
        ? fs
            .readdirSync(backupDir)
            .filter((n) => !n.startsWith('.'))
            .sort()
        : [],
    async cleanup() {
      await db.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

export async function readRows(dialect: Dialect, url: string, sql: string): Promise<Row[]> {
  if (dialect === 'sqlite') {
    const client = new Database(url, { fileMustExist: true });
    try {
      return client.prepare(sql).all() as Row[];
    } finally {
      client.close();
    }
  }
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    return [...(await client.unsafe(sql))] as Row[];
  } finally {
    await client.end({ timeout: 1 });
  }
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function payloadOf(backupPath: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(backupPath, 'manifest.json'), 'utf8')) as {
    payload: { file: string };
  };
  return path.join(backupPath, manifest.payload.file);
}

/** Rewrites fields of a backup's manifest.json (e.g. createdAt, or size and checksum after truncating). */
export function editManifest(backupPath: string, edit: (manifest: Record<string, unknown>) => void): void {
  const file = path.join(backupPath, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest));
}

/** The newest migration this code ships for the dialect: what a fresh backup's manifest names. */
export function latestSchema(dialect: Dialect): SchemaVersion {
  const last = loadMigrations(locateMigrations(dialect)).at(-1)!;
  return { id: last.id, tag: last.tag };
}
