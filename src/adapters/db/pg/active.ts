/**
 * What every answer reads first, in one statement (one round trip, one snapshot): the open
 * conversation of a chat/topic and the messages its summary does not cover yet. A lateral join
 * gives one row per message, each carrying the conversation; its title and summary (the long
 * columns) only on the first row, so the history does not repeat them.
 */
import { and, asc, desc, eq, getTableColumns, gt, isNull, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { ConversationRepository, FieldCipher } from '../../../domain/ports/index.js';
import { toConversation, toMessage } from '../shared/mapping.js';
import { conversations, messages } from './schema.js';

export function pgActiveWithHistory(
  db: PostgresJsDatabase,
  cipher: FieldCipher,
): ConversationRepository['getActiveWithHistory'] {
  const statement = (withThread: boolean) => {
    const c = conversations;
    const open = db
      .select()
      .from(c)
      .where(
        and(
          eq(c.userId, sql.placeholder('userId')),
          eq(c.chatId, sql.placeholder('chatId')),
          withThread ? eq(c.threadId, sql.placeholder('threadId')) : isNull(c.threadId),
          isNull(c.endedAt),
        ),
      )
      .orderBy(desc(c.id))
      .limit(1)
      .as('open');
    const m = messages;
    const history = db
      .select({ ...getTableColumns(m), n: sql<number>`row_number() over (order by ${m.id})`.as('n') })
      .from(m)
      .where(and(eq(m.conversationId, open.id), gt(m.id, sql`coalesce(${open.summaryUpToMessageId}, 0)`)))
      .orderBy(asc(m.id))
      .limit(sql.placeholder('limit'))
      .as('history');
    const { n: rowNumber, ...message } = history._.selectedFields;
    const first = sql`${rowNumber} is null or ${rowNumber} = 1`;
    return db
      .select({
        conversation: {
          ...open._.selectedFields,
          title: sql<string | null>`case when ${first} then ${open.title} end`,
          summary: sql<string | null>`case when ${first} then ${open.summary} end`,
        },
        message,
      })
      .from(open)
      .leftJoinLateral(history, sql`true`)
      .orderBy(asc(history.id))
      .prepare(withThread ? 'conversation_active_history_topic' : 'conversation_active_history');
  };
  const inTopic = statement(true);
  const inChat = statement(false);
  return async (key, limit) => {
    const rows = await (key.threadId === null ? inChat : inTopic).execute({ ...key, limit });
    const [head] = rows;
    if (head === undefined) return null;
    return {
      conversation: toConversation(head.conversation, cipher),
      history: rows.flatMap(({ message }) => (message === null ? [] : [toMessage(message, cipher)])),
    };
  };
}
