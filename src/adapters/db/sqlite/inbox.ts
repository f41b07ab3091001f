import { lazy } from '../shared/lazy.js';
import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { NewStoredUpdate } from '../../../domain/entities.js';
import type { FieldCipher, UpdateInboxRepository } from '../../../domain/ports/index.js';
import type { SqliteClient } from './client.js';
import type { GroupCommit } from './group-commit.js';
import { toStoredUpdate } from '../shared/mapping.js';
import { liveOwners } from './guard.js';
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

/**
 * Notes an update admitted (UpdateInboxRepository.markAdmitted); also run inside usage.ts's
 * reservation, in its transaction. Prepared once: every admitted question runs it.
 */
export function inboxAdmitted(db: BetterSQLite3Database) {
  const i = updateInbox;
  return lazy(() =>
    db
      .update(i)
      .set({ admittedAt: sql`${sql.placeholder('atMs')}` })
      .where(eq(i.updateId, sql.placeholder('updateId')))
      .prepare(),
  );
}

export function sqliteInbox(
  db: BetterSQLite3Database,
  client: SqliteClient,
  cipher: FieldCipher,
  commit: GroupCommit,
): UpdateInboxRepository {
  const i = updateInbox;
  const admitted = inboxAdmitted(db);
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
      .values({
        ...values,
        status: 'pending',
        owner: sql.placeholder('owner'),
        // Wrapped: a bare placeholder maps through the column's Date mapping, which refuses null.
        leaseUntil: sql`${sql.placeholder('leaseUntil')}`,
      })
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
  const older = lazy(() =>
    db
      .select({ id: i.updateId })
      .from(i)
      .where(
        and(
          eq(i.chatKey, sql.placeholder('chatKey')),
          lt(i.updateId, sql.placeholder('updateId')),
          eq(i.status, 'pending'),
        ),
      )
      .orderBy(asc(i.updateId))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  /** The primary key decides, so two processes recording one update get exactly one true. */
  const recordOne = (
    { updateId, chatKey, fromId, payload, rejected, lease }: NewStoredUpdate,
    now: Date,
  ): boolean => {
    const row = { updateId, chatKey, fromId, payload: cipher.seal(payload), receivedAt: now };
    const result =
      rejected === undefined
        ? insert().run({ ...row, owner: lease?.owner ?? null, leaseUntil: lease?.until.getTime() ?? null })
        : insertRejected().run({ ...row, reason: rejected });
    return result.changes === 1;
  };
  // A batch in one transaction: one commit instead of one per update, and nothing stored if any fails.
  const recordAll = lazy(
    () =>
      client.transaction((updates: readonly NewStoredUpdate[], now: Date) =>
        updates.map((update) => recordOne(update, now)),
      ).immediate,
  );
  return {
    async record(update, now = new Date()) {
      return commit(() => recordOne(update, now));
    },
    async recordMany(updates, now = new Date()) {
      return updates.length === 0 ? [] : commit(() => recordAll()(updates, now));
    },
    async markDone(updateId, now = new Date()) {
      await commit(() => done().run({ updateId, atMs: now.getTime() }));
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
    async claimStale(owner, leaseUntil, limit, now = new Date()) {
      // One synchronous transaction: nothing else in the process runs between the pick and the lease.
      const live = JSON.stringify([...liveOwners]);
      return db.transaction((tx) => {
        const ids = tx
          .select({ id: i.updateId })
          .from(i)
          .where(
            and(
              eq(i.status, 'pending'),
              // Never its own: what an instance holds it is running, even past a lease it failed to renew.
              or(isNull(i.owner), ne(i.owner, owner)),
              or(
                isNull(i.owner),
                isNull(i.leaseUntil),
                lt(i.leaseUntil, now),
                sql`${i.owner} not in (select value from json_each(${live}))`,
              ),
            ),
          )
          .orderBy(asc(i.updateId))
          .limit(limit)
          .all()
          .map((row) => row.id);
        if (ids.length === 0) return [];
        return tx
          .update(i)
          .set({ owner, leaseUntil })
          .where(inArray(i.updateId, ids))
          .returning()
          .all()
          .sort((a, b) => a.updateId - b.updateId)
          .map((row) => toStoredUpdate(row, cipher));
      });
    },
    async renewLeases(owner, leaseUntil) {
      return db
        .update(i)
        .set({ leaseUntil })
        .where(and(eq(i.owner, owner), eq(i.status, 'pending')))
        .run().changes;
    },
    async olderPending(chatKey, updateId, limit) {
      return older()
        .all({ chatKey, updateId, limit })
        .map((row) => row.id);
    },
    async countPending() {
      const [row] = db
        .select({ n: sql<number>`count(*)` })
        .from(i)
        .where(eq(i.status, 'pending'))
        .all();
      return Number(row?.n ?? 0);
    },
    async markAdmitted(updateId, now = new Date()) {
      await commit(() => admitted().run({ updateId, atMs: now.getTime() }));
    },
    async wasAdmitted(updateId) {
      const row = db.select({ at: i.admittedAt }).from(i).where(eq(i.updateId, updateId)).get();
      return row?.at != null;
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
