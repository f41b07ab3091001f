/**
 * Who may talk to the bot, and how much: identifies the sender (creating the user on first
 * contact), then applies, in order, ban, allow-list, rate limit and daily quota.
 * Rate-limit buckets live in the cache, so instances sharing Redis share them (one atomic step each);
 * a question is reserved in today's usage by one conditional statement (holds.ts), so instances
 * sharing the database can never both take the last question of a quota.
 */
import type { Role, TelegramProfile, User } from '../../domain/entities.js';
import type { EventData, EventType } from '../../domain/events.js';
import type { EventPublisher } from '../events/index.js';
import type {
  Cache,
  UpdateInboxRepository,
  UserRepository,
  UsageRepository,
} from '../../domain/ports/index.js';
import { checkQuota, limitsFor, nextResetAt, utcDay, type QuotaLimits } from '../../domain/quota.js';
import { createQuotaHolds, type UsageHold } from './holds.js';
import { userLanguageFor } from '../../domain/settings-rules.js';
import { premiumExpired } from '../../domain/premium.js';

export interface AccessConfig {
  access: 'open' | 'allowlist';
  allowlist: readonly number[];
  admins: readonly number[];
  rateLimit: { burst: number; perMinute: number };
  quotas: Readonly<Record<Role, QuotaLimits>>;
}

export type AccessDecision =
  /** hold: the question reserved in today's usage; released when it is not asked after all. */
  | { allowed: true; user: User; hold?: UsageHold }
  | { allowed: false; user: User; reason: 'banned'; firstNotice: boolean }
  | { allowed: false; user: User; reason: 'not-allowed' }
  | { allowed: false; user: User; reason: 'rate-limited'; retryAfterSeconds: number }
  | { allowed: false; user: User; reason: 'quota'; exceeded: string; resetsAt: Date };

const USER_TTL_MS = 5 * 60_000;

/**
 * How long a cached user is trusted before its row is read again. `botctl users ban|unban|role`
 * runs in another process and cannot reach this process's memory cache, so a change it makes
 * reaches the bot within this time, with or without Redis. One indexed read per active user.
 */
export const USER_RECHECK_MS = 30_000;

/** savedAt: when the row was last upserted (refreshing last-seen); checkedAt: when last read. */
interface CachedUser {
  user: User;
  savedAt: number;
  checkedAt: number;
}

export function createAccessService(deps: {
  users: UserRepository;
  usage: UsageRepository;
  cache: Cache;
  config: AccessConfig;
  now: () => Date;
  /** Default USER_RECHECK_MS. */
  recheckMs?: number;
  /** Told of each refusal by the daily quota (user id), for the "many users at their quota" alert; returns at once. */
  onQuotaRefused?: (userId: number) => void;
  /** Event webhooks: user.created goes with the new user's row. */
  events?: EventPublisher;
  /** Which updates were admitted before: a replay is let through uncharged only when it was. */
  admissions?: Pick<UpdateInboxRepository, 'markAdmitted' | 'wasAdmitted'>;
  /** A standalone event (quota.exceeded, which changes no row); returns at once. */
  publish?: (type: EventType, data: EventData) => void;
}) {
  const { users, usage, cache, config, now } = deps;
  const recheckMs = deps.recheckMs ?? USER_RECHECK_MS;
  const holds = createQuotaHolds({ usage, quotas: config.quotas, now });

  /** Admins from config get the admin role; paid premium past its end is the user role again (lazily, here). */
  async function settle(user: User): Promise<User> {
    if (config.admins.includes(user.telegramId) && user.role !== 'admin')
      return users.setRole(user.id, 'admin');
    if (!premiumExpired(user, now())) return user;
    const [expired] = await users.expirePremium(now(), user.id);
    return expired ?? (await users.getById(user.id)) ?? user;
  }

  /** Creates or refreshes the user; admins from config get the admin role. */
  async function identify(profile: TelegramProfile): Promise<User> {
    const key = userKey(profile.telegramId);
    const at = now().getTime();
    const cached = await cache.get<CachedUser>(key);
    if (cached?.user && sameProfile(cached.user, profile) && at - cached.savedAt < USER_TTL_MS) {
      const kept = revive(cached.user);
      if (at - cached.checkedAt < recheckMs && !premiumExpired(kept, now())) return kept;
      const fresh = await users.getByTelegramId(profile.telegramId);
      if (fresh) {
        // An unbanned user banned again later gets a fresh notice.
        const unbanned = cached.user.status === 'banned' && fresh.status !== 'banned';
        if (unbanned) await cache.delete(banNoticeKey(fresh.telegramId));
        const user = await settle(fresh);
        const entry: CachedUser = { user, savedAt: cached.savedAt, checkedAt: at };
        await cache.set(key, entry, USER_TTL_MS - (at - cached.savedAt));
        return user;
      }
    }
    const contact = { ...profile, language: userLanguageFor(profile.languageCode) };
    const joined = deps.events?.on('user.created', (u: User) => ({
      user_id: u.id,
      telegram_id: u.telegramId,
    }));
    const user = await settle(await users.upsertFromTelegram(contact, now(), joined));
    await cache.set<CachedUser>(key, { user, savedAt: at, checkedAt: at }, USER_TTL_MS);
    return user;
  }

  /**
   * Decides whether this user may send one more message now, and reserves it as today's question
   * (`question`, the default): the answer path counts only its tokens. Something asked again (an
   * edit, /retry: counted when first asked) or counted on its own quota (a picture) passes
   * `question: false`: then only the rate limit and today's tokens apply.
   * An admitted update is noted so in the inbox (`updateId`), with its question's reservation. A
   * replay (after a crash, or taken over from another instance) that was admitted before passes
   * uncharged, or it would be answered with a limit notice (its own count already in today's usage);
   * one that never got that far (it waited in line when its instance died) is charged, or refused,
   * like a fresh one: a dead instance's backlog is no way around the limits.
   */
  async function admit(
    user: User,
    options: { updateId?: number; replay?: boolean; question?: boolean } = {},
  ): Promise<AccessDecision> {
    if (user.status === 'banned') {
      const noticeKey = banNoticeKey(user.telegramId);
      const firstNotice = (await cache.get<boolean>(noticeKey)) !== true;
      if (firstNotice) await cache.set(noticeKey, true);
      return { allowed: false, user, reason: 'banned', firstNotice };
    }
    const listed = config.allowlist.includes(user.telegramId) || config.admins.includes(user.telegramId);
    if (config.access === 'allowlist' && !listed) return { allowed: false, user, reason: 'not-allowed' };
    const { updateId } = options;
    if (options.replay && (await admittedBefore(updateId))) return { allowed: true, user };
    if (user.role !== 'admin') {
      // One atomic step in the shared cache: instances behind one Redis spend from one bucket.
      const taken = await cache.takeToken(`rate:${user.telegramId}`, config.rateLimit, 10 * 60_000);
      if (!taken.allowed) {
        return {
          allowed: false,
          user,
          reason: 'rate-limited',
          retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000),
        };
      }
    }
    if (options.question === false) {
      const quota = checkQuota(await usage.get(user.id, utcDay(now())), limitsFor(user, config.quotas), {});
      if (!quota.ok) return refused(user, quota.exceeded);
      if (updateId !== undefined) await deps.admissions?.markAdmitted(updateId, now());
      return { allowed: true, user };
    }
    const reserved = await holds.reserve(
      user,
      { messages: 1 },
      deps.admissions && updateId !== undefined ? updateId : undefined,
    );
    return reserved.ok ? { allowed: true, user, hold: reserved.hold } : refused(user, reserved.exceeded);
  }

  /** A replay with no update to look up (or no inbox) counts as admitted before, as it always did. */
  async function admittedBefore(updateId: number | undefined): Promise<boolean> {
    if (updateId === undefined || !deps.admissions) return true;
    return deps.admissions.wasAdmitted(updateId);
  }

  function refused(user: User, exceeded: string): AccessDecision {
    deps.onQuotaRefused?.(user.id);
    void quotaExhausted(user, exceeded);
    return { allowed: false, user, reason: 'quota', exceeded, resetsAt: nextResetAt(now()) };
  }

  /** quota.exceeded once per user and day (the shared cache remembers it), not on every refusal. */
  async function quotaExhausted(user: User, exceeded: string): Promise<void> {
    const { publish } = deps;
    if (!publish || deps.events?.subscribed('quota.exceeded') !== true) return;
    const day = utcDay(now());
    const key = `quota-event:${user.id}:${day}`;
    try {
      if ((await cache.get<boolean>(key)) === true) return;
      await cache.set(key, true, 26 * 60 * 60_000);
    } catch {
      return;
    }
    publish('quota.exceeded', { user_id: user.id, telegram_id: user.telegramId, quota: exceeded, day });
  }

  /** Drops the cached copy after a change (settings, role, status). */
  async function forget(telegramId: number): Promise<void> {
    await cache.delete(userKey(telegramId));
  }

  /**
   * The user blocked the bot (true) or came back (false), as Telegram told us; the same status a
   * broadcast records on a 403. A ban is the operator's and stays.
   */
  async function setBlocked(telegramId: number, blocked: boolean): Promise<void> {
    const user = await users.getByTelegramId(telegramId);
    if (!user || user.status === 'banned') return;
    const to = blocked ? 'blocked' : 'active';
    if (user.status === to) return;
    // user.blocked_bot goes with the status change, in the same transaction.
    const event = blocked
      ? deps.events?.on('user.blocked_bot', (u: User) => ({ user_id: u.id, telegram_id: u.telegramId }))
      : undefined;
    await users.setStatus(user.id, to, event);
    await forget(telegramId);
  }

  return { identify, admit, release: holds.release, forget, setBlocked };
}

export type AccessService = ReturnType<typeof createAccessService>;

const userKey = (telegramId: number) => `user:${telegramId}`;
const banNoticeKey = (telegramId: number) => `ban-notice:${telegramId}`;

/**
 * The cached user row: dropped when an operator changes the user (users service), so a daemon
 * sharing the cache (the admin API in it, or any process over Redis) applies the change at once.
 */
export const cachedUserKeys = (telegramId: number) => [userKey(telegramId)];

/** Every cache key this service keeps about a user (the data-rights "forget" removes them). */
export const accessCacheKeys = (telegramId: number) => [
  userKey(telegramId),
  `rate:${telegramId}`,
  banNoticeKey(telegramId),
];

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
  return {
    ...user,
    createdAt: new Date(user.createdAt),
    lastSeenAt: new Date(user.lastSeenAt),
    premiumUntil: user.premiumUntil === null ? null : new Date(user.premiumUntil),
  };
}
