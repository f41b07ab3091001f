import { lazy } from '../shared/lazy.js';
import { and, asc, count, desc, eq, getTableColumns, gt, isNotNull, lte, max, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { NewMessage } from '../../../domain/entities.js';
import type { ConversationRepository, FieldCipher } from '../../../domain/ports/index.js';
import type { HistoryMark } from '../shared/history-cache.js';
import {
  messageValues,
  sentValues,
  storedMessage,
  toMessage,
  type MessageValues,
} from '../shared/mapping.js';
import { usageDeltaValues } from '../shared/sql.js';
import { insertOutboxSqlite } from './events.js';
import type { GroupCommit } from './group-commit.js';
import { inboxDone } from './inbox.js';
import { conversations, messages } from './schema.js';
import { usageAdd } from './usage.js';

type MessageMethods = Pick<
  ConversationRepository,
  | 'appendMessage'
  | 'appendCounted'
  | 'getContext'
  | 'messagesAfter'
  | 'countMessages'
  | 'deleteMessage'
  | 'getMessage'
  | 'markDelivered'
  | 'findAnswerBySent'
>;

export function sqliteMessages(
  db: BetterSQLite3Database,
  cipher: FieldCipher,
  commit: GroupCommit,
): MessageMethods {
  const m = messages;
  const placeholders = {
    conversationId: sql.placeholder('conversationId'),
    role: sql.placeholder('role'),
    content: sql.placeholder('content'),
    tokensIn: sql.placeholder('tokensIn'),
    tokensOut: sql.placeholder('tokensOut'),
    model: sql.placeholder('model'),
    latencyMs: sql.placeholder('latencyMs'),
    telegramMessageId: sql.placeholder('telegramMessageId'),
    createdAt: sql.placeholder('createdAt'),
    sources: sql.placeholder('sources'),
  };
  // No RETURNING: the stored message is what was inserted plus its id (storedMessage), so the row is
  // not read back and mapped again. In the daemon under a burst an insert took 45 us with RETURNING
  // and 19 us without, and every answer inserts two.
  const insert = lazy(() => db.insert(m).values(placeholders).prepare());
  const insertMessage = (message: NewMessage, values: MessageValues) =>
    storedMessage(message, values, Number(insert().run(values).lastInsertRowid));
  const countUsage = usageAdd(db);
  // The hot path of every reply: newest-first on the (conversation_id, id) index, then reversed.
  const lastN = lazy(() =>
    db
      .select()
      .from(m)
      .where(eq(m.conversationId, sql.placeholder('conversationId')))
      .orderBy(desc(m.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  const after = lazy(() =>
    db
      .select()
      .from(m)
      .where(
        and(eq(m.conversationId, sql.placeholder('conversationId')), gt(m.id, sql.placeholder('afterId'))),
      )
      .orderBy(asc(m.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  const counter = lazy(() =>
    db
      .select({ n: count() })
      .from(m)
      .where(eq(m.conversationId, sql.placeholder('conversationId')))
      .prepare(),
  );

  // Each delivered answer.
  const delivered = lazy(() =>
    db
      .update(m)
      // Placeholders skip the column's Date mapping: the caller passes epoch ms.
      .set({
        deliveredAt: sql`${sql.placeholder('atMs')}`,
        // The answer's Telegram messages, recorded in the same write (replies and edits find it by them).
        telegramMessageId: sql`${sql.placeholder('first')}`,
        sentMessageIds: sql`${sql.placeholder('sent')}`,
      })
      .where(eq(m.id, sql.placeholder('id')))
      .prepare(),
  );
  // A reply to the bot: the newest answer shown at or before that Telegram message, in the user's chat.
  const bySent = lazy(() =>
    db
      .select(getTableColumns(m))
      .from(m)
      .innerJoin(conversations, eq(conversations.id, m.conversationId))
      .where(
        and(
          eq(conversations.userId, sql.placeholder('userId')),
          eq(conversations.chatId, sql.placeholder('chatId')),
          eq(m.role, 'model'),
          isNotNull(m.telegramMessageId),
          lte(m.telegramMessageId, sql.placeholder('telegramMessageId')),
        ),
      )
      .orderBy(desc(m.telegramMessageId))
      .limit(1)
      .prepare(),
  );

  const updateDone = inboxDone(db);

  return {
    async appendMessage(message) {
      return insertMessage(message, messageValues(message, cipher, new Date()));
    },
    async appendCounted(turns, { userId, day, delta }, events) {
      const now = new Date();
      const values = turns.map((message) => messageValues(message, cipher, now));
      const usage = usageDeltaValues(userId, day, delta);
      // The turn and its usage go in one group commit, where every write runs in a savepoint of its
      // own: both or neither, without a transaction of their own inside it.
      return commit(() => {
        const stored = turns.map((message, i) => insertMessage(message, values[i]!));
        countUsage().run(usage);
        // With events: their rows go in the same transaction.
        if (events !== undefined) insertOutboxSqlite(db, events(stored), now);
        return stored;
      });
    },
    async getContext(conversationId, limit) {
      return lastN()
        .all({ conversationId, limit })
        .reverse()
        .map((row) => toMessage(row, cipher));
    },
    async messagesAfter(conversationId, afterId, limit) {
      return after()
        .all({ conversationId, afterId, limit })
        .map((row) => toMessage(row, cipher));
    },
    async countMessages(conversationId) {
      return counter().get({ conversationId })?.n ?? 0;
    },
    async deleteMessage(id) {
      db.delete(m).where(eq(m.id, id)).run();
    },
    async markDelivered(id, at, doneUpdateId, sent) {
      const values = sentValues(sent);
      const atMs = at.getTime();
      // Delivered, and its update done, in one commit (the group commit's savepoint holds both).
      await commit(() => {
        delivered().run({ id, atMs, ...values });
        if (doneUpdateId !== undefined) updateDone().run({ updateId: doneUpdateId, atMs });
      });
    },
    async findAnswerBySent(key, telegramMessageId) {
      const row = bySent().get({ userId: key.userId, chatId: key.chatId, telegramMessageId });
      const answer = row ? toMessage(row, cipher) : null;
      return answer?.sentMessageIds?.includes(telegramMessageId) ? answer : null;
    },
    async getMessage(id) {
      const row = db.select().from(m).where(eq(m.id, id)).get();
      return row ? toMessage(row, cipher) : null;
    },
  };
}

/** What the history cache asks before serving a kept history (see shared/history-cache.ts). */
export function sqliteHistoryMark(db: BetterSQLite3Database) {
  const m = messages;
  const query = lazy(() =>
    db
      .select({ count: count(), lastId: max(m.id), delivered: count(m.deliveredAt) })
      .from(m)
      .where(
        and(eq(m.conversationId, sql.placeholder('conversationId')), gt(m.id, sql.placeholder('afterId'))),
      )
      .prepare(),
  );
  return async (conversationId: number, afterId: number): Promise<HistoryMark> =>
    query().get({ conversationId, afterId }) ?? { count: 0, lastId: null, delivered: 0 };
}
