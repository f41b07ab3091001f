import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
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

export function pgAdminSessions(db: PostgresJsDatabase): AdminSessionRepository {
  return {
    async createLink({ role, linkHash, linkExpiresAt, createdBy, now = new Date() }) {
      const [row] = await db
        .insert(s)
        .values({ role, linkHash, linkExpiresAt, createdBy, createdAt: now })
        .returning(columns);
      return row!;
    },
    async redeem({ linkHash, sessionHash, expiresAt, address, now = new Date() }) {
      const [row] = await db
        .update(s)
        .set({ sessionHash, expiresAt, address, signedInAt: now })
        .where(
          and(eq(s.linkHash, linkHash), isNull(s.signedInAt), isNull(s.revokedAt), gt(s.linkExpiresAt, now)),
        )
        .returning(columns);
      return row ?? null;
    },
    async findBySession(sessionHash) {
      const [row] = await db.select(columns).from(s).where(eq(s.sessionHash, sessionHash));
      return row ?? null;
    },
    async find(id) {
      const [row] = await db.select(columns).from(s).where(eq(s.id, id));
      return row ?? null;
    },
    async extend(id, expiresAt) {
      await db
        .update(s)
        .set({ expiresAt })
        .where(and(eq(s.id, id), isNull(s.revokedAt)));
    },
    async revoke(id, now = new Date()) {
      await db
        .update(s)
        .set({ revokedAt: now })
        .where(and(eq(s.id, id), isNull(s.revokedAt)));
      const [row] = await db.select(columns).from(s).where(eq(s.id, id));
      return row ?? null;
    },
    async revokeAll(now = new Date()) {
      const rows = await db
        .update(s)
        .set({ revokedAt: now })
        .where(isNull(s.revokedAt))
        .returning({ id: s.id });
      return rows.length;
    },
    async list(limit = 100) {
      return db.select(columns).from(s).orderBy(desc(s.id)).limit(limit);
    },
  };
}
