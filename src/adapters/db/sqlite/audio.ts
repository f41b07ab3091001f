import { asc, eq, getTableColumns } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AudioFileRepository } from '../../../domain/ports/index.js';
import { audioFiles, conversations, messages } from './schema.js';

export function sqliteAudioFiles(db: BetterSQLite3Database): AudioFileRepository {
  const a = audioFiles;
  return {
    async add(file) {
      return db
        .insert(a)
        .values({ ...file, createdAt: file.createdAt ?? new Date() })
        .returning()
        .get();
    },
    async listByMessage(messageId) {
      return db.select().from(a).where(eq(a.messageId, messageId)).orderBy(asc(a.id)).all();
    },
    async listByUser(userId) {
      return db
        .select(getTableColumns(a))
        .from(a)
        .innerJoin(messages, eq(messages.id, a.messageId))
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(eq(conversations.userId, userId))
        .orderBy(asc(a.id))
        .all();
    },
  };
}
