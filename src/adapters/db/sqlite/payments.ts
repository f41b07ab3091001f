/** Telegram Stars payments on SQLite: each write and the premium it changes in one immediate transaction. */
import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { PaymentRepository } from '../../../domain/ports/index.js';
import { notFound, toUser, type UserRow } from '../shared/mapping.js';
import { paymentColumns, toPayment } from '../shared/payments.js';
import type { FieldCipher } from '../../../domain/ports/index.js';
import { payments, users } from './schema.js';

export function sqlitePayments(db: BetterSQLite3Database, cipher: FieldCipher): PaymentRepository {
  const columns = paymentColumns(payments, users);
  const select = () => db.select(columns).from(payments).innerJoin(users, eq(users.id, payments.userId));
  const byCharge = (chargeId: string) => select().where(eq(payments.telegramChargeId, chargeId)).get();

  return {
    async record(input, grant, now = new Date()) {
      return db.transaction(
        (tx) => {
          const user = tx.select().from(users).where(eq(users.id, input.userId)).get();
          if (user === undefined) notFound('User', input.userId);
          const current = toUser(user as UserRow, cipher);
          const change = grant(current);
          const inserted = tx
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
            .returning({ id: payments.id })
            .get();
          if (inserted === undefined) {
            // Telegram repeated the update: the first one granted it already.
            return { recorded: false, payment: toPayment(byCharge(input.chargeId)!), user: current };
          }
          const row = tx.update(users).set(change).where(eq(users.id, input.userId)).returning().get();
          return {
            recorded: true,
            payment: toPayment(byCharge(input.chargeId)!),
            user: toUser(row as UserRow, cipher),
          };
        },
        { behavior: 'immediate' },
      );
    },
    async get(chargeId) {
      const row = byCharge(chargeId);
      return row === undefined ? null : toPayment(row);
    },
    async list(filter = {}) {
      const rows = select()
        .where(filter.userId === undefined ? undefined : eq(payments.userId, filter.userId))
        .orderBy(desc(payments.id))
        .limit(filter.limit ?? -1)
        .all();
      return rows.map(toPayment);
    },
    async markRefunded(chargeId, revoke, now = new Date()) {
      return db.transaction(
        (tx) => {
          const found = byCharge(chargeId);
          if (found === undefined) return null;
          const payment = toPayment(found);
          const userRow = tx.select().from(users).where(eq(users.id, payment.userId)).get() as UserRow;
          const user = toUser(userRow, cipher);
          if (payment.refundedAt !== null) return { refunded: false, payment, user };
          tx.update(payments).set({ refundedAt: now }).where(eq(payments.id, payment.id)).run();
          const row = tx
            .update(users)
            .set(revoke(user, payment))
            .where(eq(users.id, user.id))
            .returning()
            .get();
          return {
            refunded: true,
            payment: { ...payment, refundedAt: now },
            user: toUser(row as UserRow, cipher),
          };
        },
        { behavior: 'immediate' },
      );
    },
    async totals(since, until, currency) {
      const row = db
        .select({
          payments: count(),
          amount: sql<number>`coalesce(sum(case when ${payments.refundedAt} is null then ${payments.amount} else 0 end), 0)`,
          refunded: count(payments.refundedAt),
        })
        .from(payments)
        .where(
          and(gte(payments.createdAt, since), lt(payments.createdAt, until), eq(payments.currency, currency)),
        )
        .get();
      return {
        payments: Number(row?.payments ?? 0),
        amount: Number(row?.amount ?? 0),
        refunded: Number(row?.refunded ?? 0),
      };
    },
  };
}
