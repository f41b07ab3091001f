import { and, asc, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
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
import type { GroupCommit } from './group-commit.js';
import { inboxAdmitted } from './inbox.js';
import { dailyUsage } from './schema.js';

/**
 * Every answer counts usage, so the upsert is built once. One upsert: concurrent increments add
 * up instead of overwriting each other.
 */
function usageIncrement(db: BetterSQLite3Database) {
  const u = dailyUsage;
  return db
    .insert(u)
    .values(usageDeltaPlaceholders)
    .onConflictDoUpdate({ target: [u.userId, u.day], set: addedUsage(u) });
}

/**
 * The increment alone, for messages.ts's appendCounted, which reads nothing back: without RETURNING
 * SQLite builds no row for nobody (it still did for a statement that was only run).
 */
export const usageAdd = (db: BetterSQLite3Database) => lazy(() => usageIncrement(db).prepare());

export function sqliteUsage(db: BetterSQLite3Database, commit: GroupCommit): UsageRepository {
  const u = dailyUsage;
  // The increment, returning the row as it is after it.
  const upsert = lazy(() => usageIncrement(db).returning().prepare());
  const noteAdmitted = inboxAdmitted(db);
  // Every question is reserved (domain/quota.ts): the same upsert, adding only within the caps.
  const reserve = lazy(() =>
    db
      .insert(u)
      .values(usageDeltaPlaceholders)
      .onConflictDoUpdate({ target: [u.userId, u.day], set: addedUsage(u), setWhere: withinCaps(u) })
      .returning()
      .prepare(),
  );
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
    async reserve(userId, day, delta, caps, admitted) {
      if (!fitsEmptyDay(delta, caps)) return null;
      const values = { ...usageDeltaValues(userId, day, delta), ...usageCapValues(caps) };
      return (
        (await commit(() => {
          const row = reserve().get(values);
          if (row && admitted)
            noteAdmitted().run({ updateId: admitted.updateId, atMs: admitted.at.getTime() });
          return row;
        })) ?? null
      );
    },
    async release(userId, day, delta) {
      db.update(u)
        .set(releasedUsage(u, delta))
        .where(and(eq(u.userId, userId), eq(u.day, day)))
        .run();
    },
    async get(userId, day) {
      return today().get({ userId, day }) ?? zeroUsage(userId, day);
    },
    async listByUser(userId) {
      return db.select().from(u).where(eq(u.userId, userId)).orderBy(asc(u.day)).all();
    },
  };
}
