/** What `botctl users` commands return: the shapes of their --json results, and how a user and a quota read. */
import type {
  DailyUsage,
  QuotaOverrides,
  Role,
  User,
  UserSettings,
  UserStatus,
} from '../../domain/entities.js';
import { checkQuota, type QuotaKind, type QuotaLimits } from '../../domain/quota.js';

export interface UserSummary {
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  language: string;
  role: Role;
  status: UserStatus;
  createdAt: string;
  lastSeenAt: string;
  /** When paid premium ends (ISO), or null: none, or a role set without an end. */
  premiumUntil: string | null;
}

/** limit null: unlimited (0 in the quota config). */
interface QuotaLine {
  used: number;
  limit: number | null;
}

export interface QuotaReport {
  day: string;
  role: Role;
  messages: QuotaLine;
  tokens: QuotaLine;
  images: QuotaLine;
  audioSeconds: QuotaLine;
  /** Answers grounded in Google Search. */
  searches: QuotaLine;
  /** The limit that stops the user's next message today, or null. */
  exceeded: QuotaKind | null;
  /** The user's own limits over the role's (set through the admin API), or null. */
  overrides: QuotaOverrides | null;
}

export interface UserDetails {
  user: UserSummary & { languageCode: string | null };
  /** The custom prompt is the user's data: its length unless revealed. */
  settings: Omit<UserSettings, 'customPrompt'> & {
    customPrompt: { length: number; text: string | null } | null;
  };
  activity: { conversations: number; messages: number; lastMessageAt: string | null };
  quota: QuotaReport;
}

export interface UserChange<T> {
  user: UserSummary;
  changed: boolean;
  from: T;
  to: T;
}

export interface ListInput {
  role?: Role;
  status?: UserStatus;
  language?: string;
  activeDays?: number;
  search?: string;
  limit: number;
  offset: number;
}

export const summarize = (u: User): UserSummary => ({
  telegramId: u.telegramId,
  username: u.username,
  firstName: u.firstName,
  lastName: u.lastName,
  language: u.language,
  role: u.role,
  status: u.status,
  createdAt: u.createdAt.toISOString(),
  lastSeenAt: u.lastSeenAt.toISOString(),
  premiumUntil: u.premiumUntil?.toISOString() ?? null,
});

/** Today's usage against the role's limits. */
export function quotaReport(
  used: DailyUsage,
  role: Role,
  limits: QuotaLimits,
  overrides: QuotaOverrides | null = null,
): QuotaReport {
  const line = (value: number, limit: number): QuotaLine => ({
    used: value,
    limit: limit > 0 ? limit : null,
  });
  const check = checkQuota(used, limits);
  return {
    day: used.day,
    role,
    messages: line(used.messages, limits.messagesPerDay),
    tokens: line(used.tokensIn + used.tokensOut, limits.tokensPerDay),
    images: line(used.images, limits.imagesPerDay),
    audioSeconds: line(used.audioSeconds, limits.audioSecondsPerDay),
    searches: line(used.searches, limits.searchesPerDay),
    exceeded: check.ok ? null : check.exceeded,
    overrides,
  };
}
