/** WHERE clauses that read the same on both dialects (drizzle operators are dialect-neutral). */
import { and, eq, gt, gte, like, or, sql, type Column, type SQL } from 'drizzle-orm';
import { privateChatKeys } from '../../../domain/chat-key.js';
import type { UserFilter } from '../../../domain/ports/index.js';

export interface UserFilterColumns {
  id: Column;
  role: Column;
  status: Column;
  language: Column;
  lastSeenAt: Column;
  username: Column;
  firstName: Column;
  lastName: Column;
}

export function userFilterWhere(cols: UserFilterColumns, filter: UserFilter = {}): SQL | undefined {
  return and(
    filter.role === undefined ? undefined : eq(cols.role, filter.role),
    filter.status === undefined ? undefined : eq(cols.status, filter.status),
    filter.language === undefined ? undefined : eq(cols.language, filter.language),
    filter.activeSince === undefined ? undefined : gte(cols.lastSeenAt, filter.activeSince),
    filter.username === undefined
      ? undefined
      : sql`lower(${cols.username}) = ${filter.username.toLowerCase()}`,
    filter.search === undefined ? undefined : searchWhere(cols, filter.search),
    filter.afterId === undefined ? undefined : gt(cols.id, filter.afterId),
  );
}

/**
 * The inbox rows a forgotten user leaves, as two deletes: every update they sent, in any chat,
 * groups included (from_id, which update_inbox_from_idx serves; a single OR with the chat-key
 * terms would scan the table), and everything in their private chat, which also covers rows
 * without a sender (recorded before the column existed). Which keys that chat has is the
 * domain's (chat-key.ts).
 */
export function inboxOfUserWheres(cols: { chatKey: Column; fromId: Column }, telegramId: number): SQL[] {
  const keys = privateChatKeys(telegramId);
  const privateChat = or(
    ...keys.exact.map((key) => eq(cols.chatKey, key)),
    like(cols.chatKey, `${keys.topicPrefix}%`),
  );
  return [eq(cols.fromId, telegramId), privateChat ?? sql`false`];
}

/** Case-insensitive substring match on the names (SQLite's lower() folds ASCII only). */
function searchWhere(cols: UserFilterColumns, search: string): SQL | undefined {
  // %, _ and \ in the input are literal characters, not patterns.
  const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const like = (col: Column) => sql`lower(${col}) like ${pattern} escape '\\'`;
  return or(like(cols.username), like(cols.firstName), like(cols.lastName));
}
