/**
 * Daily fair-use quotas per role, and the UTC calendar they reset on. Usage rows are keyed
 * by UTC day so every instance and the database agree on "today" whatever their zone;
 * users see times in their own zone through formatInZone.
 */
import type { DailyUsage, QuotaOverrides, Role, UsageDelta, User } from './entities.js';

/** Per-day limits; 0 means unlimited. */
export interface QuotaLimits {
  messagesPerDay: number;
  /** Input plus output tokens. */
  tokensPerDay: number;
  imagesPerDay: number;
  audioSecondsPerDay: number;
  /**
   * Answers grounded in Google Search (they cost extra: Gemini bills each grounded request). Over
   * it an answer still comes, without the search (services/chat/turn.ts).
   */
  searchesPerDay: number;
}

export type QuotaKind = 'messages' | 'tokens' | 'images' | 'audioSeconds' | 'searches';

/** One user's limits: their role's, with any per-user override (the admin API's PATCH /users) over it. */
export function limitsFor(
  user: Pick<User, 'role' | 'quotaOverrides'>,
  quotas: Readonly<Record<Role, QuotaLimits>>,
): QuotaLimits {
  return { ...quotas[user.role], ...user.quotaOverrides };
}

/**
 * A change to a user's overrides: a number sets that limit, null removes it (back to the role's);
 * the result is null when none is left.
 */
export type QuotaPatch = { [K in keyof QuotaOverrides]?: number | null };

export function applyQuotaPatch(current: QuotaOverrides | null, patch: QuotaPatch): QuotaOverrides | null {
  const next: Record<string, number> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return Object.keys(next).length === 0 ? null : (next as QuotaOverrides);
}

export type QuotaCheck = { ok: true } | { ok: false; exceeded: QuotaKind; limit: number; used: number };

/**
 * The shipped quotas, the only copy: config's `quotas` option takes its defaults from here
 * (app/config-schema.ts), and an operator overrides them per role there.
 */
export const DEFAULT_QUOTAS: Readonly<Record<Role, Readonly<QuotaLimits>>> = Object.freeze({
  user: Object.freeze({
    messagesPerDay: 100,
    tokensPerDay: 200_000,
    imagesPerDay: 10,
    audioSecondsPerDay: 1800,
    searchesPerDay: 20,
  }),
  premium: Object.freeze({
    messagesPerDay: 1000,
    tokensPerDay: 2_000_000,
    imagesPerDay: 50,
    audioSecondsPerDay: 7200,
    searchesPerDay: 100,
  }),
  admin: Object.freeze({
    messagesPerDay: 0,
    tokensPerDay: 0,
    imagesPerDay: 0,
    audioSecondsPerDay: 0,
    searchesPerDay: 0,
  }),
});

/**
 * Whether a request costing `incoming` still fits today's limits. Messages, images and audio
 * are checked only when the request uses them (a user out of images can still chat); tokens
 * are checked always, since every request spends some and its cost is known only afterwards.
 */
export function checkQuota(
  usage: DailyUsage,
  limits: QuotaLimits,
  incoming: Pick<UsageDelta, 'messages' | 'images' | 'audioSeconds' | 'searches'> = { messages: 1 },
): QuotaCheck {
  const checks: [QuotaKind, number, number, number][] = [
    ['messages', usage.messages, incoming.messages ?? 0, limits.messagesPerDay],
    ['images', usage.images, incoming.images ?? 0, limits.imagesPerDay],
    ['audioSeconds', usage.audioSeconds, incoming.audioSeconds ?? 0, limits.audioSecondsPerDay],
    ['searches', usage.searches, incoming.searches ?? 0, limits.searchesPerDay],
  ];
  for (const [exceeded, used, wanted, limit] of checks) {
    if (limit > 0 && wanted > 0 && used + wanted > limit) return { ok: false, exceeded, limit, used };
  }
  const tokens = usage.tokensIn + usage.tokensOut;
  if (limits.tokensPerDay > 0 && tokens >= limits.tokensPerDay) {
    return { ok: false, exceeded: 'tokens', limit: limits.tokensPerDay, used: tokens };
  }
  return { ok: true };
}

/**
 * What a reservation is checked against, in the same statement that adds it (the usage
 * repository's `reserve`): a counter the request adds to must stay within its cap, and today's
 * tokens must be under theirs. 0 checks nothing; so a counter the request does not add to never
 * refuses it (a user out of images can still chat), as checkQuota above.
 */
export interface UsageCaps {
  messages: number;
  images: number;
  audioSeconds: number;
  searches: number;
  /** Input plus output tokens used so far today (their cost is known only after the answer). */
  tokens: number;
}

/** The caps for reserving `delta` under `limits` (see UsageCaps). */
export function reservationCaps(limits: QuotaLimits, delta: UsageDelta): UsageCaps {
  const cap = (wanted: number | undefined, limit: number) => ((wanted ?? 0) > 0 ? limit : 0);
  return {
    messages: cap(delta.messages, limits.messagesPerDay),
    images: cap(delta.images, limits.imagesPerDay),
    audioSeconds: cap(delta.audioSeconds, limits.audioSecondsPerDay),
    searches: cap(delta.searches, limits.searchesPerDay),
    tokens: limits.tokensPerDay,
  };
}

/**
 * Whether `delta` fits on a day with nothing used yet. The first reservation of a day inserts
 * its row, and an insert has no conflict clause to check, so this is checked before (a voice
 * note longer than the whole audio quota).
 */
export function fitsEmptyDay(delta: UsageDelta, caps: UsageCaps): boolean {
  const over = (wanted: number | undefined, cap: number) => cap > 0 && (wanted ?? 0) > cap;
  return !(
    over(delta.messages, caps.messages) ||
    over(delta.images, caps.images) ||
    over(delta.audioSeconds, caps.audioSeconds) ||
    over(delta.searches, caps.searches)
  );
}

const UTC_DAY_MS = 86_400_000;
/** The day utcDay last named and its bounds: every answer asks several times, nearly always for today. */
let lastDay = { from: 0, to: 0, key: '' };

/** The usage row key for `now`: YYYY-MM-DD in UTC. */
export function utcDay(now: Date): string {
  const ms = now.getTime();
  // Written so that NaN (an invalid date) misses and throws below, as toISOString does.
  if (!(ms >= lastDay.from && ms < lastDay.to)) {
    const from = Math.floor(ms / UTC_DAY_MS) * UTC_DAY_MS;
    lastDay = { from, to: from + UTC_DAY_MS, key: new Date(from).toISOString().slice(0, 10) };
  }
  return lastDay.key;
}

/** When today's quota resets: the next UTC midnight, strictly after `now`. */
export function nextResetAt(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** Valid zones seen so far: checking one builds an Intl.DateTimeFormat, which is slow. */
const knownZones = new Set<string>();

export function isValidTimeZone(timeZone: string): boolean {
  if (knownZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return false;
  }
  // Only valid names are kept; spelling variants ("asia/tokyo") are valid too, hence the cap.
  if (knownZones.size >= 2000) knownZones.clear();
  knownZones.add(timeZone);
  return true;
}

/**
 * `date` as a user in `timeZone` would read it. A zone or locale Intl does not know (a stale
 * setting, a typo in config) falls back to UTC or English instead of failing the reply.
 */
export function formatInZone(
  date: Date,
  timeZone: string,
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return new Intl.DateTimeFormat(knownLocale(locale), { ...options, timeZone: zone }).format(date);
}

function knownLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(locale).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}
