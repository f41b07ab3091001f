import { and, asc, count, eq, lte, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Role, User, UserStatus } from '../../../domain/entities.js';
import type { FieldCipher, UserRepository } from '../../../domain/ports/index.js';
import { inboxOfUserWheres, userFilterWhere } from '../shared/filters.js';
import { notFound, toUser, type UserRow } from '../shared/mapping.js';
import { patchSettings } from '../shared/settings.js';
import { insertOutboxPg } from './events.js';
import { eventOutbox, updateInbox, users } from './schema.js';

export function pgUsers(db: PostgresJsDatabase, cipher: FieldCipher): UserRepository {
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare('users_by_id');
  const byTelegramId = db
    .select()
    .from(users)
    .where(eq(users.telegramId, sql.placeholder('telegramId')))
    .prepare('users_by_telegram_id');

  const map = (row: UserRow): User => toUser(row, cipher);
  const update = async (id: number, set: Partial<typeof users.$inferInsert>): Promise<User> => {
    const [row] = await db.update(users).set(set).where(eq(users.id, id)).returning();
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
        const [row] = await db
          .insert(users)
          .values(values)
          .onConflictDoUpdate({ target: users.telegramId, set: { ...names, lastSeenAt: now } })
          .returning();
        return map(row as UserRow);
      }
      // Whether the row is new decides the outbox rows, so: insert if absent, else refresh; one transaction.
      return db.transaction(async (tx) => {
        const [created] = await tx.insert(users).values(values).onConflictDoNothing().returning();
        if (created !== undefined) {
          const user = map(created);
          await insertOutboxPg(tx, onCreated(user), now);
          return user;
        }
        const [row] = await tx
          .update(users)
          .set({ ...names, lastSeenAt: now })
          .where(eq(users.telegramId, profile.telegramId))
          .returning();
        return map(row as UserRow);
      });
    },
    async getByTelegramId(telegramId) {
      const [row] = await byTelegramId.execute({ telegramId });
      return row === undefined ? null : map(row);
    },
    async getById(id) {
      const [row] = await byId.execute({ id });
      return row === undefined ? null : map(row);
    },
    async updateSettings(id, patch) {
      // Read-modify-write of the JSON under a row lock, so concurrent patches both land.
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ settings: users.settings })
          .from(users)
          .where(eq(users.id, id))
          .for('update');
        if (row === undefined) notFound('User', id);
        const settings = patchSettings(row.settings, patch, cipher);
        const [updated] = await tx.update(users).set({ settings }).where(eq(users.id, id)).returning();
        return map(updated as UserRow);
      });
    },
    async setLanguage(id, language: string) {
      return update(id, { language });
    },
    async setRole(id, role: Role) {
      return update(id, { role });
    },
    async setStatus(id, status: UserStatus, events) {
      if (events === undefined) return update(id, { status });
      return db.transaction(async (tx) => {
        const [row] = await tx.update(users).set({ status }).where(eq(users.id, id)).returning();
        if (row === undefined) notFound('User', id);
        const user = map(row);
        await insertOutboxPg(tx, events(user));
        return user;
      });
    },
    async setPremium(id, change) {
      return update(id, change);
    },
    async expirePremium(now, id) {
      // The role condition is in the statement: an admin, or a premium renewed meanwhile, is left alone.
      const rows = await db
        .update(users)
        .set({ role: 'user', premiumUntil: null })
        .where(
          and(
            eq(users.role, 'premium'),
            lte(users.premiumUntil, now),
            id === undefined ? undefined : eq(users.id, id),
          ),
        )
        .returning();
      return rows.map(map);
    },
    async setQuotaOverrides(id, quotaOverrides) {
      return update(id, { quotaOverrides });
    },
    async list(filter = {}) {
      const query = db
        .select()
        .from(users)
        .where(userFilterWhere(users, filter))
        .orderBy(asc(users.id))
        .$dynamic();
      if (filter.limit !== undefined) query.limit(filter.limit);
      const rows = await query.offset(filter.offset ?? 0);
      return rows.map(map);
    },
    async count(filter = {}) {
      const [row] = await db.select({ n: count() }).from(users).where(userFilterWhere(users, filter));
      return row?.n ?? 0;
    },
    async deleteCascade(id) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .delete(users)
          .where(eq(users.id, id))
          .returning({ telegramId: users.telegramId });
        if (row === undefined) return;
        // The inbox has no foreign key to users; everything else goes through ON DELETE CASCADE.
        for (const where of inboxOfUserWheres(updateInbox, row.telegramId))
          await tx.delete(updateInbox).where(where);
        // Events about the user (their data names the user), delivered or not.
        await tx.delete(eventOutbox).where(eq(eventOutbox.telegramId, row.telegramId));
      });
    },
  };
}
