import { asc, eq } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AudioFileRepository } from '../../../domain/ports.js';
import { audioFiles } from './schema.js';

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
  };
}
