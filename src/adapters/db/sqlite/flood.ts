import { eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { FloodRepository } from '../../../domain/ports/index.js';
import { telegramFlood } from './schema.js';

export function sqliteFlood(db: BetterSQLite3Database): FloodRepository {
  const f = telegramFlood;
  return {
    async until(botId) {
      const row = db.select({ until: f.until }).from(f).where(eq(f.botId, botId)).get();
      return row?.until ?? null;
    },
    async extend(botId, until) {
      // One statement: two processes recording 429s at once keep the later end, whatever the order.
      db.insert(f)
        .values({ botId, until })
        .onConflictDoUpdate({
          target: f.botId,
          set: { until: sql`max(${f.until}, excluded.${sql.identifier('until')})` },
        })
        .run();
    },
  };
}
