import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { ConversationRepository, FieldCipher } from '../../../domain/ports/index.js';
import { messageValues, toMessage } from '../shared/mapping.js';
import { addedUsage, countedUsagePlaceholders, countedUsageValues } from '../shared/sql.js';
import { dailyUsage, messages, updateInbox } from './schema.js';

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
>;

export function pgMessages(db: PostgresJsDatabase, cipher: FieldCipher): MessageMethods {
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
  };
  const insert = db.insert(m).values(placeholders).returning().prepare('message_insert');
  // Each turn: one statement (one round trip, atomic) inserts the message and counts its usage.
  // Every data-modifying CTE runs whether or not the outer query reads it.
  const stored = db.$with('stored').as(db.insert(m).values(placeholders).returning());
  const counted = db.$with('counted').as(
    db
      .insert(dailyUsage)
      .values(countedUsagePlaceholders)
      .onConflictDoUpdate({ target: [dailyUsage.userId, dailyUsage.day], set: addedUsage(dailyUsage) }),
  );
  const insertCounted = db.with(stored, counted).select().from(stored).prepare('message_insert_counted');
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
  // Each delivered answer.
  const delivered = db
    .update(m)
    // Placeholders skip the column's Date mapping: the caller passes the ISO string it would make.
    .set({ deliveredAt: sql`${sql.placeholder('at')}` })
    .where(eq(m.id, sql.placeholder('id')))
    .prepare('message_delivered');
  // Each answer: delivered, and its update done, in one statement.
  const deliveredCte = db.$with('delivered').as(
    db
      .update(m)
      .set({ deliveredAt: sql`${sql.placeholder('at')}` })
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
    async appendCounted(message, { userId, day, delta }) {
      const [row] = await insertCounted.execute({
        ...messageValues(message, cipher, new Date()),
        ...countedUsageValues(userId, day, delta),
      });
      return toMessage(row as (typeof m)['$inferSelect'], cipher);
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
    async markDelivered(id, at, doneUpdateId) {
      if (doneUpdateId === undefined) await delivered.execute({ id, at: at.toISOString() });
      else await deliveredAndDone.execute({ id, updateId: doneUpdateId, at: at.toISOString() });
    },
    async getMessage(id) {
      const [row] = await db.select().from(m).where(eq(m.id, id));
      return row ? toMessage(row, cipher) : null;
    },
  };
}
