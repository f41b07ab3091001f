import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AdminSession } from '../../../domain/entities.js';
import type { AdminSessionRepository } from '../../../domain/ports/index.js';
import { adminSessions } from './schema.js';

const s = adminSessions;
/** The row without its hashes: nothing above the adapter needs them back. */
const columns = {
  id: s.id,
  role: s.role,
  createdBy: s.createdBy,
  createdAt: s.createdAt,
  linkExpiresAt: s.linkExpiresAt,
  signedInAt: s.signedInAt,
  expiresAt: s.expiresAt,
  revokedAt: s.revokedAt,
  address: s.address,
};

export function sqliteAdminSessions(db: BetterSQLite3Database): AdminSessionRepository {
  return {
    async createLink({ role, linkHash, linkExpiresAt, createdBy, now = new Date() }) {
      return db
        .insert(s)
        .values({ role, linkHash, linkExpiresAt, createdBy, createdAt: now })
        .returning(columns)
        .get();
    },
    async redeem({ linkHash, sessionHash, expiresAt, address, now = new Date() }) {
      const row = db
        .update(s)
        .set({ sessionHash, expiresAt, address, signedInAt: now })
        .where(
          and(eq(s.linkHash, linkHash), isNull(s.signedInAt), isNull(s.revokedAt), gt(s.linkExpiresAt, now)),
        )
        .returning(columns)
        .get();
      return row ?? null;
    },
    async findBySession(sessionHash) {
      return db.select(columns).from(s).where(eq(s.sessionHash, sessionHash)).get() ?? null;
    },
    async find(id) {
      return db.select(columns).from(s).where(eq(s.id, id)).get() ?? null;
    },
    async extend(id, expiresAt) {
      db.update(s)
        .set({ expiresAt })
        .where(and(eq(s.id, id), isNull(s.revokedAt)))
        .run();
    },
    async revoke(id, now = new Date()) {
      db.update(s)
        .set({ revokedAt: now })
        .where(and(eq(s.id, id), isNull(s.revokedAt)))
        .run();
      return (db.select(columns).from(s).where(eq(s.id, id)).get() as AdminSession | undefined) ?? null;
    },
    async revokeAll(now = new Date()) {
      return db.update(s).set({ revokedAt: now }).where(isNull(s.revokedAt)).run().changes;
    },
    async list(limit = 100) {
      return db.select(columns).from(s).orderBy(desc(s.id)).limit(limit).all();
    },
  };
}
