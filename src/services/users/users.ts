/**
 * `botctl users` and the admin API's /users: find, list and inspect users, and the operator's
 * changes (ban, unban, role), each recorded in the audit log with who made it ("cli" or the API
 * key). A change drops the user's cached row from the shared cache, so a daemon over the same
 * cache (Redis, or the admin API inside the daemon) applies it at once; any other re-reads a
 * cached user at least every USER_RECHECK_MS (services/access/access.ts).
 */
import { CLI_ACTOR, type Actor } from '../../domain/api-access.js';
import type { QuotaOverrides, Role, User, UserStatus } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import { cachedUserKeys } from '../access/index.js';
import type { EventPublisher } from '../events/index.js';
import type {
  AuditRepository,
  Cache,
  StatsRepository,
  UsageRepository,
  UserRepository,
} from '../../domain/ports/index.js';
import { applyQuotaPatch, limitsFor, utcDay, type QuotaLimits, type QuotaPatch } from '../../domain/quota.js';
import { parseUserRef } from '../../domain/user-ref.js';
import { setPremium as premiumChange } from '../../domain/premium.js';
import {
  quotaReport,
  summarize,
  type ListInput,
  type UserChange,
  type UserDetails,
  type UserSummary,
} from './views.js';

export function createUsersService(deps: {
  users: UserRepository;
  usage: UsageRepository;
  stats: StatsRepository;
  audit: AuditRepository;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  now: () => Date;
  /**
   * The shared cache, opened on the first change: the changed user's cached row is dropped so a
   * bot over the same cache applies it at once (the others within USER_RECHECK_MS).
   */
  cache?: () => Promise<Cache>;
  /** Event webhooks: user.banned and user.unbanned go with the status change. */
  events?: EventPublisher;
}) {
  const { users, now } = deps;

  /** A Telegram id ("123456") or a username ("@ann" or "ann"); NOT_FOUND or USAGE otherwise. */
  async function resolve(ref: string): Promise<User> {
    const parsed = parseUserRef(ref);
    if ('telegramId' in parsed) {
      const user = await users.getByTelegramId(parsed.telegramId);
      if (user) return user;
      throw new BotctlError('NOT_FOUND', `No user with Telegram id ${parsed.telegramId}`, {
        hint: 'list users with `botctl users list`; a user appears after their first message to the bot',
      });
    }
    const name = parsed.username;
    const found = await users.list({ username: name, limit: 2 });
    if (found.length === 1) return found[0]!;
    if (found.length === 0) {
      throw new BotctlError('NOT_FOUND', `No user @${name}`, {
        hint: 'try `botctl users list --search <part of the name>`',
      });
    }
    throw new BotctlError('USAGE', `@${name} matches more than one user (a username changed hands)`, {
      hint: `use the Telegram id: ${found.map((u) => u.telegramId).join(', ')}`,
    });
  }

  const quotaOf = async (user: User) =>
    quotaReport(
      await deps.usage.get(user.id, utcDay(now())),
      user.role,
      limitsFor(user, deps.quotas),
      user.quotaOverrides,
    );

  /** user.banned / user.unbanned, written with the status change. */
  const statusEvent = (from: unknown, to: unknown) => {
    const type = to === 'banned' ? 'user.banned' : from === 'banned' ? 'user.unbanned' : null;
    if (type === null) return undefined;
    return deps.events?.on(type, (u: User) => ({ user_id: u.id, telegram_id: u.telegramId }));
  };

  /** What each change writes, and its audit action. */
  const SETTERS = {
    status: {
      action: 'user.status',
      set: (id: number, to: unknown, from: unknown) =>
        users.setStatus(id, to as UserStatus, statusEvent(from, to)),
    },
    role: { action: 'user.role', set: (id: number, to: unknown) => users.setRole(id, to as Role) },
    quotaOverrides: {
      action: 'user.quota',
      set: (id: number, to: unknown) => users.setQuotaOverrides(id, to as QuotaOverrides | null),
    },
  } as const;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  /** Sets role, status or quota overrides and audits it; no change (and no audit) when `applies` says no. */
  async function change<K extends keyof typeof SETTERS>(
    ref: string,
    key: K,
    to: User[K] | ((from: User[K]) => User[K]),
    by: Actor,
    applies: (from: User[K], to: User[K]) => boolean = (from, next) => !same(from, next),
  ): Promise<UserChange<User[K]>> {
    const user = await resolve(ref);
    const from = user[key];
    const next = typeof to === 'function' ? (to as (from: User[K]) => User[K])(from) : to;
    if (!applies(from, next)) return { user: summarize(user), changed: false, from, to: next };
    const updated = await SETTERS[key].set(user.id, next, from);
    await deps.audit.record({
      ...by,
      action: SETTERS[key].action,
      target: `user:${user.telegramId}`,
      details: { from, to: next },
      at: now(),
    });
    const cache = await deps.cache?.();
    if (cache) await Promise.all(cachedUserKeys(user.telegramId).map((key) => cache.delete(key)));
    return { user: summarize(updated), changed: true, from, to: next };
  }

  const premiumView = (user: User): PremiumStatus => ({
    user: summarize(user),
    role: user.role,
    premiumUntil: user.premiumUntil?.toISOString() ?? null,
  });

  return {
    resolve,
    /** The user's role and paid premium end. */
    premiumOf: async (ref: string) => premiumView(await resolve(ref)),
    /**
     * Premium until `until` (the role becomes premium), or `null`: back to the user role now. An
     * admin keeps the admin role. Audited as user.premium; the bot applies it at once over a shared cache.
     */
    async setPremium(ref: string, until: Date | null, by: Actor = CLI_ACTOR): Promise<PremiumStatus> {
      const user = await resolve(ref);
      const updated = await users.setPremium(user.id, premiumChange(user, until));
      await deps.audit.record({
        ...by,
        action: 'user.premium',
        target: `user:${user.telegramId}`,
        details: {
          from: { role: user.role, premiumUntil: user.premiumUntil?.toISOString() ?? null },
          to: { role: updated.role, premiumUntil: updated.premiumUntil?.toISOString() ?? null },
        },
        at: now(),
      });
      const cache = await deps.cache?.();
      if (cache) await Promise.all(cachedUserKeys(user.telegramId).map((key) => cache.delete(key)));
      return premiumView(updated);
    },
    async list(
      input: ListInput,
    ): Promise<{ users: UserSummary[]; total: number; limit: number; offset: number }> {
      const { limit, offset, activeDays, ...rest } = input;
      const filter = {
        ...rest,
        ...(activeDays === undefined
          ? {}
          : { activeSince: new Date(now().getTime() - activeDays * 86_400_000) }),
      };
      const [page, total] = await Promise.all([
        users.list({ ...filter, limit, offset }),
        users.count(filter),
      ]);
      return { users: page.map(summarize), total, limit, offset };
    },
    async show(ref: string, options: { reveal: boolean }): Promise<UserDetails> {
      const user = await resolve(ref);
      const activity = await deps.stats.userActivity(user.id);
      const { customPrompt, ...settings } = user.settings;
      return {
        user: { ...summarize(user), languageCode: user.languageCode },
        settings: {
          ...settings,
          customPrompt:
            customPrompt === null
              ? null
              : { length: customPrompt.length, text: options.reveal ? customPrompt : null },
        },
        activity: { ...activity, lastMessageAt: activity.lastMessageAt?.toISOString() ?? null },
        quota: await quotaOf(user),
      };
    },
    /**
     * One page of users in storage order and the cursor of the next (null on the last): keyset
     * paging, so a page costs the same at the millionth user as at the first, and users added
     * meanwhile neither shift nor repeat a page.
     */
    async page(
      input: Omit<ListInput, 'offset'> & { after?: number },
    ): Promise<{ users: UserSummary[]; next: number | null }> {
      const { limit, activeDays, after, ...rest } = input;
      const rows = await users.list({
        ...rest,
        ...(activeDays === undefined
          ? {}
          : { activeSince: new Date(now().getTime() - activeDays * 86_400_000) }),
        ...(after === undefined ? {} : { afterId: after }),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return { users: page.map(summarize), next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
    quota: async (ref: string) => quotaOf(await resolve(ref)),
    /** The bot sends a banned user one notice, then ignores them. */
    ban: (ref: string, by: Actor = CLI_ACTOR) => change(ref, 'status', 'banned', by),
    /** Only a ban is lifted: a user who blocked the bot stays "blocked". */
    unban: (ref: string, by: Actor = CLI_ACTOR) =>
      change(ref, 'status', 'active', by, (from) => from === 'banned'),
    setRole: (ref: string, role: Role, by: Actor = CLI_ACTOR) => change(ref, 'role', role, by),
    /** Sets (a number) or removes (null) per-user limits over the role's quota. */
    setQuota: (ref: string, patch: QuotaPatch, by: Actor = CLI_ACTOR) =>
      change(ref, 'quotaOverrides', (from) => applyQuotaPatch(from, patch), by),
  };
}

export type UsersService = ReturnType<typeof createUsersService>;

/** `botctl users premium`: the user, their role and when paid premium ends (null: none). */
export interface PremiumStatus {
  user: UserSummary;
  role: Role;
  premiumUntil: string | null;
}
