/** The SQLite repositories over one better-sqlite3 connection (synchronous, so calls never interleave). */
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { FieldCipher, Repositories } from '../../../domain/ports/index.js';
import { guard, unreachable } from '../shared/errors.js';
import { withHistoryCache } from '../shared/history-cache.js';
import { sqliteApiKeys, sqliteAudit } from './admin.js';
import { sqliteAdminSessions } from './admin-sessions.js';
import { sqliteAudioFiles } from './audio.js';
import { sqliteBroadcasts } from './broadcasts.js';
import { sqliteFlood } from './flood.js';
import { sqliteOutbox } from './events.js';
import { sqlitePayments } from './payments.js';
import type { SqliteClient } from './client.js';
import { sqliteConversations } from './conversations.js';
import { groupCommit } from './group-commit.js';
import { idleCheckpoints } from './idle-checkpoint.js';
import { sqliteInbox } from './inbox.js';
import { sqliteHistoryMark, sqliteMessages } from './messages.js';
import { sqliteStats } from './stats.js';
import { sqliteUsage } from './usage.js';
import { sqliteUsers } from './users.js';

export function createSqliteRepositories(
  client: SqliteClient,
  cipher: FieldCipher,
  where: string,
): Repositories {
  const db = drizzle({ client });
  const checkpoints = idleCheckpoints(client);
  const commit = groupCommit(client, checkpoints.wrote);
  let closed = false;
  return Object.freeze({
    dialect: 'sqlite' as const,
    users: guard(sqliteUsers(db, cipher), where),
    conversations: guard(
      withHistoryCache(
        { ...sqliteConversations(db, cipher), ...sqliteMessages(db, cipher, commit) },
        sqliteHistoryMark(db),
      ),
      where,
    ),
    usage: guard(sqliteUsage(db, commit), where),
    broadcasts: guard(sqliteBroadcasts(db), where),
    apiKeys: guard(sqliteApiKeys(db), where),
    audit: guard(sqliteAudit(db), where),
    adminSessions: guard(sqliteAdminSessions(db), where),
    updates: guard(sqliteInbox(db, client, cipher, commit), where),
    audioFiles: guard(sqliteAudioFiles(db), where),
    stats: guard(sqliteStats(db), where),
    flood: guard(sqliteFlood(db), where),
    outbox: guard(sqliteOutbox(db), where),
    payments: guard(sqlitePayments(db, cipher), where),
    async ping() {
      try {
        client.prepare('select 1').get();
      } catch (error) {
        throw unreachable(error, where);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      checkpoints.close();
      client.close();
    },
  });
}
