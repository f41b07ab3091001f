/**
 * Who may talk to the bot, and how much: identifies the sender (creating the user on first
 * contact), then applies, in order, ban, allow-list, rate limit and daily quota.
 * Rate-limit buckets live in the cache, so instances sharing Redis share them.
 */
import type { Role, TelegramProfile, User } from '../domain/entities.js';
import type { Cache, UserRepository, UsageRepository } from '../domain/ports.js';
import { checkQuota, nextResetAt, utcDay, type QuotaLimits } from '../domain/quota.js';
import { takeToken } from '../domain/rate-limit.js';

export interface AccessConfig {
  access: 'open' | 'allowlist';
  allowlist: readonly number[];
  admins: readonly number[];
  rateLimit: { burst: number; perMinute: number };
  quotas: Readonly<Record<Role, QuotaLimits>>;
}

export type AccessDecision =
  | { allowed: true; user: User }
  | { allowed: false; user: User; reason: 'banned'; firstNotice: boolean }
  | { allowed: false; user: User; reason: 'not-allowed' }
  | { allowed: false; user: User; reason: 'rate-limited'; retryAfterSeconds: number }
  | { allowed: false; user: User; reason: 'quota'; exceeded: string; resetsAt: Date };

const USER_TTL_MS = 5 * 60_000;

export function createAccessService(deps: {
  users: UserRepository;
  usage: UsageRepository;
  cache: Cache;
  config: AccessConfig;
  now: () => Date;
}) {
  const { users, usage, cache, config, now } = deps;

  /** Creates or refreshes the user; admins from config get the admin role. */
  async function identify(profile: TelegramProfile): Promise<User> {
    const cached = await cache.get<User>(userKey(profile.telegramId));
    if (cached && sameProfile(cached, profile)) return revive(cached);
    let user = await users.upsertFromTelegram(profile, now());
    if (config.admins.includes(profile.telegramId) && user.role !== 'admin') user = await users.setRole(user.id, 'admin');
    await cache.set(userKey(profile.telegramId), user, USER_TTL_MS);
    return user;
  }

  /** Decides whether this user may send one more message now. */
  async function admit(user: User): Promise<AccessDecision> {
    if (user.status === 'banned') {
      const noticeKey = `ban-notice:${user.telegramId}`;
      const firstNotice = (await cache.get<boolean>(noticeKey)) !== true;
      if (firstNotice) await cache.set(noticeKey, true);
      return { allowed: false, user, reason: 'banned', firstNotice };
    }
    const listed = config.allowlist.includes(user.telegramId) || config.admins.includes(user.telegramId);
    if (config.access === 'allowlist' && !listed) return { allowed: false, user, reason: 'not-allowed' };
    if (user.role !== 'admin') {
      const at = now().getTime();
      const bucketKey = `rate:${user.telegramId}`;
      const taken = takeToken(await cache.get(bucketKey), config.rateLimit, at);
      await cache.set(bucketKey, taken.state, 10 * 60_000);
      if (!taken.allowed) {
        return { allowed: false, user, reason: 'rate-limited', retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000) };
      }
    }
    const today = await usage.get(user.id, utcDay(now()));
    const quota = checkQuota(today, config.quotas[user.role]);
    if (!quota.ok) return { allowed: false, user, reason: 'quota', exceeded: quota.exceeded, resetsAt: nextResetAt(now()) };
    return { allowed: true, user };
  }

  /** Drops the cached copy after a change (settings, role, status). */
  async function forget(telegramId: number): Promise<void> {
    await cache.delete(userKey(telegramId));
  }

  return { identify, admit, forget };
}

export type AccessService = ReturnType<typeof createAccessService>;

const userKey = (telegramId: number) => `user:${telegramId}`;

function sameProfile(user: User, profile: TelegramProfile): boolean {
  return (
    user.username === profile.username &&
    user.firstName === profile.firstName &&
    user.lastName === profile.lastName &&
    user.languageCode === profile.languageCode
  );
}

/** Dates come back from a JSON cache as strings. */
function revive(user: User): User {
  return { ...user, createdAt: new Date(user.createdAt), lastSeenAt: new Date(user.lastSeenAt) };
}
