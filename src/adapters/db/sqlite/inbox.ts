import { lazy } from '../shared/lazy.js';
import { and, asc, eq, lt, ne, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { FieldCipher, UpdateInboxRepository } from '../../../domain/ports/index.js';
import { toStoredUpdate } from '../shared/mapping.js';
import { updateInbox } from './schema.js';

/** Marks one update done (each handled update); also run inside messages.ts's markDelivered. */
export function inboxDone(db: BetterSQLite3Database) {
  const i = updateInbox;
  return lazy(() =>
    db
      .update(i)
      // Placeholders skip the column's Date mapping: the caller passes epoch ms.
      .set({ status: 'done', doneAt: sql`${sql.placeholder('atMs')}` })
      .where(eq(i.updateId, sql.placeholder('updateId')))
      .prepare(),
  );
}

export function sqliteInbox(db: BetterSQLite3Database, cipher: FieldCipher): UpdateInboxRepository {
  const i = updateInbox;
  const values = {
    updateId: sql.placeholder('updateId'),
    chatKey: sql.placeholder('chatKey'),
    fromId: sql.placeholder('fromId'),
    payload: sql.placeholder('payload'),
    receivedAt: sql.placeholder('receivedAt'),
  };
  const insert = lazy(() =>
    db
      .insert(i)
      .values({ ...values, status: 'pending' })
      .onConflictDoNothing()
      .prepare(),
  );
  // A rejected update is settled on arrival (done_at set), so it is pruned like a done one.
  const insertRejected = lazy(() =>
    db
      .insert(i)
      .values({
        ...values,
        status: 'rejected',
        reason: sql.placeholder('reason'),
        doneAt: sql.placeholder('receivedAt'),
      })
      .onConflictDoNothing()
      .prepare(),
  );
  const done = inboxDone(db);
  return {
    async record({ updateId, chatKey, fromId, payload, rejected }, now = new Date()) {
      // The primary key decides, so two processes recording one update get exactly one true.
      const row = { updateId, chatKey, fromId, payload: cipher.seal(payload), receivedAt: now };
      const result =
        rejected === undefined ? insert().run(row) : insertRejected().run({ ...row, reason: rejected });
      return result.changes === 1;
    },
    async markDone(updateId, now = new Date()) {
      done().run({ updateId, atMs: now.getTime() });
    },
    async pending(limit) {
      const rows = db
        .select()
        .from(i)
        .where(eq(i.status, 'pending'))
        .orderBy(asc(i.updateId))
        .limit(limit)
        .all();
      return rows.map((row) => toStoredUpdate(row, cipher));
    },
    async countPending() {
      const [row] = db
        .select({ n: sql<number>`count(*)` })
        .from(i)
        .where(eq(i.status, 'pending'))
        .all();
      return Number(row?.n ?? 0);
    },
    async setReplyMessage(updateId, messageId) {
      db.update(i).set({ replyMessageId: messageId }).where(eq(i.updateId, updateId)).run();
    },
    async replyMessage(updateId) {
      const row = db.select({ id: i.replyMessageId }).from(i).where(eq(i.updateId, updateId)).get();
      return row?.id ?? null;
    },
    async pruneDone(olderThan) {
      return db
        .delete(i)
        .where(and(ne(i.status, 'pending'), lt(i.doneAt, olderThan)))
        .run().changes;
    },
  };
}
