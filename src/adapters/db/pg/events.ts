import { and, asc, count, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { NewOutboxEvent } from '../../../domain/events.js';
import type { OutboxRepository } from '../../../domain/ports/index.js';
import { emptyCounts, outboxValues, toOutboxEvent } from '../shared/outbox.js';
import { eventOutbox } from './schema.js';

type Db = Pick<PostgresJsDatabase, 'insert'>;

/** Writes outbox rows with `db` (a transaction's handle when they go with a change). */
export async function insertOutboxPg(
  db: Db,
  rows: readonly NewOutboxEvent[],
  now = new Date(),
): Promise<void> {
  if (rows.length > 0) await db.insert(eventOutbox).values(outboxValues(rows, now));
}

export function pgOutbox(db: PostgresJsDatabase): OutboxRepository {
  const o = eventOutbox;
  return {
    async enqueue(rows, now = new Date()) {
      await insertOutboxPg(db, rows, now);
    },
    async claimNext(endpoint, now, leaseUntil) {
      // The head of the endpoint's line only: a later row waits for it (per-endpoint order).
      const head = db
        .select({ id: o.id })
        .from(o)
        .where(and(eq(o.endpoint, endpoint), eq(o.status, 'pending')))
        .orderBy(asc(o.id))
        .limit(1);
      const [row] = await db
        .update(o)
        .set({ claimedUntil: leaseUntil })
        .where(
          and(
            inArray(o.id, head),
            // Checked again on the row itself: PostgreSQL re-reads only the row (not the head
            // subquery) when another worker changed it meanwhile, e.g. delivered and released it.
            eq(o.status, 'pending'),
            lte(o.nextAttemptAt, now),
            or(isNull(o.claimedUntil), lte(o.claimedUntil, now)),
          ),
        )
        .returning();
      return row === undefined ? null : toOutboxEvent(row);
    },
    async markDelivered(id, now = new Date()) {
      await db
        .update(o)
        .set({ status: 'delivered', deliveredAt: now, claimedUntil: null, lastError: null })
        .where(and(eq(o.id, id), eq(o.status, 'pending')));
    },
    async markFailed(id, { error, retryAt }) {
      await db
        .update(o)
        .set({
          attempts: sql`${o.attempts} + 1`,
          lastError: error.slice(0, 200),
          claimedUntil: null,
          ...(retryAt === null ? { status: 'dead' as const } : { nextAttemptAt: retryAt }),
        })
        .where(and(eq(o.id, id), eq(o.status, 'pending')));
    },
    async get(id) {
      const [row] = await db.select().from(o).where(eq(o.id, id));
      return row === undefined ? null : toOutboxEvent(row);
    },
    async list(filter = {}) {
      const rows = await db
        .select()
        .from(o)
        .where(
          and(
            filter.status === undefined ? undefined : eq(o.status, filter.status),
            filter.beforeId === undefined ? undefined : lt(o.id, filter.beforeId),
          ),
        )
        .orderBy(desc(o.id))
        .limit(filter.limit ?? 100);
      return rows.map(toOutboxEvent);
    },
    async retry(which, now = new Date()) {
      if (which !== 'dead' && which.length === 0) return 0;
      const result = await db
        .update(o)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedUntil: null })
        .where(and(eq(o.status, 'dead'), which === 'dead' ? undefined : inArray(o.id, [...which])));
      return result.count;
    },
    async pruneDelivered(olderThan) {
      const result = await db.delete(o).where(and(eq(o.status, 'delivered'), lt(o.deliveredAt, olderThan)));
      return result.count;
    },
    async counts() {
      const rows = await db.select({ status: o.status, n: count() }).from(o).groupBy(o.status);
      const counts = emptyCounts();
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
  };
}
