import { and, asc, eq, lt, ne, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { FieldCipher, UpdateInboxRepository } from '../../../domain/ports/index.js';
import { toStoredUpdate } from '../shared/mapping.js';
import { updateInbox } from './schema.js';

export function pgInbox(db: PostgresJsDatabase, cipher: FieldCipher): UpdateInboxRepository {
  const i = updateInbox;
  const values = {
    updateId: sql.placeholder('updateId'),
    chatKey: sql.placeholder('chatKey'),
    fromId: sql.placeholder('fromId'),
    payload: sql.placeholder('payload'),
    receivedAt: sql.placeholder('receivedAt'),
  };
  const insert = db
    .insert(i)
    .values({ ...values, status: 'pending' })
    .onConflictDoNothing()
    .returning({ updateId: i.updateId })
    .prepare('inbox_record');
  // A rejected update is settled on arrival (done_at set), so it is pruned like a done one.
  const insertRejected = db
    .insert(i)
    .values({
      ...values,
      status: 'rejected',
      reason: sql.placeholder('reason'),
      doneAt: sql.placeholder('receivedAt'),
    })
    .onConflictDoNothing()
    .returning({ updateId: i.updateId })
    .prepare('inbox_record_rejected');
  // Each handled update.
  const done = db
    .update(i)
    // Placeholders skip the column's Date mapping: the caller passes the ISO string it would make.
    .set({ status: 'done', doneAt: sql`${sql.placeholder('at')}` })
    .where(eq(i.updateId, sql.placeholder('updateId')))
    .prepare('inbox_done');
  return {
    async record({ updateId, chatKey, fromId, payload, rejected }, now = new Date()) {
      // ON CONFLICT DO NOTHING on the primary key: of N concurrent writers exactly one gets a row back.
      const row = { updateId, chatKey, fromId, payload: cipher.seal(payload), receivedAt: now };
      const rows =
        rejected === undefined
          ? await insert.execute(row)
          : await insertRejected.execute({ ...row, reason: rejected });
      return rows.length === 1;
    },
    async markDone(updateId, now = new Date()) {
      await done.execute({ updateId, at: now.toISOString() });
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
    async countPending() {
      const [row] = await db
        .select({ n: sql<number>`count(*)` })
        .from(i)
        .where(eq(i.status, 'pending'));
      return Number(row?.n ?? 0);
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
        .where(and(ne(i.status, 'pending'), lt(i.doneAt, olderThan)))
        .returning({ updateId: i.updateId });
      return rows.length;
    },
  };
}
