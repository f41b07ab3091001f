import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { NewStoredUpdate } from '../../../domain/entities.js';
import type { FieldCipher, UpdateInboxRepository } from '../../../domain/ports/index.js';
import { toStoredUpdate } from '../shared/mapping.js';
import { INSTANCE_APPLICATION } from './guard.js';
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
    .values({
      ...values,
      status: 'pending',
      owner: sql.placeholder('owner'),
      // Wrapped: a bare placeholder maps through the column's Date mapping, which refuses null.
      leaseUntil: sql`${sql.placeholder('leaseUntil')}`,
    })
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
  // Each update before it runs (several instances): which older ones of its chat are still pending?
  const older = db
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
    .prepare('inbox_older_pending');
  /** Owners whose instance's claim connection is open (guard.ts names it after them). */
  const liveOwners = sql`(select substr(application_name, ${INSTANCE_APPLICATION.length + 1}) from pg_stat_activity where application_name like ${`${INSTANCE_APPLICATION}%`})`;
  // ON CONFLICT DO NOTHING on the primary key: of N concurrent writers exactly one gets a row back.
  async function recordOne(
    { updateId, chatKey, fromId, payload, rejected, lease }: NewStoredUpdate,
    now = new Date(),
  ): Promise<boolean> {
    const row = { updateId, chatKey, fromId, payload: cipher.seal(payload), receivedAt: now };
    const rows =
      rejected === undefined
        ? await insert.execute({
            ...row,
            owner: lease?.owner ?? null,
            leaseUntil: lease?.until.toISOString() ?? null,
          })
        : await insertRejected.execute({ ...row, reason: rejected });
    return rows.length === 1;
  }
  return {
    record: recordOne,
    async recordMany(updates, now = new Date()) {
      // One row: the prepared statement (the serial path's latency).
      if (updates.length <= 1) return Promise.all(updates.map((update) => recordOne(update, now)));
      // One multi-row statement, one round trip: all rows or none. A key repeated in the batch
      // conflicts with its first row, so it comes back once.
      const rows = updates.map(({ updateId, chatKey, fromId, payload, rejected, lease }) => ({
        updateId,
        chatKey,
        fromId,
        payload: cipher.seal(payload),
        receivedAt: now,
        ...(rejected === undefined
          ? { status: 'pending' as const, owner: lease?.owner ?? null, leaseUntil: lease?.until ?? null }
          : { status: 'rejected' as const, reason: rejected, doneAt: now }),
      }));
      const stored = await db
        .insert(i)
        .values(rows)
        .onConflictDoNothing()
        .returning({ updateId: i.updateId });
      return firstOfEach(updates, new Set(stored.map((row) => row.updateId)));
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
    async claimStale(owner, leaseUntil, limit, now = new Date()) {
      // SKIP LOCKED: concurrent claimers split the stale rows instead of waiting on each other;
      // a row another claimer just leased fails the re-check of the WHERE and is left alone.
      const stale = db
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
              sql`${i.owner} not in ${liveOwners}`,
            ),
          ),
        )
        .orderBy(asc(i.updateId))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(i)
        .set({ owner, leaseUntil })
        .where(inArray(i.updateId, stale))
        .returning();
      return rows.sort((a, b) => a.updateId - b.updateId).map((row) => toStoredUpdate(row, cipher));
    },
    async renewLeases(owner, leaseUntil) {
      const rows = await db
        .update(i)
        .set({ leaseUntil })
        .where(and(eq(i.owner, owner), eq(i.status, 'pending')))
        .returning({ updateId: i.updateId });
      return rows.length;
    },
    async olderPending(chatKey, updateId, limit) {
      return (await older.execute({ chatKey, updateId, limit })).map((row) => row.id);
    },
    async countPending() {
      const [row] = await db
        .select({ n: sql<number>`count(*)` })
        .from(i)
        .where(eq(i.status, 'pending'));
      return Number(row?.n ?? 0);
    },
    async markAdmitted(updateId, now = new Date()) {
      await db.update(i).set({ admittedAt: now }).where(eq(i.updateId, updateId));
    },
    async wasAdmitted(updateId) {
      const [row] = await db.select({ at: i.admittedAt }).from(i).where(eq(i.updateId, updateId));
      return row?.at != null;
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

/** One result per update, in order: stored now, and not an update_id seen earlier in the batch. */
export function firstOfEach(
  updates: readonly { updateId: number }[],
  stored: ReadonlySet<number>,
): boolean[] {
  const seen = new Set<number>();
  return updates.map(({ updateId }) => {
    const fresh = stored.has(updateId) && !seen.has(updateId);
    seen.add(updateId);
    return fresh;
  });
}
