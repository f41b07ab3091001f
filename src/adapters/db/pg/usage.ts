import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DailyUsage } from '../../../domain/entities.js';
import type { UsageRepository } from '../../../domain/ports/index.js';
import { zeroUsage } from '../shared/mapping.js';
import { lazy } from '../shared/lazy.js';
import {
  addedUsage,
  releasedUsage,
  usageCapValues,
  usageDeltaPlaceholders,
  usageDeltaValues,
  withinCaps,
} from '../shared/sql.js';
import { fitsEmptyDay } from '../../../domain/quota.js';
import { dailyUsage, updateInbox } from './schema.js';

export function pgUsage(db: PostgresJsDatabase): UsageRepository {
  const u = dailyUsage;
  // Every answer counts usage, so the upsert is built once. One upsert: concurrent
  // increments add up instead of overwriting each other.
  const upsert = lazy(() =>
    db
      .insert(u)
      .values(usageDeltaPlaceholders)
      .onConflictDoUpdate({
        target: [u.userId, u.day],
        set: addedUsage(u),
      })
      .returning()
      .prepare('usage_increment'),
  );
  // Every question is reserved (domain/quota.ts): the same upsert, adding only within the caps.
  // The conflict's row lock makes concurrent reservations take turns on the latest totals.
  const reserveOn = (target: Pick<PostgresJsDatabase, 'insert'>) =>
    target
      .insert(u)
      .values(usageDeltaPlaceholders)
      .onConflictDoUpdate({ target: [u.userId, u.day], set: addedUsage(u), setWhere: withinCaps(u) })
      .returning();
  const reserve = lazy(() => reserveOn(db).prepare('usage_reserve'));
  // The same reservation noting its update admitted, in one statement (one round trip, atomic): the
  // inbox row is updated only when the reservation returned a row, i.e. when it fit.
  const reserveAdmitted = lazy(() => {
    const reserved = db.$with('reserved', getTableColumns(u)).as(reserveOn(db).getSQL());
    const noted = db.$with('noted', {}).as(
      sql`update ${updateInbox} set ${sql.identifier(updateInbox.admittedAt.name)} = ${sql.placeholder('admittedAt')}::timestamptz
        where ${updateInbox.updateId} = ${sql.placeholder('admittedUpdateId')} and exists (select 1 from ${reserved})`,
    );
    return db.with(reserved, noted).select().from(reserved).prepare('usage_reserve_admitted');
  });
  // Read by every quota check (each message).
  const today = lazy(() =>
    db
      .select()
      .from(u)
      .where(and(eq(u.userId, sql.placeholder('userId')), eq(u.day, sql.placeholder('day'))))
      .prepare('usage_today'),
  );
  return {
    async increment(userId, day, delta) {
      const [row] = await upsert().execute(usageDeltaValues(userId, day, delta));
      return row as DailyUsage;
    },
    async reserve(userId, day, delta, caps, admitted) {
      if (!fitsEmptyDay(delta, caps)) return null;
      const values = { ...usageDeltaValues(userId, day, delta), ...usageCapValues(caps) };
      if (!admitted) {
        const [row] = await reserve().execute(values);
        return (row as DailyUsage | undefined) ?? null;
      }
      const [row] = await reserveAdmitted().execute({
        ...values,
        admittedUpdateId: admitted.updateId,
        admittedAt: admitted.at.toISOString(),
      });
      return (row as DailyUsage | undefined) ?? null;
    },
    async release(userId, day, delta) {
      await db
        .update(u)
        .set(releasedUsage(u, delta))
        .where(and(eq(u.userId, userId), eq(u.day, day)));
    },
    async get(userId, day) {
      const [row] = await today().execute({ userId, day });
      return row ?? zeroUsage(userId, day);
    },
    async listByUser(userId) {
      return db.select().from(u).where(eq(u.userId, userId)).orderBy(asc(u.day));
    },
  };
}
