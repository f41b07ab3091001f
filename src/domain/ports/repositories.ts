/**
 * Storage ports: one repository per table group, and Repositories, what opening a database gives.
 * One contract suite (test/contracts/) runs on every implementation.
 */
import type {
  AdminSession,
  ApiKey,
  AudioFile,
  AuditEntry,
  Broadcast,
  Conversation,
  DailyUsage,
  Delivery,
  DeliveryStatus,
  FirstContact,
  Message,
  NewMessage,
  QuotaOverrides,
  Role,
  NewStoredUpdate,
  Payment,
  StoredUpdate,
  UsageDelta,
  User,
  UserSettings,
  UserStatus,
} from '../entities.js';
import type { UsageCaps } from '../quota.js';
import type { StatsRepository } from './stats.js';
import type { OutboxRepository, OutboxRows } from './events.js';
import type { PremiumChange } from '../premium.js';

export type Dialect = 'sqlite' | 'postgres';

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  language?: string;
  /** Seen at or after this instant. */
  activeSince?: Date;
  /** Exact Telegram username, without the @, ignoring case. */
  username?: string;
  /** Substring of the username, first or last name, ignoring case. */
  search?: string;
  limit?: number;
  offset?: number;
  /** Keyset paging: only users stored after this internal id (the list is in id order). */
  afterId?: number;
}

export interface UserRepository {
  /**
   * Creates the user on first contact, refreshes names and last-seen on later ones. `onCreated`'s
   * outbox rows (user.created) are written in the same transaction, only when the user was created.
   */
  upsertFromTelegram(profile: FirstContact, now?: Date, onCreated?: OutboxRows<User>): Promise<User>;
  getByTelegramId(telegramId: number): Promise<User | null>;
  getById(id: number): Promise<User | null>;
  updateSettings(id: number, patch: Partial<UserSettings>): Promise<User>;
  setLanguage(id: number, language: string): Promise<User>;
  setRole(id: number, role: Role): Promise<User>;
  /** With `events`, their outbox rows are written in the same transaction. */
  setStatus(id: number, status: UserStatus, events?: OutboxRows<User>): Promise<User>;
  /** Sets role and premium end together (domain/premium.ts decides them). */
  setPremium(id: number, change: PremiumChange): Promise<User>;
  /**
   * Paid premium whose end is at or before `now` goes back to the user role, in one statement
   * (admins are never touched); returns the users it changed.
   */
  expirePremium(now: Date, id?: number): Promise<User[]>;
  /** Replaces the user's quota overrides (null: the role's quota as is). */
  setQuotaOverrides(id: number, overrides: QuotaOverrides | null): Promise<User>;
  list(filter?: UserFilter): Promise<User[]>;
  count(filter?: Omit<UserFilter, 'limit' | 'offset' | 'afterId'>): Promise<number>;
  /** Removes the user and every row that belongs to them (conversations, messages, audio, usage, deliveries). */
  deleteCascade(id: number): Promise<void>;
}

export interface ConversationKey {
  userId: number;
  chatId: number;
  /** Forum topic; null outside topics. */
  threadId: number | null;
}

export interface ConversationRepository {
  /** The open conversation for this chat/topic, if any. */
  getActive(key: ConversationKey): Promise<Conversation | null>;
  /**
   * Ends the open conversation for the key (kept, not deleted) and starts a new one; `onStarted`'s
   * outbox rows (conversation.started) are written in the same transaction.
   */
  start(key: ConversationKey, now?: Date, onStarted?: OutboxRows<Conversation>): Promise<Conversation>;
  /** getActive, or start when there is none (then `onStarted`'s rows go with the new row). */
  getOrStart(key: ConversationKey, now?: Date, onStarted?: OutboxRows<Conversation>): Promise<Conversation>;
  getById(id: number): Promise<Conversation | null>;
  listByUser(userId: number, page?: { limit: number; offset: number }): Promise<Conversation[]>;
  /**
   * Makes the user's conversation `id` the open one for `key` (moving it to that chat/topic) and
   * ends the one open there before; null when `id` is not a conversation of `key.userId`.
   */
  activate(id: number, key: ConversationKey, now?: Date): Promise<Conversation | null>;
  setTitle(id: number, title: string): Promise<void>;
  /** Stores the running summary and the id of the last message it covers. */
  setSummary(id: number, summary: string, coversUpToMessageId: number): Promise<void>;
  delete(id: number): Promise<void>;
  appendMessage(message: NewMessage): Promise<Message>;
  /**
   * Stores the messages, in order (a question and its answer, or one of them), and adds `usage`
   * to its user's row for the day in one atomic write (one commit; one statement on PostgreSQL):
   * a turn is never stored uncounted, nor counted unstored. Returns them as stored, in order.
   * With `events`, their outbox rows (message.answered) go in the same transaction.
   */
  appendCounted(
    messages: readonly NewMessage[],
    usage: CountedUsage,
    events?: OutboxRows<Message[]>,
  ): Promise<Message[]>;
  /** The last `limit` messages of the conversation, oldest first. */
  getContext(conversationId: number, limit: number): Promise<Message[]>;
  /** Messages with id > afterId, oldest first (summaries cover the rest). */
  messagesAfter(conversationId: number, afterId: number, limit: number): Promise<Message[]>;
  countMessages(conversationId: number): Promise<number>;
  deleteMessage(id: number): Promise<void>;
  /** One message by id (e.g. the answer a "speak" button points at); null when it is gone. */
  getMessage(id: number): Promise<Message | null>;
  /**
   * Records that Telegram accepted this answer: from now on a replay takes it as answered. With
   * `doneUpdateId`, that update is marked done in the same write (see services/chat/delivery.ts).
   */
  markDelivered(id: number, at: Date, doneUpdateId?: number, sent?: readonly number[]): Promise<void>;
  /**
   * The delivered answer of one of the user's conversations in this chat that Telegram shows as
   * message `telegramMessageId` (any of its parts), or null; read only for a reply to the bot.
   */
  findAnswerBySent(
    key: Pick<ConversationKey, 'userId' | 'chatId'>,
    telegramMessageId: number,
  ): Promise<Message | null>;
}

/** What appendCounted adds to the daily usage row of `userId` for `day` (YYYY-MM-DD, UTC). */
export interface CountedUsage {
  userId: number;
  day: string;
  delta: UsageDelta;
}

export interface UsageRepository {
  /** Adds the delta to the user's row for `day` (YYYY-MM-DD), creating it; returns the new totals. */
  increment(userId: number, day: string, delta: UsageDelta): Promise<DailyUsage>;
  /**
   * Adds `delta` only when it fits `caps` (domain/quota.ts UsageCaps), checked and added in one
   * statement, so instances sharing the database can never both take the last unit of a quota.
   * Returns the new totals, or null when it does not fit (nothing is written). With `admitted`, a
   * reservation that fits also notes that update admitted (UpdateInboxRepository.wasAdmitted), in
   * the same transaction: a replay of it is then never charged twice, nor one refused let through.
   */
  reserve(
    userId: number,
    day: string,
    delta: UsageDelta,
    caps: UsageCaps,
    admitted?: { updateId: number; at: Date },
  ): Promise<DailyUsage | null>;
  /** Takes back what a reservation added and was not spent (never below zero; no row: nothing). */
  release(userId: number, day: string, delta: UsageDelta): Promise<void>;
  get(userId: number, day: string): Promise<DailyUsage>;
  listByUser(userId: number): Promise<DailyUsage[]>;
}

export interface BroadcastRepository {
  /** Stores a new broadcast, pending; status and times are the repository's. */
  create(
    input: Pick<Broadcast, 'id' | 'text' | 'parseMode' | 'photo' | 'audience' | 'ratePerSecond'> & {
      now?: Date;
    },
  ): Promise<Broadcast>;
  get(id: string): Promise<Broadcast | null>;
  list(): Promise<Broadcast[]>;
  setStatus(id: string, status: Broadcast['status'], now?: Date): Promise<void>;
  /** Inserts a pending delivery for each user id not already present; returns how many were added. */
  enqueueRecipients(broadcastId: string, userIds: number[]): Promise<number>;
  /** Pending deliveries (and ones left `sending` by a crash), oldest first. */
  pendingDeliveries(broadcastId: string, limit: number): Promise<Delivery[]>;
  markDelivery(
    broadcastId: string,
    userId: number,
    status: DeliveryStatus,
    detail?: { error?: string; now?: Date },
  ): Promise<void>;
  deliveryCounts(broadcastId: string): Promise<Record<DeliveryStatus, number>>;
  /** Every delivery to one user, across broadcasts, oldest broadcast first (for the data export). */
  deliveriesToUser(userId: number): Promise<Delivery[]>;
}

export interface ApiKeyRepository {
  create(input: {
    name: string;
    hash: string;
    scopes: string[];
    expiresAt?: Date | null;
    now?: Date;
  }): Promise<ApiKey>;
  findByHash(hash: string): Promise<ApiKey | null>;
  list(): Promise<ApiKey[]>;
  /** Sets revokedAt (a second revoke keeps the first time); the key, or null when there is no such id. */
  revoke(id: number, now?: Date): Promise<ApiKey | null>;
  touch(id: number, now?: Date): Promise<void>;
}

/**
 * Sign-in links and panel sessions, by the hashes of their tokens (the tokens themselves are
 * never stored).
 */
export interface AdminSessionRepository {
  createLink(input: {
    role: string;
    linkHash: string;
    linkExpiresAt: Date;
    createdBy: string;
    now?: Date;
  }): Promise<AdminSession>;
  /**
   * Spends the link in one conditional write: null when it is unknown, already opened, revoked or
   * past its expiry, so two racing opens give one session.
   */
  redeem(input: {
    linkHash: string;
    sessionHash: string;
    expiresAt: Date;
    address: string | null;
    now?: Date;
  }): Promise<AdminSession | null>;
  findBySession(sessionHash: string): Promise<AdminSession | null>;
  find(id: number): Promise<AdminSession | null>;
  /** Moves a live session's end; no-op on a revoked one. */
  extend(id: number, expiresAt: Date): Promise<void>;
  /** Sets revokedAt (a second revoke keeps the first time); null when there is no such id. */
  revoke(id: number, now?: Date): Promise<AdminSession | null>;
  /** Revokes every link and session not yet revoked; how many. */
  revokeAll(now?: Date): Promise<number>;
  /** Newest first. */
  list(limit?: number): Promise<AdminSession[]>;
}

export interface AuditRepository {
  record(
    entry: Omit<AuditEntry, 'id' | 'at' | 'address'> & { at?: Date; address?: string | null },
  ): Promise<AuditEntry>;
  /** Newest first; `beforeId` pages on (entries older than that one). */
  list(page?: { limit?: number; beforeId?: number }): Promise<AuditEntry[]>;
}

/** The audio a user turn came from (voice notes, audio files, video notes); cascades with its message. */
export interface AudioFileRepository {
  add(file: Omit<AudioFile, 'id' | 'createdAt'> & { createdAt?: Date }): Promise<AudioFile>;
  /** The audio rows of one message, oldest first. */
  listByMessage(messageId: number): Promise<AudioFile[]>;
  /** The audio rows of every message in the user's conversations, oldest first (for the data export). */
  listByUser(userId: number): Promise<AudioFile[]>;
}

/** The inbox behind "at least once, answered once": updates are stored before acknowledging them. */
export interface UpdateInboxRepository {
  /** Stores the update; false when this update_id is already known (a duplicate). */
  record(update: NewStoredUpdate, now?: Date): Promise<boolean>;
  /**
   * Stores a batch (one getUpdates answer) in one statement or transaction: all of it or none. A
   * failure leaves nothing stored, so the whole batch comes again and none of it is then taken for
   * a duplicate. One result per update, in order: false for an update_id already stored or earlier
   * in the batch.
   */
  recordMany(updates: readonly NewStoredUpdate[], now?: Date): Promise<boolean[]>;
  markDone(updateId: number, now?: Date): Promise<void>;
  /** Recorded but never marked done (a crash mid-answer), oldest first. */
  pending(limit: number): Promise<StoredUpdate[]>;
  /**
   * Takes pending updates nobody answers any more, oldest first, leasing them to `owner` until
   * `leaseUntil`: those with no owner, a lease run out by `now`, or an owner whose instance is
   * gone (its claim released: DatabaseGuard.holdInstance). Of concurrent claimers each update
   * goes to exactly one; an update a live instance holds under lease is never taken.
   */
  claimStale(owner: string, leaseUntil: Date, limit: number, now?: Date): Promise<StoredUpdate[]>;
  /** Extends the lease of every pending update `owner` holds (it is still working); returns how many. */
  renewLeases(owner: string, leaseUntil: Date): Promise<number>;
  /**
   * The ids of the chat's pending updates older than `updateId`, oldest first, at most `limit`:
   * per-chat order across instances, the oldest unanswered update of a chat goes first.
   */
  olderPending(chatKey: string, updateId: number, limit: number): Promise<number[]>;
  /** How many updates are pending (for the backlog metric; an index count, no payloads read). */
  countPending(): Promise<number>;
  /**
   * Notes that the bot admitted the update (its limits passed, its question charged). On SQLite it
   * joins the transaction of a write asked for in the same turn (the quota reservation).
   */
  markAdmitted(updateId: number, now?: Date): Promise<void>;
  /** Whether markAdmitted was noted for the update: a replay is charged again only when it was not. */
  wasAdmitted(updateId: number): Promise<boolean>;
  /** Remembers the message a group answer's stream created for this update (its preview). */
  setReplyMessage(updateId: number, messageId: number): Promise<void>;
  /** The message setReplyMessage remembered, null when none: a replay edits it into the answer. */
  replyMessage(updateId: number): Promise<number | null>;
  /** Deletes done (and rejected) updates settled before the cutoff; returns how many. */
  pruneDone(olderThan: Date): Promise<number>;
}

/**
 * Telegram's flood wait (a 429 with `retry_after`) is per bot token, so every process sending with
 * the token (each daemon instance, `botctl broadcast`) shares it through this one row per bot.
 */
export interface FloodRepository {
  /** The stored end of the bot's flood wait (possibly already past); null when none was recorded. */
  until(botId: number): Promise<Date | null>;
  /** Records a flood wait ending at `until`, in one upsert; a later end already stored is kept. */
  extend(botId: number, until: Date): Promise<void>;
}

/** What successful_payment reports, as recorded. */
export type NewPayment = Pick<
  Payment,
  'chargeId' | 'userId' | 'amount' | 'currency' | 'payload' | 'periodDays'
>;

/** Telegram Stars payments and the premium each granted. */
export interface PaymentRepository {
  /**
   * Records the payment and applies `grant` (what the user's role and premium end become) in one
   * transaction. A charge id already recorded changes nothing: `recorded` false, the stored row.
   */
  record(
    payment: NewPayment,
    grant: (user: User) => PremiumChange,
    now?: Date,
  ): Promise<{ recorded: boolean; payment: Payment; user: User }>;
  get(chargeId: string): Promise<Payment | null>;
  /** Newest first; `userId`: one user's. */
  list(filter?: { userId?: number; limit?: number }): Promise<Payment[]>;
  /**
   * Marks the payment refunded and applies `revoke` to its user in one transaction; null when
   * there is no such charge, `refunded` false (nothing changed) when it already was.
   */
  markRefunded(
    chargeId: string,
    revoke: (user: User, payment: Payment) => PremiumChange,
    now?: Date,
  ): Promise<{ refunded: boolean; payment: Payment; user: User } | null>;
  /** Payments made in [since, until) in `currency`: how many, their sum, and how many of them were refunded. */
  totals(since: Date, until: Date, currency: string): Promise<PaymentTotals>;
}

export interface PaymentTotals {
  payments: number;
  /** Sum of the payments not refunded. */
  amount: number;
  refunded: number;
}

export interface Repositories {
  readonly dialect: Dialect;
  readonly users: UserRepository;
  readonly conversations: ConversationRepository;
  readonly usage: UsageRepository;
  readonly broadcasts: BroadcastRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly audit: AuditRepository;
  readonly adminSessions: AdminSessionRepository;
  readonly updates: UpdateInboxRepository;
  readonly audioFiles: AudioFileRepository;
  readonly stats: StatsRepository;
  readonly flood: FloodRepository;
  readonly outbox: OutboxRepository;
  readonly payments: PaymentRepository;
  /** Throws DATABASE_UNREACHABLE when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
