import { eq, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { FloodRepository } from '../../../domain/ports/index.js';
import { telegramFlood } from './schema.js';

export function pgFlood(db: PostgresJsDatabase): FloodRepository {
  const f = telegramFlood;
  return {
    async until(botId) {
      const [row] = await db.select({ until: f.until }).from(f).where(eq(f.botId, botId));
      return row?.until ?? null;
    },
    async extend(botId, until) {
      // One statement: two processes recording 429s at once keep the later end, whatever the order.
      await db
        .insert(f)
        .values({ botId, until })
        .onConflictDoUpdate({
          target: f.botId,
          set: { until: sql`greatest(${f.until}, excluded.${sql.identifier('until')})` },
        });
    },
  };
}
