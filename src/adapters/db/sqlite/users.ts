import { lazy } from '../shared/lazy.js';
import { and, asc, count, eq, lte, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Role, User, UserStatus } from '../../../domain/entities.js';
import type { FieldCipher, UserRepository } from '../../../domain/ports/index.js';
import { inboxOfUserWheres, userFilterWhere } from '../shared/filters.js';
import { notFound, toUser, type UserRow } from '../shared/mapping.js';
import { patchSettings } from '../shared/settings.js';
import { insertOutboxSqlite } from './events.js';
import { eventOutbox, updateInbox, users } from './schema.js';

export function sqliteUsers(db: BetterSQLite3Database, cipher: FieldCipher): UserRepository {
  const byId = lazy(() =>
    db
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare(),
  );
  const byTelegramId = lazy(() =>
    db
      .select()
      .from(users)
      .where(eq(users.telegramId, sql.placeholder('telegramId')))
      .prepare(),
  );

  const map = (row: UserRow): User => toUser(row, cipher);
  const update = (id: number, set: Partial<typeof users.$inferInsert>): User => {
    const row = db.update(users).set(set).where(eq(users.id, id)).returning().get();
    return row === undefined ? notFound('User', id) : map(row);
  };

  return {
    async upsertFromTelegram(profile, now = new Date(), onCreated) {
      const names = {
        username: profile.username,
        firstName: profile.firstName,
        lastName: profile.lastName,
        languageCode: profile.languageCode,
      };
      const values = {
        telegramId: profile.telegramId,
        ...names,
        language: profile.language,
        createdAt: now,
        lastSeenAt: now,
      };
      if (onCreated === undefined) {
        const row = db
          .insert(users)
          .values(values)
          .onConflictDoUpdate({ target: users.telegramId, set: { ...names, lastSeenAt: now } })
          .returning()
          .get();
        return map(row);
      }
      // Whether the row is new decides the outbox rows, so: insert if absent, else refresh; one transaction.
      return db.transaction(
        (tx) => {
          const created = tx.insert(users).values(values).onConflictDoNothing().returning().get();
          if (created !== undefined) {
            const user = map(created);
            insertOutboxSqlite(tx, onCreated(user), now);
            return user;
          }
          const row = tx
            .update(users)
            .set({ ...names, lastSeenAt: now })
            .where(eq(users.telegramId, profile.telegramId))
            .returning()
            .get();
          return map(row as UserRow);
        },
        { behavior: 'immediate' },
      );
    },
    async getByTelegramId(telegramId) {
      const row = byTelegramId().get({ telegramId });
      return row === undefined ? null : map(row);
    },
    async getById(id) {
      const row = byId().get({ id });
      return row === undefined ? null : map(row);
    },
    async updateSettings(id, patch) {
      // Read-modify-write of the JSON: one immediate transaction so no other writer interleaves.
      return db.transaction(
        (tx) => {
          const row = tx.select({ settings: users.settings }).from(users).where(eq(users.id, id)).get();
          if (row === undefined) notFound('User', id);
          const settings = patchSettings(row.settings, patch, cipher);
          return map(tx.update(users).set({ settings }).where(eq(users.id, id)).returning().get() as UserRow);
        },
        { behavior: 'immediate' },
      );
    },
    async setLanguage(id, language: string) {
      return update(id, { language });
    },
    async setRole(id, role: Role) {
      return update(id, { role });
    },
    async setStatus(id, status: UserStatus, events) {
      if (events === undefined) return update(id, { status });
      return db.transaction(
        (tx) => {
          const row = tx.update(users).set({ status }).where(eq(users.id, id)).returning().get();
          if (row === undefined) notFound('User', id);
          const user = map(row);
          insertOutboxSqlite(tx, events(user));
          return user;
        },
        { behavior: 'immediate' },
      );
    },
    async setPremium(id, change) {
      return update(id, change);
    },
    async expirePremium(now, id) {
      // The role condition is in the statement: an admin, or a premium renewed meanwhile, is left alone.
      const rows = db
        .update(users)
        .set({ role: 'user', premiumUntil: null })
        .where(
          and(
            eq(users.role, 'premium'),
            lte(users.premiumUntil, now),
            id === undefined ? undefined : eq(users.id, id),
          ),
        )
        .returning()
        .all();
      return rows.map(map);
    },
    async setQuotaOverrides(id, quotaOverrides) {
      return update(id, { quotaOverrides });
    },
    async list(filter = {}) {
      const rows = db
        .select()
        .from(users)
        .where(userFilterWhere(users, filter))
        .orderBy(asc(users.id))
        .limit(filter.limit ?? -1)
        .offset(filter.offset ?? 0)
        .all();
      return rows.map(map);
    },
    async count(filter = {}) {
      const row = db.select({ n: count() }).from(users).where(userFilterWhere(users, filter)).get();
      return row?.n ?? 0;
    },
    async deleteCascade(id) {
      db.transaction(
        (tx) => {
          const row = tx.select({ telegramId: users.telegramId }).from(users).where(eq(users.id, id)).get();
          if (row === undefined) return;
          // The inbox has no foreign key to users; everything else goes through ON DELETE CASCADE.
          for (const where of inboxOfUserWheres(updateInbox, row.telegramId))
            tx.delete(updateInbox).where(where).run();
          // Events about the user (their data names the user), delivered or not.
          tx.delete(eventOutbox).where(eq(eventOutbox.telegramId, row.telegramId)).run();
          tx.delete(users).where(eq(users.id, id)).run();
        },
        { behavior: 'immediate' },
      );
    },
  };
}
