/** Entities: the plain data the services work on. No I/O here. */
import type { Source } from './grounding.js';

export const ROLES = ['user', 'premium', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'blocked', 'banned'] as const;
/** blocked: the user blocked the bot (Telegram 403); banned: an operator banned the user. */
export type UserStatus = (typeof USER_STATUSES)[number];

export const DETAIL_LEVELS = ['brief', 'normal', 'detailed'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export const VOICE_REPLY_MODES = ['off', 'voice', 'always'] as const;
/** off: text only; voice: speak answers to voice questions; always: speak every answer. */
type VoiceReplyMode = (typeof VOICE_REPLY_MODES)[number];

export interface UserSettings {
  persona: string;
  /** The user's own system prompt; encrypted at rest when a key is configured. */
  customPrompt: string | null;
  detailLevel: DetailLevel;
  /** IANA zone name. */
  timezone: string;
  voiceReplies: VoiceReplyMode;
  /** Null: the operator's default model. */
  model: string | null;
  showTranscript: boolean;
  suggestions: boolean;
  /** Answers grounded in Google Search, when the operator leaves it to the user (searchGrounding auto). */
  search: boolean;
}

export const DEFAULT_USER_SETTINGS: Readonly<UserSettings> = Object.freeze({
  persona: 'assistant',
  customPrompt: null,
  detailLevel: 'normal',
  timezone: 'UTC',
  voiceReplies: 'off',
  model: null,
  showTranscript: false,
  suggestions: false,
  search: true,
});

export interface TelegramProfile {
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Telegram's language_code, from which a new user's language is decided (userLanguageFor). */
  languageCode: string | null;
}

/** What first contact stores: the profile and the language decided for a new user. */
export interface FirstContact extends TelegramProfile {
  /** userLanguageFor(languageCode); stored only when the user is created, later contacts keep theirs. */
  language: string;
}

export interface User extends FirstContact {
  id: number;
  /** The user's language (settings-rules.ts userLanguageFor); the interface uses it where a locale exists. */
  language: string;
  role: Role;
  status: UserStatus;
  settings: UserSettings;
  /** Per-user daily limits over the role's (0 unlimited); null: the role's quota as is. */
  quotaOverrides: QuotaOverrides | null;
  /**
   * When paid premium ends (domain/premium.ts): past it the role is user again. Null: no paid
   * premium running (a premium or admin role the operator set has no end).
   */
  premiumUntil: Date | null;
  createdAt: Date;
  lastSeenAt: Date;
}

/** Limits that replace the role's for one user (domain/quota.ts limitsFor); absent ones keep the role's. */
export interface QuotaOverrides {
  messagesPerDay?: number;
  tokensPerDay?: number;
  imagesPerDay?: number;
  audioSecondsPerDay?: number;
  searchesPerDay?: number;
}

export interface Conversation {
  id: number;
  userId: number;
  chatId: number;
  threadId: number | null;
  startedAt: Date;
  endedAt: Date | null;
  title: string | null;
  /** Summary of the turns before `summaryUpToMessageId`; encrypted at rest when a key is configured. */
  summary: string | null;
  summaryUpToMessageId: number | null;
}

export type MessageRole = 'user' | 'model';

export interface NewMessage {
  conversationId: number;
  role: MessageRole;
  /** Encrypted at rest when a key is configured. */
  content: string;
  tokensIn?: number;
  tokensOut?: number;
  model?: string | null;
  latencyMs?: number | null;
  /** The Telegram message this row came from or was sent as. */
  telegramMessageId?: number | null;
  createdAt?: Date;
  /** Answers grounded in Google Search: their sources as shown (deduplicated, at most 5). */
  sources?: Source[] | null;
}

export interface Message {
  id: number;
  conversationId: number;
  role: MessageRole;
  content: string;
  tokensIn: number;
  tokensOut: number;
  model: string | null;
  latencyMs: number | null;
  telegramMessageId: number | null;
  createdAt: Date;
  /**
   * Answers: when Telegram accepted the answer; null while generated but not yet delivered
   * (a crash in between: the replay sends it). Always null on user turns.
   */
  deliveredAt: Date | null;
  /** Answers: the Telegram messages that show it, recorded at delivery; null before (and on user turns). */
  sentMessageIds: number[] | null;
  /** Answers grounded in Google Search: their sources (for /sources); null otherwise. */
  sources: Source[] | null;
}

export interface AudioFile {
  id: number;
  messageId: number;
  fileId: string;
  fileUniqueId: string;
  durationSec: number;
  mime: string | null;
  size: number | null;
  storedPath: string | null;
  createdAt: Date;
}

export interface UsageDelta {
  messages?: number;
  tokensIn?: number;
  tokensOut?: number;
  audioSeconds?: number;
  images?: number;
  /** Answers grounded in Google Search (domain/grounding.ts). */
  searches?: number;
}

export interface DailyUsage {
  userId: number;
  /** YYYY-MM-DD in UTC. */
  day: string;
  messages: number;
  tokensIn: number;
  tokensOut: number;
  audioSeconds: number;
  images: number;
  /** Answers grounded in Google Search: billed per request, on a quota of their own. */
  searches: number;
}

export interface BroadcastAudience {
  /** Seen within this many days; absent: everyone. */
  activeWithinDays?: number;
  language?: string;
  role?: Role;
}

export type BroadcastStatus = 'pending' | 'running' | 'done' | 'cancelled';

export interface Broadcast {
  id: string;
  text: string;
  parseMode: 'HTML' | 'Markdown' | null;
  photo: string | null;
  audience: BroadcastAudience;
  ratePerSecond: number;
  status: BroadcastStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'blocked'] as const;
/** sending is written before the Telegram call and sent after it, so a crash leaves evidence. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  broadcastId: string;
  userId: number;
  telegramId: number;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  sentAt: Date | null;
}

export interface ApiKey {
  id: number;
  name: string;
  hash: string;
  scopes: string[];
  createdAt: Date;
  /** Recorded at most once a minute per key (services/api-keys), not on every request. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Null: never expires. */
  expiresAt: Date | null;
}

/** A sign-in link and, once opened, the panel session it became (one row: the link is single use). */
export interface AdminSession {
  id: number;
  role: string;
  /** Who asked for the link: "cli" or "user:<telegram id>". */
  createdBy: string;
  createdAt: Date;
  linkExpiresAt: Date;
  /** Null until the link is opened; a link opened once is spent. */
  signedInAt: Date | null;
  /** When the session ends unless refreshed; null before sign-in. */
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The address the link was opened from. */
  address: string | null;
}

export interface AuditEntry {
  id: number;
  at: Date;
  /** Who: "cli", "api:<key id>", "user:<telegram id>". */
  actor: string;
  action: string;
  target: string | null;
  /** The remote address of an API request; null for the CLI and the bot. */
  address: string | null;
  details: Record<string, unknown> | null;
}

export interface StoredUpdate {
  updateId: number;
  /** Chat (and topic) the update belongs to, for per-chat ordering on replay. */
  chatKey: string;
  /** Telegram id of the update's sender; null when it has none. Forgetting a user deletes by it. */
  fromId: number | null;
  payload: string;
  receivedAt: Date;
}

/**
 * What the intake stores for an update; the repository adds the time. With `rejected` (the reason)
 * the update is stored as already settled: never handled, never replayed, pruned like a done one.
 */
export type NewStoredUpdate = Omit<StoredUpdate, 'receivedAt'> & {
  rejected?: string;
  /** The instance that will answer it and until when (a pending update only); none: anyone may claim it. */
  lease?: { owner: string; until: Date };
};

/** A Telegram Stars payment for premium, as recorded when Telegram reported it (successful_payment). */
export interface Payment {
  id: number;
  /** Telegram's telegram_payment_charge_id: unique, what a refund names. */
  chargeId: string;
  userId: number;
  /** The payer's Telegram id (refundStarPayment needs it); read through the user. */
  telegramId: number;
  /** Whole Stars for XTR. */
  amount: number;
  currency: string;
  payload: string;
  periodDays: number;
  /** The user's premium end this payment set. */
  premiumUntil: Date;
  createdAt: Date;
  refundedAt: Date | null;
}
