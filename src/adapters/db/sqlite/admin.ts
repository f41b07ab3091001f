import { asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { ApiKeyRepository, AuditRepository } from '../../../domain/ports/index.js';
import { apiKeys, auditLog } from './schema.js';

export function sqliteApiKeys(db: BetterSQLite3Database): ApiKeyRepository {
  const k = apiKeys;
  return {
    async create({ name, hash, scopes, expiresAt = null, now = new Date() }) {
      return db.insert(k).values({ name, hash, scopes, expiresAt, createdAt: now }).returning().get();
    },
    async findByHash(hash) {
      return db.select().from(k).where(eq(k.hash, hash)).get() ?? null;
    },
    async list() {
      return db.select().from(k).orderBy(asc(k.id)).all();
    },
    async revoke(id, now = new Date()) {
      const row = db
        .update(k)
        .set({ revokedAt: sql`coalesce(${k.revokedAt}, ${now.getTime()})` })
        .where(eq(k.id, id))
        .returning()
        .get();
      return row ?? null;
    },
    async touch(id, now = new Date()) {
      db.update(k).set({ lastUsedAt: now }).where(eq(k.id, id)).run();
    },
  };
}

export function sqliteAudit(db: BetterSQLite3Database): AuditRepository {
  return {
    async record({ at = new Date(), actor, action, target, address = null, details }) {
      return db.insert(auditLog).values({ at, actor, action, target, address, details }).returning().get();
    },
    async list({ limit = 100, beforeId } = {}) {
      return db
        .select()
        .from(auditLog)
        .where(beforeId === undefined ? undefined : lt(auditLog.id, beforeId))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all();
    },
  };
}
