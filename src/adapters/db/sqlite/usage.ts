import { and, asc, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { UsageRepository } from '../../../domain/ports/index.js';
import { zeroUsage } from '../shared/mapping.js';
import { lazy } from '../shared/lazy.js';
import { addedUsage, usageDeltaPlaceholders, usageDeltaValues } from '../shared/sql.js';
import { dailyUsage } from './schema.js';

/**
 * Every answer counts usage, so the upsert is built once. One upsert: concurrent increments add
 * up instead of overwriting each other. Also run inside messages.ts's appendCounted.
 */
export function usageUpsert(db: BetterSQLite3Database) {
  const u = dailyUsage;
  return lazy(() =>
    db
      .insert(u)
      .values(usageDeltaPlaceholders)
      .onConflictDoUpdate({ target: [u.userId, u.day], set: addedUsage(u) })
      .returning()
      .prepare(),
  );
}

export function sqliteUsage(db: BetterSQLite3Database): UsageRepository {
  const u = dailyUsage;
  const upsert = usageUpsert(db);
  // Read by every quota check (each message).
  const today = lazy(() =>
    db
      .select()
      .from(u)
      .where(and(eq(u.userId, sql.placeholder('userId')), eq(u.day, sql.placeholder('day'))))
      .prepare(),
  );
  return {
    async increment(userId, day, delta) {
      return upsert().get(usageDeltaValues(userId, day, delta))!;
    },
    async get(userId, day) {
      return today().get({ userId, day }) ?? zeroUsage(userId, day);
    },
    async listByUser(userId) {
      return db.select().from(u).where(eq(u.userId, userId)).orderBy(asc(u.day)).all();
    },
  };
}
