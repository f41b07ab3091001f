/** The PostgreSQL repositories over a postgres.js pool. */
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { FieldCipher, Repositories } from '../../../domain/ports/index.js';
import { guard, unreachable } from '../shared/errors.js';
import { withHistoryCache } from '../shared/history-cache.js';
import { pgApiKeys, pgAudit } from './admin.js';
import { pgAdminSessions } from './admin-sessions.js';
import { pgAudioFiles } from './audio.js';
import { pgBroadcasts } from './broadcasts.js';
import { pgFlood } from './flood.js';
import { pgPayments } from './payments.js';
import { pgOutbox } from './events.js';
import { pgConversations } from './conversations.js';
import { pgInbox } from './inbox.js';
import { pgHistoryMark, pgMessages } from './messages.js';
import { pgStats } from './stats.js';
import { pgUsage } from './usage.js';
import { pgUsers } from './users.js';

export function createPgRepositories(client: Sql, cipher: FieldCipher, where: string): Repositories {
  const db = drizzle({ client });
  let closing: Promise<void> | undefined;
  return Object.freeze({
    dialect: 'postgres' as const,
    users: guard(pgUsers(db, cipher), where),
    conversations: guard(
      withHistoryCache({ ...pgConversations(db, cipher), ...pgMessages(db, cipher) }, pgHistoryMark(db)),
      where,
    ),
    usage: guard(pgUsage(db), where),
    broadcasts: guard(pgBroadcasts(db), where),
    apiKeys: guard(pgApiKeys(db), where),
    audit: guard(pgAudit(db), where),
    adminSessions: guard(pgAdminSessions(db), where),
    updates: guard(pgInbox(db, cipher), where),
    audioFiles: guard(pgAudioFiles(db), where),
    stats: guard(pgStats(db), where),
    flood: guard(pgFlood(db), where),
    outbox: guard(pgOutbox(db), where),
    payments: guard(pgPayments(db, cipher), where),
    async ping() {
      try {
        await client.unsafe('select 1');
      } catch (error) {
        throw unreachable(error, where);
      }
    },
    close() {
      // In-flight queries finish; idle connections close at once.
      closing ??= client.end({ timeout: 5 });
      return closing;
    },
  });
}
