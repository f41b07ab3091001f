import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Broadcast } from '../../../domain/entities.js';
import type { BroadcastRepository } from '../../../domain/ports/index.js';
import { chunks, deliveryCounts } from '../shared/mapping.js';
import { attemptsAfter, broadcastStatusChange, recipientFields } from '../shared/sql.js';
import { broadcasts, deliveries, users } from './schema.js';

export function pgBroadcasts(db: PostgresJsDatabase): BroadcastRepository {
  const b = broadcasts;
  const d = deliveries;
  const delivery = {
    broadcastId: d.broadcastId,
    userId: d.userId,
    telegramId: users.telegramId,
    status: d.status,
    attempts: d.attempts,
    error: d.error,
    sentAt: d.sentAt,
  };
  return {
    async create(input) {
      const { now = new Date(), ...fields } = input;
      const [row] = await db
        .insert(b)
        .values({ ...fields, status: 'pending', createdAt: now })
        .returning();
      return row as Broadcast;
    },
    async get(id) {
      const [row] = await db.select().from(b).where(eq(b.id, id));
      return row ?? null;
    },
    async list() {
      return db.select().from(b).orderBy(desc(b.createdAt), desc(b.id));
    },
    async setStatus(id, status, now = new Date()) {
      await db
        .update(b)
        .set(broadcastStatusChange(b, status, now))
        .where(eq(b.id, id));
    },
    async enqueueRecipients(broadcastId, userIds) {
      // INSERT ... SELECT FROM users: ids of users deleted meanwhile are skipped, not an FK error.
      return db.transaction(async (tx) => {
        let added = 0;
        for (const part of chunks([...new Set(userIds)], 1000)) {
          const rows = await tx
            .insert(d)
            .select(
              tx.select(recipientFields(users.id, broadcastId)).from(users).where(inArray(users.id, part)),
            )
            .onConflictDoNothing()
            .returning({ userId: d.userId });
          added += rows.length;
        }
        return added;
      });
    },
    async pendingDeliveries(broadcastId, limit) {
      return db
        .select(delivery)
        .from(d)
        .innerJoin(users, eq(users.id, d.userId))
        .where(and(eq(d.broadcastId, broadcastId), inArray(d.status, ['pending', 'sending'])))
        .orderBy(asc(d.userId))
        .limit(limit);
    },
    async markDelivery(broadcastId, userId, status, detail = {}) {
      await db
        .update(d)
        .set({
          status,
          attempts: attemptsAfter(d, status),
          error: detail.error ?? null,
          ...(status === 'sent' ? { sentAt: detail.now ?? new Date() } : {}),
        })
        .where(and(eq(d.broadcastId, broadcastId), eq(d.userId, userId)));
    },
    async deliveryCounts(broadcastId) {
      const rows = await db
        .select({ status: d.status, n: count() })
        .from(d)
        .where(eq(d.broadcastId, broadcastId))
        .groupBy(d.status);
      return deliveryCounts(rows);
    },
    async deliveriesToUser(userId) {
      return db
        .select(delivery)
        .from(d)
        .innerJoin(users, eq(users.id, d.userId))
        .innerJoin(b, eq(b.id, d.broadcastId))
        .where(eq(d.userId, userId))
        .orderBy(asc(b.createdAt), asc(b.id));
    },
  };
}
