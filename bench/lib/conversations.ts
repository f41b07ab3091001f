/**
 * The world of the message-heavy benchmarks (db, backup, dbmove): one user with CONVERSATIONS
 * conversations made through the repositories, then many messages bulk-inserted over them in one
 * SQL statement (on PostgreSQL: lib/postgres.ts bulkInsertMessages).
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/adapters/db/open.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import type { Repositories } from '../../src/domain/ports/index.js';

export const CONVERSATIONS = 1000;

/** The user (Telegram id 1) and its conversations, threads 1..`count`; returns the user's id. */
export async function seedConversations(repos: Repositories, count = CONVERSATIONS): Promise<number> {
  const user = await repos.users.upsertFromTelegram({
    telegramId: 1,
    username: 'bench',
    firstName: 'Bench',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  for (let thread = 1; thread <= count; thread += 1) {
    await repos.conversations.start({ userId: user.id, chatId: 1, threadId: thread });
  }
  return user.id;
}

/** Migrates the database at `url` and seeds the conversations, then closes it. */
export async function migrateWithConversations(url: string): Promise<void> {
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  try {
    await db.migrator.up();
    await seedConversations(db.repos);
  } finally {
    await db.close();
  }
}

/**
 * `messages` rows alternating user and model over conversations 1..CONVERSATIONS on SQLite, in
 * one statement, then a WAL checkpoint so the file holds them. `contentChars` of random hex after
 * "message N "; `answers`: model rows carry a model id and a latency, as stored answers do.
 */
export function insertSqliteMessages(
  raw: Database.Database,
  { messages, contentChars, answers = false }: { messages: number; contentChars: number; answers?: boolean },
): void {
  const model = answers ? `case x % 2 when 0 then null else 'gemini-bench' end` : 'null';
  const latency = answers ? `case x % 2 when 0 then null else x % 900 end` : 'null';
  raw
    .prepare(
      `with recursive g(x) as (select 1 union all select x + 1 from g where x < ?)
       insert into messages (conversation_id, role, content, tokens_in, tokens_out, model, latency_ms, created_at)
       select (x % ?) + 1, case x % 2 when 0 then 'user' else 'model' end,
              'message ' || x || ' ' || substr(hex(randomblob(100)), 1, ?), 10, 20, ${model}, ${latency}, ?
       from g`,
    )
    .run(messages, CONVERSATIONS, contentChars, Date.now());
  raw.pragma('wal_checkpoint(TRUNCATE)');
}
