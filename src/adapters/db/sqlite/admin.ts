import { asc, desc, eq } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { ApiKeyRepository, AuditRepository } from '../../../domain/ports/index.js';
import { apiKeys, auditLog } from './schema.js';

export function sqliteApiKeys(db: BetterSQLite3Database): ApiKeyRepository {
  const k = apiKeys;
  return {
    async create({ name, hash, scopes, now = new Date() }) {
      return db.insert(k).values({ name, hash, scopes, createdAt: now }).returning().get();
    },
    async findByHash(hash) {
      return db.select().from(k).where(eq(k.hash, hash)).get() ?? null;
    },
    async list() {
      return db.select().from(k).orderBy(asc(k.id)).all();
    },
    async revoke(id, now = new Date()) {
      db.update(k).set({ revokedAt: now }).where(eq(k.id, id)).run();
    },
    async touch(id, now = new Date()) {
      db.update(k).set({ lastUsedAt: now }).where(eq(k.id, id)).run();
    },
  };
}

export function sqliteAudit(db: BetterSQLite3Database): AuditRepository {
  return {
    async record({ at = new Date(), actor, action, target, details }) {
      return db.insert(auditLog).values({ at, actor, action, target, details }).returning().get();
    },
    async list(limit = 100) {
      return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit).all();
    },
  };
}
