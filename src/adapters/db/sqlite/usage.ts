import { and, asc, eq } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { UsageRepository } from '../../../domain/ports.js';
import { zeroUsage } from '../shared/mapping.js';
import { plusExcluded } from '../shared/sql.js';
import { dailyUsage } from './schema.js';

export function sqliteUsage(db: BetterSQLite3Database): UsageRepository {
  const u = dailyUsage;
  return {
    async increment(userId, day, delta) {
      // One upsert: concurrent increments add up instead of overwriting each other.
      return db
        .insert(u)
        .values({
          userId,
          day,
          messages: delta.messages ?? 0,
          tokensIn: delta.tokensIn ?? 0,
          tokensOut: delta.tokensOut ?? 0,
          audioSeconds: delta.audioSeconds ?? 0,
          images: delta.images ?? 0,
        })
        .onConflictDoUpdate({
          target: [u.userId, u.day],
          set: {
            messages: plusExcluded(u.messages),
            tokensIn: plusExcluded(u.tokensIn),
            tokensOut: plusExcluded(u.tokensOut),
            audioSeconds: plusExcluded(u.audioSeconds),
            images: plusExcluded(u.images),
          },
        })
        .returning()
        .get();
    },
    async get(userId, day) {
      const row = db
        .select()
        .from(u)
        .where(and(eq(u.userId, userId), eq(u.day, day)))
        .get();
      return row ?? zeroUsage(userId, day);
    },
    async listByUser(userId) {
      return db.select().from(u).where(eq(u.userId, userId)).orderBy(asc(u.day)).all();
    },
  };
}
