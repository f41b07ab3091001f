import { asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { ApiKey, AuditEntry } from '../../../domain/entities.js';
import type { ApiKeyRepository, AuditRepository } from '../../../domain/ports/index.js';
import { apiKeys, auditLog } from './schema.js';

export function pgApiKeys(db: PostgresJsDatabase): ApiKeyRepository {
  const k = apiKeys;
  return {
    async create({ name, hash, scopes, expiresAt = null, now = new Date() }) {
      const [row] = await db.insert(k).values({ name, hash, scopes, expiresAt, createdAt: now }).returning();
      return row as ApiKey;
    },
    async findByHash(hash) {
      const [row] = await db.select().from(k).where(eq(k.hash, hash));
      return row ?? null;
    },
    async list() {
      return db.select().from(k).orderBy(asc(k.id));
    },
    async revoke(id, now = new Date()) {
      const [row] = await db
        .update(k)
        .set({ revokedAt: sql`coalesce(${k.revokedAt}, ${now.toISOString()}::timestamptz)` })
        .where(eq(k.id, id))
        .returning();
      return row ?? null;
    },
    async touch(id, now = new Date()) {
      await db.update(k).set({ lastUsedAt: now }).where(eq(k.id, id));
    },
  };
}

export function pgAudit(db: PostgresJsDatabase): AuditRepository {
  return {
    async record({ at = new Date(), actor, action, target, address = null, details }) {
      const [row] = await db
        .insert(auditLog)
        .values({ at, actor, action, target, address, details })
        .returning();
      return row as AuditEntry;
    },
    async list({ limit = 100, beforeId } = {}) {
      return db
        .select()
        .from(auditLog)
        .where(beforeId === undefined ? undefined : lt(auditLog.id, beforeId))
        .orderBy(desc(auditLog.id))
        .limit(limit);
    },
  };
}
