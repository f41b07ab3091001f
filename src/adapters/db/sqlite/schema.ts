/**
 * SQLite schema. Timestamps are integer milliseconds (drizzle maps them to Date);
 * JSON lives in text columns. The generated SQL is in migrations/sqlite/.
 * Longer than most files: it is the whole table list, kept in one place for drizzle-kit.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type {
  BroadcastAudience,
  BroadcastStatus,
  DeliveryStatus,
  MessageRole,
  QuotaOverrides,
  Role,
  UserStatus,
} from '../../../domain/entities.js';
import type { EventType, OutboxStatus } from '../../../domain/events.js';

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    telegramId: integer('telegram_id').notNull(),
    username: text('username'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    languageCode: text('language_code'),
    language: text('language').notNull(),
    role: text('role').$type<Role>().notNull().default('user'),
    status: text('status').$type<UserStatus>().notNull().default('active'),
    /** JSON of UserSettings; customPrompt inside it is sealed by the field cipher. */
    settings: text('settings').notNull().default('{}'),
    /** Per-user quota limits over the role's (JSON of QuotaOverrides); null: none. */
    quotaOverrides: text('quota_overrides', { mode: 'json' }).$type<QuotaOverrides>(),
    /**
     * When paid premium ends (services/premium): the role goes back to user then. Null: no paid
     * premium (a role set by the operator has no end).
     */
    premiumUntil: ms('premium_until'),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_telegram_id_uq').on(t.telegramId),
    // The premium sweep finds the ends that passed.
    index('users_premium_until_idx').on(t.premiumUntil),
  ],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    chatId: integer('chat_id').notNull(),
    threadId: integer('thread_id'),
    startedAt: ms('started_at').notNull(),
    endedAt: ms('ended_at'),
    title: text('title'),
    summary: text('summary'),
    summaryUpToMessageId: integer('summary_up_to_message_id'),
  },
  (t) => [index('conversations_active_idx').on(t.userId, t.chatId, t.threadId, t.endedAt)],
);

export const messages = sqliteTable(
  'messages',
  {
    // AUTOINCREMENT: ids never come back after a delete, so "messages after id N" stays true.
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').$type<MessageRole>().notNull(),
    content: text('content').notNull(),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    model: text('model'),
    latencyMs: integer('latency_ms'),
    telegramMessageId: integer('telegram_message_id'),
    /**
     * Answers only: when Telegram accepted the answer (returned the sent message); null while it is
     * generated but not delivered, so a replay after a crash sends it instead of taking it as answered.
     */
    deliveredAt: ms('delivered_at'),
    createdAt: ms('created_at').notNull(),
    /**
     * Answers only: the Telegram messages that show it, as a JSON array (first one also in
     * telegram_message_id), recorded with the delivery: a reply to any of them continues this
     * conversation, and an edited question replaces them (services/chat/replies.ts, edits.ts).
     */
    sentMessageIds: text('sent_message_ids'),
    /** Answers grounded in Google Search: their sources, JSON (sealed like the content). */
    sources: text('sources'),
  },
  (t) => [
    // History reads by (conversation, id); delivered_at makes the history cache's check of every
    // answer (count, newest id, delivered count: adapters/db/shared/history-cache.ts) index-only.
    index('messages_conversation_id_idx').on(t.conversationId, t.id, t.deliveredAt),
    // Replies and edits find their turn by Telegram message id within the user's conversations.
    index('messages_telegram_idx').on(t.conversationId, t.telegramMessageId),
    // `botctl stats`: covering indexes, so a month of answers is read from one index range.
    index('messages_stats_idx').on(t.role, t.createdAt, t.model, t.tokensIn, t.tokensOut, t.latencyMs),
    index('messages_latency_idx').on(t.role, t.latencyMs, t.createdAt),
  ],
);

export const audioFiles = sqliteTable(
  'audio_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    fileId: text('file_id').notNull(),
    fileUniqueId: text('file_unique_id').notNull(),
    durationSec: integer('duration_sec').notNull(),
    mime: text('mime'),
    size: integer('size'),
    storedPath: text('stored_path'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('audio_files_message_id_idx').on(t.messageId)],
);

export const dailyUsage = sqliteTable(
  'daily_usage',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    messages: integer('messages').notNull().default(0),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    audioSeconds: integer('audio_seconds').notNull().default(0),
    images: integer('images').notNull().default(0),
    /** Answers grounded in Google Search (billed per grounded request; their own quota). */
    searches: integer('searches').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    // `botctl stats` sums and counts a range of days: covering, so the table is not read.
    index('daily_usage_day_idx').on(
      t.day,
      t.userId,
      t.messages,
      t.tokensIn,
      t.tokensOut,
      t.audioSeconds,
      t.images,
      t.searches,
    ),
  ],
);

/**
 * Failed requests per UTC day and error code (services/stats: the error counter): handler errors
 * and failures answered with an apology (model down, speech failed). No user id and no text, so
 * nothing here is personal data; one row per code a day keeps it a few hundred rows a year.
 */
export const dailyErrors = sqliteTable(
  'daily_errors',
  {
    day: text('day').notNull(),
    code: text('code').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.code] })],
);

export const broadcasts = sqliteTable('broadcasts', {
  id: text('id').primaryKey(),
  text: text('text').notNull(),
  parseMode: text('parse_mode').$type<'HTML' | 'Markdown'>(),
  photo: text('photo'),
  audience: text('audience', { mode: 'json' }).$type<BroadcastAudience>().notNull(),
  ratePerSecond: integer('rate_per_second').notNull(),
  status: text('status').$type<BroadcastStatus>().notNull(),
  createdAt: ms('created_at').notNull(),
  startedAt: ms('started_at'),
  finishedAt: ms('finished_at'),
});

export const deliveries = sqliteTable(
  'deliveries',
  {
    broadcastId: text('broadcast_id')
      .notNull()
      .references(() => broadcasts.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    sentAt: ms('sent_at'),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.userId] }),
    index('deliveries_broadcast_status_idx').on(t.broadcastId, t.status),
    // deleteCascade from users scans deliveries by user_id.
    index('deliveries_user_id_idx').on(t.userId),
  ],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
    /** Null: never expires. A key past it is refused like a revoked one. */
    expiresAt: ms('expires_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.hash)],
);

/** Sign-in links and the panel sessions they become (services/admin-api/sessions.ts); tokens kept as hashes. */
export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    role: text('role').notNull(),
    linkHash: text('link_hash').notNull(),
    sessionHash: text('session_hash'),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    linkExpiresAt: ms('link_expires_at').notNull(),
    signedInAt: ms('signed_in_at'),
    expiresAt: ms('expires_at'),
    revokedAt: ms('revoked_at'),
    address: text('address'),
  },
  (t) => [
    uniqueIndex('admin_sessions_link_hash_uq').on(t.linkHash),
    uniqueIndex('admin_sessions_session_hash_uq').on(t.sessionHash),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: ms('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    /** The remote address of the request (API writes); null for the CLI and the bot. */
    address: text('address'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

export const updateInbox = sqliteTable(
  'update_inbox',
  {
    updateId: integer('update_id').primaryKey(),
    chatKey: text('chat_key').notNull(),
    /** Telegram id of the update's sender (null when it has none): /forget deletes by it. */
    fromId: integer('from_id'),
    payload: text('payload').notNull(),
    /** pending -> done when handled; rejected (never handled) when the bot cannot route it. */
    status: text('status').$type<'pending' | 'done' | 'rejected'>().notNull().default('pending'),
    /** Why a rejected update was not handled: a code and the offending field, never a value. */
    reason: text('reason'),
    receivedAt: ms('received_at').notNull(),
    doneAt: ms('done_at'),
    /** The message a group answer's stream created (its preview), so a replay edits it into the answer. */
    replyMessageId: integer('reply_message_id'),
    /**
     * The instance answering a pending update (a random id per start), and until when its lease
     * holds; renewed while it works. Another instance takes the update only once the lease ran
     * out or its owner is gone (services/inbox: claims).
     */
    owner: text('owner'),
    /**
     * When the bot admitted the update (rate limit and quota passed, its question charged): a replay
     * after a crash or a takeover skips the limits only then. One taken over before it ever ran is
     * charged like a fresh one.
     */
    admittedAt: ms('admitted_at'),
    leaseUntil: ms('lease_until'),
  },
  (t) => [
    index('update_inbox_status_idx').on(t.status, t.updateId),
    index('update_inbox_from_idx').on(t.fromId),
    // Per-chat order across instances: "is an older update of this chat still pending?"
    index('update_inbox_chat_idx').on(t.chatKey, t.updateId),
  ],
);

/**
 * Telegram's flood wait, shared by every process using the bot token (daemon instances,
 * `botctl broadcast`): one row per bot, the instant until which no send may start.
 */
export const telegramFlood = sqliteTable('telegram_flood', {
  botId: integer('bot_id').primaryKey(),
  until: ms('until').notNull(),
});

/**
 * The event outbox (domain/events.ts): one row per event and endpoint, written in the same
 * transaction as the change it reports, delivered in id order per endpoint by the daemon.
 */
export const eventOutbox = sqliteTable(
  'event_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    endpoint: text('endpoint').notNull(),
    type: text('type').$type<EventType>().notNull(),
    /** Whose event it is (its data's telegram_id), so forgetting a user deletes their events too. */
    telegramId: integer('telegram_id'),
    /** The JSON a receiver gets, signed as stored: ids and counts, never message content. */
    body: text('body').notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    occurredAt: ms('occurred_at').notNull(),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    /** A worker holds the row until then (a crashed worker's claim expires). */
    claimedUntil: ms('claimed_until'),
    /** Why the last attempt failed: an HTTP status or a network code, never the URL. */
    lastError: text('last_error'),
    deliveredAt: ms('delivered_at'),
  },
  (t) => [
    index('event_outbox_endpoint_idx').on(t.endpoint, t.status, t.id),
    index('event_outbox_status_idx').on(t.status, t.id),
    index('event_outbox_telegram_id_idx').on(t.telegramId),
  ],
);

/**
 * Telegram Stars payments for premium (services/premium): one row per charge, recorded with the
 * premium it granted in one transaction; Telegram's charge id is unique, so a repeated
 * successful_payment is a no-op. Deleted with the user (/forget).
 */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    telegramChargeId: text('telegram_payment_charge_id').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** In the currency's smallest unit: whole Stars for XTR. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    /** The invoice payload as Telegram returned it (domain/premium.ts: the offer it was for). */
    payload: text('payload').notNull(),
    periodDays: integer('period_days').notNull(),
    /** The user's premium end after this payment. */
    premiumUntil: ms('premium_until').notNull(),
    createdAt: ms('created_at').notNull(),
    refundedAt: ms('refunded_at'),
  },
  (t) => [
    uniqueIndex('payments_charge_id_uq').on(t.telegramChargeId),
    index('payments_user_id_idx').on(t.userId),
    index('payments_created_at_idx').on(t.createdAt),
  ],
);
