/** Telegram Stars payments on PostgreSQL: each write and the premium it changes in one transaction, the user row locked. */
import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { FieldCipher, PaymentRepository } from '../../../domain/ports/index.js';
import { notFound, toUser, type UserRow } from '../shared/mapping.js';
import { paymentColumns, toPayment } from '../shared/payments.js';
import { payments, users } from './schema.js';

type Tx = Pick<PostgresJsDatabase, 'select'>;

export function pgPayments(db: PostgresJsDatabase, cipher: FieldCipher): PaymentRepository {
  const columns = paymentColumns(payments, users);
  const byCharge = async (q: Tx, chargeId: string) => {
    const [row] = await q
      .select(columns)
      .from(payments)
      .innerJoin(users, eq(users.id, payments.userId))
      .where(eq(payments.telegramChargeId, chargeId));
    return row === undefined ? null : toPayment(row);
  };
  const lockedUser = async (q: Tx, id: number) => {
    const [row] = await q.select().from(users).where(eq(users.id, id)).for('update');
    return row === undefined ? notFound('User', id) : toUser(row as UserRow, cipher);
  };

  return {
    async record(input, grant, now = new Date()) {
      return db.transaction(async (tx) => {
        // The user's row lock orders two deliveries of one payment: the second sees the first's row.
        const current = await lockedUser(tx, input.userId);
        const change = grant(current);
        const [inserted] = await tx
          .insert(payments)
          .values({
            telegramChargeId: input.chargeId,
            userId: input.userId,
            amount: input.amount,
            currency: input.currency,
            payload: input.payload,
            periodDays: input.periodDays,
            premiumUntil: change.premiumUntil ?? now,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: payments.id });
        if (inserted === undefined) {
          // Telegram repeated the update: the first one granted it already.
          return { recorded: false, payment: (await byCharge(tx, input.chargeId))!, user: current };
        }
        const [row] = await tx.update(users).set(change).where(eq(users.id, input.userId)).returning();
        return {
          recorded: true,
          payment: (await byCharge(tx, input.chargeId))!,
          user: toUser(row as UserRow, cipher),
        };
      });
    },
    get: (chargeId) => byCharge(db, chargeId),
    async list(filter = {}) {
      const query = db
        .select(columns)
        .from(payments)
        .innerJoin(users, eq(users.id, payments.userId))
        .where(filter.userId === undefined ? undefined : eq(payments.userId, filter.userId))
        .orderBy(desc(payments.id))
        .$dynamic();
      if (filter.limit !== undefined) query.limit(filter.limit);
      return (await query).map(toPayment);
    },
    async markRefunded(chargeId, revoke, now = new Date()) {
      return db.transaction(async (tx) => {
        const found = await byCharge(tx, chargeId);
        if (found === null) return null;
        const user = await lockedUser(tx, found.userId);
        // Read again under the lock: a concurrent refund of the same charge has committed by now.
        const payment = (await byCharge(tx, chargeId))!;
        if (payment.refundedAt !== null) return { refunded: false, payment, user };
        await tx.update(payments).set({ refundedAt: now }).where(eq(payments.id, payment.id));
        const [row] = await tx
          .update(users)
          .set(revoke(user, payment))
          .where(eq(users.id, user.id))
          .returning();
        return {
          refunded: true,
          payment: { ...payment, refundedAt: now },
          user: toUser(row as UserRow, cipher),
        };
      });
    },
    async totals(since, until, currency) {
      const [row] = await db
        .select({
          payments: count(),
          amount: sql<string>`coalesce(sum(case when ${payments.refundedAt} is null then ${payments.amount} else 0 end), 0)`,
          refunded: count(payments.refundedAt),
        })
        .from(payments)
        .where(
          and(gte(payments.createdAt, since), lt(payments.createdAt, until), eq(payments.currency, currency)),
        );
      return {
        payments: Number(row?.payments ?? 0),
        amount: Number(row?.amount ?? 0),
        refunded: Number(row?.refunded ?? 0),
      };
    },
  };
}
