import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Conversation } from '../../../domain/entities.js';
import type {
  ConversationKey,
  ConversationRepository,
  FieldCipher,
  OutboxRows,
} from '../../../domain/ports/index.js';
import { insertOutboxPg } from './events.js';
import { toConversation } from '../shared/mapping.js';
import { conversations, users } from './schema.js';

type ConversationMethods = Pick<
  ConversationRepository,
  | 'getActive'
  | 'start'
  | 'getOrStart'
  | 'getById'
  | 'listByUser'
  | 'activate'
  | 'setTitle'
  | 'setSummary'
  | 'delete'
>;
type Tx = Parameters<Parameters<PostgresJsDatabase['transaction']>[0]>[0];

export function pgConversations(db: PostgresJsDatabase, cipher: FieldCipher): ConversationMethods {
  const c = conversations;
  const keyWhere = (key: ConversationKey) =>
    and(
      eq(c.userId, key.userId),
      eq(c.chatId, key.chatId),
      key.threadId === null ? isNull(c.threadId) : eq(c.threadId, key.threadId),
      isNull(c.endedAt),
    );
  // Two statements rather than `thread_id IS NOT DISTINCT FROM $3`, which no index serves.
  const activeStatement = (withThread: boolean) =>
    db
      .select()
      .from(c)
      .where(
        and(
          eq(c.userId, sql.placeholder('userId')),
          eq(c.chatId, sql.placeholder('chatId')),
          withThread ? eq(c.threadId, sql.placeholder('threadId')) : isNull(c.threadId),
          isNull(c.endedAt),
        ),
      )
      .orderBy(desc(c.id))
      .limit(1)
      .prepare(withThread ? 'conversation_active_topic' : 'conversation_active');
  const activeInTopic = activeStatement(true);
  const activeInChat = activeStatement(false);
  const byId = db
    .select()
    .from(c)
    .where(eq(c.id, sql.placeholder('id')))
    .prepare('conversation_by_id');

  const map = (row: Conversation): Conversation => toConversation(row, cipher);
  const findActive = async (key: ConversationKey) =>
    (await (key.threadId === null ? activeInChat : activeInTopic).execute({ ...key }))[0];
  // Starting is serialised per user by locking the user's row: two concurrent first messages
  // must not open two conversations for one chat.
  const lockUser = (tx: Tx, userId: number) =>
    tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  const insert = async (tx: Tx, key: ConversationKey, now: Date) => {
    const [row] = await tx
      .insert(c)
      .values({ userId: key.userId, chatId: key.chatId, threadId: key.threadId, startedAt: now })
      .returning();
    return row as Conversation;
  };

  /** A new conversation and the outbox rows that report it, in the caller's transaction. */
  const started = async (tx: Tx, key: ConversationKey, now: Date, onStarted?: OutboxRows<Conversation>) => {
    const row = await insert(tx, key, now);
    if (onStarted) await insertOutboxPg(tx, onStarted(map(row)), now);
    return row;
  };

  return {
    async getActive(key) {
      const row = await findActive(key);
      return row === undefined ? null : map(row);
    },
    async start(key, now = new Date(), onStarted) {
      const row = await db.transaction(async (tx) => {
        await lockUser(tx, key.userId);
        await tx.update(c).set({ endedAt: now }).where(keyWhere(key));
        return started(tx, key, now, onStarted);
      });
      return map(row);
    },
    async getOrStart(key, now = new Date(), onStarted) {
      const found = await findActive(key);
      if (found !== undefined) return map(found);
      const row = await db.transaction(async (tx) => {
        await lockUser(tx, key.userId);
        const [again] = await tx.select().from(c).where(keyWhere(key)).orderBy(desc(c.id)).limit(1);
        return again ?? started(tx, key, now, onStarted);
      });
      return map(row);
    },
    async getById(id) {
      const [row] = await byId.execute({ id });
      return row === undefined ? null : map(row);
    },
    async listByUser(userId, page) {
      // No page: all of them (a data export wants every conversation).
      const query = db
        .select()
        .from(c)
        .where(eq(c.userId, userId))
        .orderBy(desc(c.startedAt), desc(c.id))
        .$dynamic();
      if (page !== undefined) query.limit(page.limit).offset(page.offset);
      const rows = await query;
      return rows.map(map);
    },
    async activate(id, key, now = new Date()) {
      const row = await db.transaction(async (tx) => {
        await lockUser(tx, key.userId);
        const [own] = await tx
          .select({ id: c.id })
          .from(c)
          .where(and(eq(c.id, id), eq(c.userId, key.userId)));
        if (own === undefined) return undefined;
        await tx
          .update(c)
          .set({ endedAt: now })
          .where(and(keyWhere(key), ne(c.id, id)));
        const [updated] = await tx
          .update(c)
          .set({ endedAt: null, chatId: key.chatId, threadId: key.threadId })
          .where(eq(c.id, id))
          .returning();
        return updated;
      });
      return row === undefined ? null : map(row);
    },
    async setTitle(id, title) {
      await db
        .update(c)
        .set({ title: cipher.seal(title) })
        .where(eq(c.id, id));
    },
    async setSummary(id, summary, coversUpToMessageId) {
      await db
        .update(c)
        .set({ summary: cipher.seal(summary), summaryUpToMessageId: coversUpToMessageId })
        .where(eq(c.id, id));
    },
    async delete(id) {
      await db.delete(c).where(eq(c.id, id));
    },
  };
}
