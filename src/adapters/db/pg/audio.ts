import { asc, eq, getTableColumns } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { AudioFile } from '../../../domain/entities.js';
import type { AudioFileRepository } from '../../../domain/ports/index.js';
import { audioFiles, conversations, messages } from './schema.js';

export function pgAudioFiles(db: PostgresJsDatabase): AudioFileRepository {
  const a = audioFiles;
  return {
    async add(file) {
      const [row] = await db
        .insert(a)
        .values({ ...file, createdAt: file.createdAt ?? new Date() })
        .returning();
      return row as AudioFile;
    },
    async listByMessage(messageId) {
      return db.select().from(a).where(eq(a.messageId, messageId)).orderBy(asc(a.id));
    },
    async listByUser(userId) {
      return db
        .select(getTableColumns(a))
        .from(a)
        .innerJoin(messages, eq(messages.id, a.messageId))
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(eq(conversations.userId, userId))
        .orderBy(asc(a.id));
    },
  };
}
