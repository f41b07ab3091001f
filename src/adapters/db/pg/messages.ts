import { and, asc, count, desc, eq, getTableColumns, gt, isNotNull, lte, max, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { ConversationRepository, FieldCipher } from '../../../domain/ports/index.js';
import type { HistoryMark } from '../shared/history-cache.js';
import { messageValues, sentValues, toMessage } from '../shared/mapping.js';
import { addedUsage, countedUsagePlaceholders, countedUsageValues } from '../shared/sql.js';
import { insertOutboxPg } from './events.js';
import { conversations, dailyUsage, messages, updateInbox } from './schema.js';

type Qb = Pick<PostgresJsDatabase, '$with' | 'with' | 'insert'>;

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

export function pgMessages(db: PostgresJsDatabase, cipher: FieldCipher): MessageMethods {
  const m = messages;
  /** The insert's placeholders; `n` tells the rows of one multi-row insert apart. */
  const placeholders = (n = '') => ({
    conversationId: sql.placeholder(`conversationId${n}`),
    role: sql.placeholder(`role${n}`),
    content: sql.placeholder(`content${n}`),
    tokensIn: sql.placeholder(`tokensIn${n}`),
    tokensOut: sql.placeholder(`tokensOut${n}`),
    model: sql.placeholder(`model${n}`),
    latencyMs: sql.placeholder(`latencyMs${n}`),
    telegramMessageId: sql.placeholder(`telegramMessageId${n}`),
    createdAt: sql.placeholder(`createdAt${n}`),
    sources: sql.placeholder(`sources${n}`),
  });
  const insert = db.insert(m).values(placeholders()).returning().prepare('message_insert');
  // Each turn: one statement (one round trip, atomic) inserts its messages (the question and its
  // answer, or one of them) and counts their usage. Every data-modifying CTE runs whether or not
  // the outer query reads it.
  // `qb`: the pool, or a transaction when outbox rows go with the turn.
  const insertCounted = (rows: number, name?: string, qb: Qb = db) => {
    const counted = qb.$with('counted').as(
      qb
        .insert(dailyUsage)
        .values(countedUsagePlaceholders)
        .onConflictDoUpdate({ target: [dailyUsage.userId, dailyUsage.day], set: addedUsage(dailyUsage) }),
    );
    const stored = qb.$with('stored').as(
      qb
        .insert(m)
        .values(Array.from({ length: rows }, (_, i) => placeholders(i === 0 ? '' : String(i))))
        .returning(),
    );
    const query = qb.with(stored, counted).select().from(stored).orderBy(asc(stored.id));
    return name === undefined ? query : query.prepare(name);
  };
  // The two shapes every answer takes (a question with its answer, or one turn) are prepared once.
  const insertCountedOne = insertCounted(1, 'message_insert_counted');
  const insertCountedTwo = insertCounted(2, 'message_insert_counted_pair');
  // The hot path of every reply: newest-first on the (conversation_id, id) index, then reversed.
  const lastN = db
    .select()
    .from(m)
    .where(eq(m.conversationId, sql.placeholder('conversationId')))
    .orderBy(desc(m.id))
    .limit(sql.placeholder('limit'))
    .prepare('message_last_n');
  const after = db
    .select()
    .from(m)
    .where(and(eq(m.conversationId, sql.placeholder('conversationId')), gt(m.id, sql.placeholder('afterId'))))
    .orderBy(asc(m.id))
    .limit(sql.placeholder('limit'))
    .prepare('message_after');
  const counter = db
    .select({ n: count() })
    .from(m)
    .where(eq(m.conversationId, sql.placeholder('conversationId')))
    .prepare('message_count');
  // The answer's Telegram messages are recorded in the same write (replies and edits find it by them).
  const deliveredSet = {
    deliveredAt: sql`${sql.placeholder('at')}`,
    telegramMessageId: sql`${sql.placeholder('first')}::integer`,
    sentMessageIds: sql`${sql.placeholder('sent')}::text`,
  };
  // A reply to the bot: the newest answer shown at or before that Telegram message, in the user's chat.
  const bySent = db
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
    .prepare('message_by_sent');
  // Each delivered answer.
  const delivered = db
    .update(m)
    // Placeholders skip the column's Date mapping: the caller passes the ISO string it would make.
    .set(deliveredSet)
    .where(eq(m.id, sql.placeholder('id')))
    .prepare('message_delivered');
  // Each answer: delivered, and its update done, in one statement.
  const deliveredCte = db.$with('delivered').as(
    db
      .update(m)
      .set(deliveredSet)
      .where(eq(m.id, sql.placeholder('id'))),
  );
  const deliveredAndDone = db
    .with(deliveredCte)
    .update(updateInbox)
    .set({ status: 'done', doneAt: sql`${sql.placeholder('at')}` })
    .where(eq(updateInbox.updateId, sql.placeholder('updateId')))
    .prepare('message_delivered_update_done');

  return {
    async appendMessage(message) {
      const [row] = await insert.execute(messageValues(message, cipher, new Date()));
      return toMessage(row as (typeof m)['$inferSelect'], cipher);
    },
    async appendCounted(turns, { userId, day, delta }, events) {
      const now = new Date();
      const params: Record<string, unknown> = countedUsageValues(userId, day, delta);
      turns.forEach((message, i) => {
        const suffix = i === 0 ? '' : String(i);
        for (const [key, value] of Object.entries(messageValues(message, cipher, now)))
          params[`${key}${suffix}`] = value;
      });
      const query =
        turns.length === 1
          ? insertCountedOne
          : turns.length === 2
            ? insertCountedTwo
            : insertCounted(turns.length);
      if (events === undefined) {
        const rows = (await query.execute(params)) as (typeof m)['$inferSelect'][];
        return rows.map((row) => toMessage(row, cipher));
      }
      // With events: the turn and its outbox rows in one transaction.
      return db.transaction(async (tx) => {
        const rows = (await insertCounted(turns.length, undefined, tx).execute(
          params,
        )) as (typeof m)['$inferSelect'][];
        const stored = rows.map((row) => toMessage(row, cipher));
        await insertOutboxPg(tx, events(stored), now);
        return stored;
      });
    },
    async getContext(conversationId, limit) {
      const rows = await lastN.execute({ conversationId, limit });
      return rows.reverse().map((row) => toMessage(row, cipher));
    },
    async messagesAfter(conversationId, afterId, limit) {
      const rows = await after.execute({ conversationId, afterId, limit });
      return rows.map((row) => toMessage(row, cipher));
    },
    async countMessages(conversationId) {
      const [row] = await counter.execute({ conversationId });
      return row?.n ?? 0;
    },
    async deleteMessage(id) {
      await db.delete(m).where(eq(m.id, id));
    },
    async markDelivered(id, at, doneUpdateId, sent) {
      const values = { id, at: at.toISOString(), ...sentValues(sent) };
      if (doneUpdateId === undefined) await delivered.execute(values);
      else await deliveredAndDone.execute({ ...values, updateId: doneUpdateId });
    },
    async findAnswerBySent(key, telegramMessageId) {
      const [row] = await bySent.execute({ userId: key.userId, chatId: key.chatId, telegramMessageId });
      const answer = row ? toMessage(row, cipher) : null;
      return answer?.sentMessageIds?.includes(telegramMessageId) ? answer : null;
    },
    async getMessage(id) {
      const [row] = await db.select().from(m).where(eq(m.id, id));
      return row ? toMessage(row, cipher) : null;
    },
  };
}

/** What the history cache asks before serving a kept history (see shared/history-cache.ts). */
export function pgHistoryMark(db: PostgresJsDatabase) {
  const m = messages;
  const query = db
    .select({ count: count(), lastId: max(m.id), delivered: count(m.deliveredAt) })
    .from(m)
    .where(and(eq(m.conversationId, sql.placeholder('conversationId')), gt(m.id, sql.placeholder('afterId'))))
    .prepare('message_history_mark');
  return async (conversationId: number, afterId: number): Promise<HistoryMark> => {
    const [row] = await query.execute({ conversationId, afterId });
    return row ?? { count: 0, lastId: null, delivered: 0 };
  };
}
