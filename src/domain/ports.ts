/**
 * Ports: what the services need from the outside world. Adapters implement them;
 * services and edges see only these types. Storage ports have one contract suite
 * (test/contracts/) that every implementation passes.
 */
import type {
  ApiKey,
  AuditEntry,
  Broadcast,
  BroadcastAudience,
  Conversation,
  DailyUsage,
  Delivery,
  DeliveryStatus,
  Message,
  NewMessage,
  Role,
  StoredUpdate,
  TelegramProfile,
  UsageDelta,
  User,
  UserSettings,
  UserStatus,
} from './entities.js';

export type Dialect = 'sqlite' | 'postgres';

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  language?: string;
  /** Seen at or after this instant. */
  activeSince?: Date;
  limit?: number;
  offset?: number;
}

export interface UserRepository {
  /** Creates the user on first contact, refreshes names and last-seen on later ones. */
  upsertFromTelegram(profile: TelegramProfile, now?: Date): Promise<User>;
  getByTelegramId(telegramId: number): Promise<User | null>;
  getById(id: number): Promise<User | null>;
  updateSettings(id: number, patch: Partial<UserSettings>): Promise<User>;
  setLanguage(id: number, language: string): Promise<User>;
  setRole(id: number, role: Role): Promise<User>;
  setStatus(id: number, status: UserStatus): Promise<User>;
  list(filter?: UserFilter): Promise<User[]>;
  count(filter?: Omit<UserFilter, 'limit' | 'offset'>): Promise<number>;
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
  /** Ends the open conversation for the key (kept, not deleted) and starts a new one. */
  start(key: ConversationKey, now?: Date): Promise<Conversation>;
  /** getActive, or start when there is none. */
  getOrStart(key: ConversationKey, now?: Date): Promise<Conversation>;
  getById(id: number): Promise<Conversation | null>;
  listByUser(userId: number, page?: { limit: number; offset: number }): Promise<Conversation[]>;
  setTitle(id: number, title: string): Promise<void>;
  /** Stores the running summary and the id of the last message it covers. */
  setSummary(id: number, summary: string, coversUpToMessageId: number): Promise<void>;
  delete(id: number): Promise<void>;
  appendMessage(message: NewMessage): Promise<Message>;
  /** The last `limit` messages of the conversation, oldest first. */
  getContext(conversationId: number, limit: number): Promise<Message[]>;
  /** Messages with id > afterId, oldest first (summaries cover the rest). */
  messagesAfter(conversationId: number, afterId: number, limit: number): Promise<Message[]>;
  countMessages(conversationId: number): Promise<number>;
  deleteMessage(id: number): Promise<void>;
}

export interface UsageRepository {
  /** Adds the delta to the user's row for `day` (YYYY-MM-DD), creating it; returns the new totals. */
  increment(userId: number, day: string, delta: UsageDelta): Promise<DailyUsage>;
  get(userId: number, day: string): Promise<DailyUsage>;
  listByUser(userId: number): Promise<DailyUsage[]>;
}

export interface BroadcastRepository {
  create(input: {
    id: string;
    text: string;
    parseMode: 'HTML' | 'Markdown' | null;
    photo: string | null;
    audience: BroadcastAudience;
    ratePerSecond: number;
    now?: Date;
  }): Promise<Broadcast>;
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
}

export interface ApiKeyRepository {
  create(input: { name: string; hash: string; scopes: string[]; now?: Date }): Promise<ApiKey>;
  findByHash(hash: string): Promise<ApiKey | null>;
  list(): Promise<ApiKey[]>;
  revoke(id: number, now?: Date): Promise<void>;
  touch(id: number, now?: Date): Promise<void>;
}

export interface AuditRepository {
  record(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: Date }): Promise<AuditEntry>;
  list(limit?: number): Promise<AuditEntry[]>;
}

/** The inbox behind "at least once, answered once": updates are stored before acknowledging them. */
export interface UpdateInboxRepository {
  /** Stores the update; false when this update_id is already known (a duplicate). */
  record(updateId: number, chatKey: string, payload: string, now?: Date): Promise<boolean>;
  markDone(updateId: number, now?: Date): Promise<void>;
  /** Recorded but never marked done (a crash mid-answer), oldest first. */
  pending(limit: number): Promise<StoredUpdate[]>;
  /** Deletes done updates older than the cutoff; returns how many. */
  pruneDone(olderThan: Date): Promise<number>;
}

export interface Repositories {
  readonly dialect: Dialect;
  readonly users: UserRepository;
  readonly conversations: ConversationRepository;
  readonly usage: UsageRepository;
  readonly broadcasts: BroadcastRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly audit: AuditRepository;
  readonly updates: UpdateInboxRepository;
  /** Throws DATABASE_UNREACHABLE when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Encrypts personal fields at rest. Implementations tag each value with the key id
 * that sealed it, so keys can rotate: the first key seals, every known key opens.
 */
export interface FieldCipher {
  readonly enabled: boolean;
  seal(plain: string): string;
  /** Throws DECRYPTION_FAILED when no known key opens the value. */
  open(stored: string): string;
}

export interface MigrationState {
  id: number;
  tag: string;
  applied: boolean;
  appliedAt: Date | null;
}

export interface MigrationStatus {
  dialect: Dialect;
  /** Highest applied migration id, -1 when none. */
  current: number;
  /** Highest migration id the code knows. */
  latest: number;
  pending: number;
  migrations: MigrationState[];
}

export interface Migrator {
  status(): Promise<MigrationStatus>;
  /** Applies pending migrations up to `to` (inclusive; default all). Returns the tags applied. */
  up(to?: number): Promise<string[]>;
  /** Rolls back to `to` (the id that stays applied; -1 for an empty schema; default one step). */
  down(to?: number): Promise<string[]>;
}
