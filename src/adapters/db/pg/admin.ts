import { asc, desc, eq } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { ApiKey, AuditEntry } from '../../../domain/entities.js';
import type { ApiKeyRepository, AuditRepository } from '../../../domain/ports/index.js';
import { apiKeys, auditLog } from './schema.js';

export function pgApiKeys(db: PostgresJsDatabase): ApiKeyRepository {
  const k = apiKeys;
  return {
    async create({ name, hash, scopes, now = new Date() }) {
      const [row] = await db.insert(k).values({ name, hash, scopes, createdAt: now }).returning();
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
      await db.update(k).set({ revokedAt: now }).where(eq(k.id, id));
    },
    async touch(id, now = new Date()) {
      await db.update(k).set({ lastUsedAt: now }).where(eq(k.id, id));
    },
  };
}

export function pgAudit(db: PostgresJsDatabase): AuditRepository {
  return {
    async record({ at = new Date(), actor, action, target, details }) {
      const [row] = await db.insert(auditLog).values({ at, actor, action, target, details }).returning();
      return row as AuditEntry;
    },
    async list(limit = 100) {
      return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
    },
  };
}
