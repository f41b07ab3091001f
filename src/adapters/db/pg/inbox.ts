import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { FieldCipher, UpdateInboxRepository } from '../../../domain/ports.js';
import { toStoredUpdate } from '../shared/mapping.js';
import { updateInbox } from './schema.js';

export function pgInbox(db: PostgresJsDatabase, cipher: FieldCipher): UpdateInboxRepository {
  const i = updateInbox;
  const insert = db
    .insert(i)
    .values({
      updateId: sql.placeholder('updateId'),
      chatKey: sql.placeholder('chatKey'),
      fromId: sql.placeholder('fromId'),
      payload: sql.placeholder('payload'),
      status: 'pending',
      receivedAt: sql.placeholder('receivedAt'),
    })
    .onConflictDoNothing()
    .returning({ updateId: i.updateId })
    .prepare('inbox_record');
  return {
    async record({ updateId, chatKey, fromId, payload }, now = new Date()) {
      // ON CONFLICT DO NOTHING on the primary key: of N concurrent writers exactly one gets a row back.
      const rows = await insert.execute({
        updateId,
        chatKey,
        fromId,
        payload: cipher.seal(payload),
        receivedAt: now,
      });
      return rows.length === 1;
    },
    async markDone(updateId, now = new Date()) {
      await db.update(i).set({ status: 'done', doneAt: now }).where(eq(i.updateId, updateId));
    },
    async pending(limit) {
      const rows = await db
        .select()
        .from(i)
        .where(eq(i.status, 'pending'))
        .orderBy(asc(i.updateId))
        .limit(limit);
      return rows.map((row) => toStoredUpdate(row, cipher));
    },
    async setReplyMessage(updateId, messageId) {
      await db.update(i).set({ replyMessageId: messageId }).where(eq(i.updateId, updateId));
    },
    async replyMessage(updateId) {
      const [row] = await db.select({ id: i.replyMessageId }).from(i).where(eq(i.updateId, updateId));
      return row?.id ?? null;
    },
    async pruneDone(olderThan) {
      const rows = await db
        .delete(i)
        .where(and(eq(i.status, 'done'), lt(i.doneAt, olderThan)))
        .returning({ updateId: i.updateId });
      return rows.length;
    },
  };
}
