/**
 * Ports: what the services need from the outside world. Adapters implement them;
 * services and edges see only these types. Storage ports have one contract suite
 * (test/contracts/) that every implementation passes.
 */
import type {
  ApiKey,
  AudioFile,
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
  NewStoredUpdate,
  StoredUpdate,
  TelegramProfile,
  UsageDelta,
  User,
  UserSettings,
  UserStatus,
} from '../entities.js';
import type { BotctlError } from '../errors.js';

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
  /** The last `limit` messages of the conversation, oldest first. */
  getContext(conversationId: number, limit: number): Promise<Message[]>;
  /** Messages with id > afterId, oldest first (summaries cover the rest). */
  messagesAfter(conversationId: number, afterId: number, limit: number): Promise<Message[]>;
  countMessages(conversationId: number): Promise<number>;
  deleteMessage(id: number): Promise<void>;
  /** One message by id (e.g. the answer a "speak" button points at); null when it is gone. */
  getMessage(id: number): Promise<Message | null>;
  /** Records that Telegram accepted this answer: from now on a replay takes it as answered. */
  markDelivered(id: number, at: Date): Promise<void>;
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
  /** Every delivery to one user, across broadcasts, oldest broadcast first (for the data export). */
  deliveriesToUser(userId: number): Promise<Delivery[]>;
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
  markDone(updateId: number, now?: Date): Promise<void>;
  /** Recorded but never marked done (a crash mid-answer), oldest first. */
  pending(limit: number): Promise<StoredUpdate[]>;
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

/** Operator statistics over [since, until): UTC days, `until` exclusive. */
export interface StatsSummary {
  /** Users created before `until`; `new`: created in the period; status counts are current. */
  users: { total: number; new: number; banned: number; blocked: number };
  /** Distinct users with a usage row in the last 1, 7 and 30 UTC days ending with the period's last day. */
  active: { day1: number; day7: number; day30: number };
  /** Stored messages created in the period, by role. */
  messages: { user: number; model: number };
  /** daily_usage summed over the period's days: every request, including images, speech and inline answers. */
  usage: { messages: number; tokensIn: number; tokensOut: number; audioSeconds: number; images: number };
  /** Stored answers (model rows) per model, most tokens first; `model` null when none was recorded. */
  models: { model: string | null; answers: number; tokensIn: number; tokensOut: number }[];
  /** Answer latency over model rows with a latency (percentile_cont: interpolated), null when none. */
  latency: { samples: number; p50Ms: number | null; p95Ms: number | null };
}

export interface StatsDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Users with a usage row that day. */
  activeUsers: number;
  userMessages: number;
  modelMessages: number;
}

export interface UserActivity {
  conversations: number;
  messages: number;
  lastMessageAt: Date | null;
}

/** Aggregations for `botctl stats` and `botctl users show`, computed in the database. */
export interface StatsRepository {
  summary(since: Date, until: Date): Promise<StatsSummary>;
  /** Days of [since, until) that have activity or messages, oldest first (quiet days are absent). */
  daily(since: Date, until: Date): Promise<StatsDay[]>;
  userActivity(userId: number): Promise<UserActivity>;
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
  readonly audioFiles: AudioFileRepository;
  readonly stats: StatsRepository;
  readonly flood: FloodRepository;
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
  /**
   * A deterministic keyed fingerprint of `value` (HMAC-SHA256 under the sealing key), for lookup
   * keys that must find a value without revealing it; `value` itself when encryption is off.
   */
  tag(value: string): string;
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

/* ---- Outbound services beyond storage ---- */

export type ChatPart =
  | { text: string }
  /** Bytes sent inline (base64), e.g. a voice note or a photo. */
  | { inlineData: { mimeType: string; data: string } }
  /** A file uploaded to the model provider's file store. */
  | { fileData: { mimeType: string; fileUri: string } };

export interface ChatTurn {
  role: 'user' | 'model';
  parts: ChatPart[];
}

export interface ChatRequest {
  model: string;
  systemInstruction?: string;
  turns: ChatTurn[];
  maxOutputTokens?: number;
  /** Aborts the call (/stop, shutdown, timeout). */
  signal?: AbortSignal;
  /** Non-text output: speech in the named voice (TTS models) or an image (image models). Default: text. */
  output?: { kind: 'speech'; voice: string } | { kind: 'image' };
}

export interface ChatResult {
  text: string;
  tokensIn: number;
  tokensOut: number;
  /** The provider's finish reason (STOP, MAX_TOKENS, ...), null when absent. */
  finishReason: string | null;
  model: string;
  /** Audio or image parts of the answer (base64), for requests with `output`. */
  media?: { mimeType: string; data: string }[];
}

export interface ModelInfo {
  /** Id without the `models/` prefix, as used in config. */
  id: string;
  displayName: string | null;
  methods: string[];
}

/**
 * The language model. Implementations translate provider errors into BotctlErrors:
 * GEMINI_UNAUTHORIZED (bad key), GEMINI_UNAVAILABLE (429/5xx/timeout/network; retryable,
 * with params.retryAfterSeconds when the provider said so; 400s are not retryable),
 * GEMINI_BLOCKED (prompt or answer blocked for safety), GEMINI_EMPTY (no answer at all).
 */
export interface ChatModel {
  /** Streams the answer; onText gets each new piece and the text so far. */
  stream(request: ChatRequest, onText: (delta: string, soFar: string) => void): Promise<ChatResult>;
  generate(request: ChatRequest): Promise<ChatResult>;
  listModels(): Promise<ModelInfo[]>;
}

/**
 * A key-value cache (memory, or Redis shared by several instances). A cache outage
 * degrades to "no cache": reads return undefined and writes are dropped, never thrown.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** True when the backing store answers (readiness). */
  ping(): Promise<boolean>;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The IANA zones whose borders contain a point (degrees): usually one, several on a border,
 * Etc/GMT±N at sea. Throws on coordinates out of range.
 */
export type ZoneLookup = (latitude: number, longitude: number) => Promise<readonly string[]>;

export interface Clock {
  now(): Date;
}

/**
 * What one Telegram send came to. Only `sent` means the user got it; `rate-limited` and a
 * `failed` with delivered 'no' mean Telegram did not deliver, so resending is safe.
 */
export type SendOutcome =
  | { kind: 'sent'; messageId: number }
  /** 403: the user blocked the bot, deleted the account, or never started it. */
  | { kind: 'blocked'; description: string }
  /** 429: Telegram wants every send from this token paused this long. */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** 400 about the message itself (markup, length, photo): every recipient would fail alike. */
  | { kind: 'rejected'; error: BotctlError }
  /** Anything else; `delivered: 'unknown'` when the request may have reached Telegram (timeout, reset). */
  | { kind: 'failed'; error: BotctlError; delivered: 'no' | 'unknown' };

export interface OutgoingMessage {
  /** Already Telegram HTML when parseMode is 'HTML'. */
  text: string;
  parseMode: 'HTML' | null;
}

/**
 * Outbound Telegram messages outside an update (broadcasts, notices). Never throws for a
 * Telegram answer: every outcome is a SendOutcome, so callers can record it.
 */
export interface Messenger {
  /**
   * Milliseconds until Telegram takes sends from this bot again, as far as every process sharing
   * the token has learnt from 429s (0: now). A broadcast pauses its pacing for it.
   */
  floodWaitMs(): Promise<number>;
  sendText(chatId: number, message: OutgoingMessage): Promise<SendOutcome>;
  /** photo: an absolute file path (uploaded once, then reused by file_id), a file_id or an http(s) URL. */
  sendPhoto(chatId: number, photo: string, caption: OutgoingMessage): Promise<SendOutcome>;
}

/* ---- Media: files in, speech and pictures out ---- */

/** Telegram's files (getFile, then the download). */
export interface FileDownloader {
  /**
   * The file's bytes. INPUT_TOO_LARGE when Telegram or the bytes exceed maxBytes (checked as they
   * arrive, whatever size was declared); TELEGRAM_ERROR otherwise. Errors never carry the URL.
   */
  download(fileId: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Uint8Array>;
}

/** The model provider's file store, for media too large to send inline. */
export interface FileUploader {
  /** Uploads and waits until the file is usable; the uri goes into a `fileData` part. */
  uploadFile(input: {
    bytes: Uint8Array;
    mimeType: string;
    displayName?: string;
    signal?: AbortSignal;
  }): Promise<{ uri: string; mimeType: string }>;
}

/** Encodes speech for Telegram voice notes. */
export interface AudioEncoder {
  /** Whether the encoder can run here (ffmpeg installed); probed once. */
  available(): Promise<boolean>;
  /** 16-bit little-endian mono PCM -> OGG/Opus; throws INTERNAL when the encoder fails. */
  pcmToOggOpus(pcm: Uint8Array, sampleRate: number): Promise<Uint8Array>;
}

/** Keeps copies of users' audio when the operator asked for it (keepAudio). */
export interface MediaArchive {
  /** Stores the bytes under `name` and returns the stored path. */
  save(name: string, bytes: Uint8Array): Promise<string>;
}

/* ---- Backups ---- */

/** A point in the migration history: the last applied migration's id and tag. */
export interface SchemaVersion {
  id: number;
  tag: string;
}

export type BackupReason = 'manual' | 'pre-migrate' | 'pre-rollback' | 'pre-restore';

/** manifest.json beside the payload; everything `backup list` shows comes from here. */
export interface BackupManifest {
  /** Archive layout version (1: a directory holding manifest.json and one payload file). */
  format: 1;
  id: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  botctlVersion: string;
  dialect: Dialect;
  /** Last applied migration in the copy (read from the copy's own ledger). */
  schema: SchemaVersion;
  reason: BackupReason;
  encrypted: boolean;
  /** gzip: a SQLite file gzipped; pg-custom: pg_dump --format=custom (compressed by pg_dump). */
  compression: 'gzip' | 'pg-custom';
  /** Size of the database copy before compression and encryption. */
  databaseBytes: number;
  /** The one payload file: its name in the backup directory, size and sha256 (hex) as stored. */
  payload: { file: string; bytes: number; sha256: string };
  durationMs: number;
}

export interface StoredBackup {
  /** The backup directory. */
  readonly path: string;
  readonly manifest: BackupManifest;
}

export interface DatabaseCopyInfo {
  schema: SchemaVersion;
  bytes: number;
}

/**
 * The configured live database as a whole: consistent copies out (while the daemon writes),
 * all-or-nothing replacement in. SQLite copies are database files, Postgres copies are
 * pg_dump custom-format archives.
 */
export interface DatabaseSnapshotter {
  readonly dialect: Dialect;
  /** Where the database lives, password redacted (for messages). */
  readonly target: string;
  /** exists: the database holds at least one table; schema: its last applied migration, if any. */
  inspect(): Promise<{ exists: boolean; schema: SchemaVersion | null }>;
  /** Writes a consistent copy to `file`; NOT_FOUND when the database has no botctl schema. */
  snapshot(file: string): Promise<DatabaseCopyInfo>;
  /** A temp file to unpack a copy into before replace() (beside a SQLite file, so the rename is atomic). */
  scratchFile(): Promise<{ file: string; cleanup(): Promise<void> }>;
  /** Replaces the live database with the checked copy at `file`, all or nothing. */
  replace(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Who is using the live database: every running daemon holds it shared for its whole life; a
 * restore holds it exclusively, so it cannot replace the database under a daemon (whose writes
 * would go on into the replaced file or the dropped tables) and no daemon starts mid-restore.
 * The hold dies with its process (an OS file lock, a Postgres session lock), so a crash never
 * leaves it behind.
 */
export interface DatabaseGuard {
  /** For a daemon; several may hold it at once. LOCKED (exit 75) while a restore holds it. */
  holdShared(): Promise<DatabaseHold>;
  /**
   * For a restore or a rollback. LOCKED (exit 75) while any daemon holds it; `danger` says what
   * going ahead under a running bot would do, for the refusal.
   */
  holdExclusive(danger: string): Promise<DatabaseHold>;
}

export interface DatabaseHold {
  release(): Promise<void>;
}

/** Opens a copy of either dialect and checks it (integrity, ledger present); throws BACKUP_CORRUPT. */
export interface SnapshotChecker {
  check(dialect: Dialect, file: string): Promise<DatabaseCopyInfo>;
}

/** A backup being written in a hidden staging directory: invisible until commit(). */
export interface BackupStaging {
  /** Where the snapshotter writes the raw copy. */
  readonly rawFile: string;
  /** Compresses and/or encrypts rawFile into the payload file, then deletes rawFile. */
  pack(options: { dialect: Dialect; passphrase?: string }): Promise<BackupManifest['payload']>;
  /** Writes the manifest and moves the directory into place atomically. */
  commit(manifest: BackupManifest): Promise<StoredBackup>;
  abort(): Promise<void>;
}

/** The backup directory. Failures to write it are BACKUP_FAILED, damage is BACKUP_CORRUPT. */
export interface BackupStore {
  readonly dir: string;
  /** Cron-safe: LOCKED (exit 75) while another live process holds it; a crashed holder's lock is taken over. */
  lock(what: string): Promise<{ release(): void }>;
  /** Backups, newest first; directories without a readable manifest are named in `unreadable`. */
  list(): Promise<{ backups: StoredBackup[]; unreadable: string[] }>;
  /** An id in the store, or a path to a backup directory or its manifest.json; NOT_FOUND otherwise. */
  resolve(ref: string): Promise<StoredBackup>;
  stage(id: string): Promise<BackupStaging>;
  /** Checks size and checksum, decrypts and decompresses the payload into `file`. */
  unpack(backup: StoredBackup, file: string, passphrase?: string): Promise<void>;
  /** A private temp file for verifying a copy. */
  scratchFile(): Promise<{ file: string; cleanup(): Promise<void> }>;
  remove(backup: StoredBackup): Promise<void>;
  /** Removes staging directories left by a crashed run (call while holding the lock). */
  sweep(): Promise<void>;
}
