/** SQL fragments that read the same on both dialects. */
import { sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BroadcastStatus, DeliveryStatus } from '../../../domain/entities.js';
import type { UsageDelta } from '../../../domain/entities.js';
import type { UsageCaps } from '../../../domain/quota.js';

/** `col + excluded.col`, for upserts that add to a counter instead of replacing it. */
function plusExcluded(column: Column): SQL {
  return sql`${column} + excluded.${sql.identifier(column.name)}`;
}

/**
 * A delivery counts an attempt when it is marked `sending` (before the Telegram call) or,
 * for callers that skip `sending`, when it leaves `pending` for an outcome. So
 * pending -> sending -> sent counts one attempt, and a retry after a crash counts two.
 */
export function attemptsAfter(cols: { attempts: Column; status: Column }, next: DeliveryStatus): SQL {
  if (next === 'sending') return sql`${cols.attempts} + 1`;
  if (next === 'pending') return sql`${cols.attempts}`;
  return sql`${cols.attempts} + case when ${cols.status} = 'pending' then 1 else 0 end`;
}

/** started_at is stamped once (a resumed broadcast keeps its first start); finished_at on an end state. */
export function broadcastStatusChange(
  cols: { startedAt: Column },
  status: BroadcastStatus,
  now: Date,
): { status: BroadcastStatus; startedAt?: SQL; finishedAt?: Date } {
  if (status === 'running') {
    return { status, startedAt: sql`coalesce(${cols.startedAt}, ${sql.param(now, cols.startedAt)})` };
  }
  if (status === 'done' || status === 'cancelled') return { status, finishedAt: now };
  return { status };
}

/**
 * The select list for INSERT INTO deliveries SELECT ... FROM users: drizzle wants every
 * column of deliveries, in table order.
 */
export function recipientFields<C extends Column>(userId: C, broadcastId: string) {
  return {
    broadcastId: sql<string>`${broadcastId}`.as('broadcast_id'),
    userId,
    status: sql<DeliveryStatus>`'pending'`.as('status'),
    attempts: sql<number>`0`.as('attempts'),
    error: sql<string | null>`null`.as('error'),
    sentAt: sql<null>`null`.as('sent_at'),
  };
}

type UsageColumns = Record<
  'messages' | 'tokensIn' | 'tokensOut' | 'audioSeconds' | 'images' | 'searches',
  Column
>;

/** The usage upsert's conflict update: each counter adds the delta to what is stored. */
export function addedUsage(u: UsageColumns) {
  return {
    messages: plusExcluded(u.messages),
    tokensIn: plusExcluded(u.tokensIn),
    tokensOut: plusExcluded(u.tokensOut),
    audioSeconds: plusExcluded(u.audioSeconds),
    images: plusExcluded(u.images),
    searches: plusExcluded(u.searches),
  };
}

/** Placeholders of the prepared usage upsert, filled by usageDeltaValues. */
export const usageDeltaPlaceholders = {
  userId: sql.placeholder('userId'),
  day: sql.placeholder('day'),
  messages: sql.placeholder('messages'),
  tokensIn: sql.placeholder('tokensIn'),
  tokensOut: sql.placeholder('tokensOut'),
  audioSeconds: sql.placeholder('audioSeconds'),
  images: sql.placeholder('images'),
  searches: sql.placeholder('searches'),
};

export function usageDeltaValues(userId: number, day: string, delta: UsageDelta) {
  return {
    userId,
    day,
    messages: delta.messages ?? 0,
    tokensIn: delta.tokensIn ?? 0,
    tokensOut: delta.tokensOut ?? 0,
    audioSeconds: delta.audioSeconds ?? 0,
    images: delta.images ?? 0,
    searches: delta.searches ?? 0,
  };
}

/**
 * The same placeholders under names of their own, for a statement that also inserts a message:
 * its tokensIn and tokensOut are the message's, not necessarily what the turn counts.
 */
export const countedUsagePlaceholders = {
  userId: sql.placeholder('usageUserId'),
  day: sql.placeholder('usageDay'),
  messages: sql.placeholder('usageMessages'),
  tokensIn: sql.placeholder('usageTokensIn'),
  tokensOut: sql.placeholder('usageTokensOut'),
  audioSeconds: sql.placeholder('usageAudioSeconds'),
  images: sql.placeholder('usageImages'),
  searches: sql.placeholder('usageSearches'),
};

export function countedUsageValues(userId: number, day: string, delta: UsageDelta) {
  const v = usageDeltaValues(userId, day, delta);
  return {
    usageUserId: v.userId,
    usageDay: v.day,
    usageMessages: v.messages,
    usageTokensIn: v.tokensIn,
    usageTokensOut: v.tokensOut,
    usageAudioSeconds: v.audioSeconds,
    usageImages: v.images,
    usageSearches: v.searches,
  };
}

/** Placeholders of the reservation's caps, filled by usageCapValues. */
const cap = {
  messages: sql.placeholder('capMessages'),
  images: sql.placeholder('capImages'),
  audioSeconds: sql.placeholder('capAudioSeconds'),
  searches: sql.placeholder('capSearches'),
  tokens: sql.placeholder('capTokens'),
};

export function usageCapValues(caps: UsageCaps) {
  return {
    capMessages: caps.messages,
    capImages: caps.images,
    capAudioSeconds: caps.audioSeconds,
    capSearches: caps.searches,
    capTokens: caps.tokens,
  };
}

/**
 * The reservation's conflict condition, checked on the stored row while the upsert holds it (a
 * row lock on PostgreSQL, the one writer on SQLite): every counter stays within its cap after
 * the delta, and today's tokens are under theirs. A row that fails it is left as it is, and the
 * statement returns nothing.
 */
export function withinCaps(u: UsageColumns): SQL {
  const fits = (column: Column, limit: SQLWrapper) =>
    sql`(${limit} = 0 or ${column} + excluded.${sql.identifier(column.name)} <= ${limit})`;
  return sql`${fits(u.messages, cap.messages)} and ${fits(u.images, cap.images)} and ${fits(
    u.audioSeconds,
    cap.audioSeconds,
  )} and ${fits(u.searches, cap.searches)} and (${cap.tokens} = 0 or ${u.tokensIn} + ${u.tokensOut} < ${cap.tokens})`;
}

/** A release's update: each counter less the delta, never below zero. */
export function releasedUsage(u: UsageColumns, delta: UsageDelta) {
  const less = (column: Column, by: number | undefined) =>
    sql`case when ${column} > ${by ?? 0} then ${column} - ${by ?? 0} else 0 end`;
  return {
    messages: less(u.messages, delta.messages),
    tokensIn: less(u.tokensIn, delta.tokensIn),
    tokensOut: less(u.tokensOut, delta.tokensOut),
    audioSeconds: less(u.audioSeconds, delta.audioSeconds),
    images: less(u.images, delta.images),
    searches: less(u.searches, delta.searches),
  };
}
