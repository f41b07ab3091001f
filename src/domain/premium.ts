/**
 * Premium through Telegram Stars: the operator's offer (a price in Stars for a number of days of
 * the premium role and its quotas), the invoice payload that binds a payment to that offer and
 * that user, the checks a pre-checkout query must pass, and how a payment, a refund or the end of
 * the period change the user's role. Pure rules; services/premium applies them.
 */
import type { Role, User } from './entities.js';

/** Telegram Stars: invoices for digital goods use this currency and no payment provider. */
export const STARS_CURRENCY = 'XTR';

/** What the operator sells: `stars` for `days` of premium. */
export interface PremiumOffer {
  stars: number;
  days: number;
}

/** The offer as configured; none (premium off) while the operator has set no price. */
export function offerOf(config: { stars: number; days: number }): PremiumOffer | null {
  return config.stars > 0 && config.days > 0 ? { stars: config.stars, days: config.days } : null;
}

/**
 * The invoice payload, bound to the offer and the buyer: "premium:v1:<telegram id>:<stars>:<days>".
 * Telegram returns it unchanged in pre_checkout_query and successful_payment, so a checkout is
 * accepted only while the offer it was made for is the current one, and only from the user it
 * was sent to. The version lets a later format refuse older invoices by name.
 */
const PAYLOAD = /^premium:v1:(\d{1,16}):(\d{1,9}):(\d{1,6})$/;

export function premiumPayload(offer: PremiumOffer, telegramId: number): string {
  return `premium:v1:${telegramId}:${offer.stars}:${offer.days}`;
}

export interface PayloadOffer extends PremiumOffer {
  telegramId: number;
}

export function parsePremiumPayload(payload: string): PayloadOffer | null {
  const match = PAYLOAD.exec(payload);
  if (match === null) return null;
  const [telegramId, stars, days] = match.slice(1).map(Number) as [number, number, number];
  if (!Number.isSafeInteger(telegramId) || stars <= 0 || days <= 0) return null;
  return { telegramId, stars, days };
}

/** What Telegram asks before it charges: the invoice's payload, currency and total, and who pays. */
export interface Checkout {
  payload: string;
  currency: string;
  totalAmount: number;
  fromId: number;
}

/**
 * Why a pre-checkout is refused; each has its own message Telegram shows the buyer
 * (premium-refused-<reason> in the locale files).
 *   off: premium is not offered (any more); forged: not our payload, or another currency or
 *   amount than it names; stale: the offer changed since the invoice was sent; other-user: the
 *   invoice was sent to someone else; unknown-user: the buyer is not a user of the bot (or is banned).
 */
export const CHECKOUT_REFUSALS = ['off', 'forged', 'stale', 'other-user', 'unknown-user'] as const;
export type CheckoutRefusal = (typeof CHECKOUT_REFUSALS)[number];

export function checkCheckout(
  checkout: Checkout,
  offer: PremiumOffer | null,
  buyer: Pick<User, 'telegramId' | 'status'> | null,
): { ok: true; offer: PayloadOffer } | { ok: false; reason: CheckoutRefusal } {
  const paid = parsePremiumPayload(checkout.payload);
  if (paid === null) return { ok: false, reason: 'forged' };
  if (checkout.currency !== STARS_CURRENCY || checkout.totalAmount !== paid.stars) {
    return { ok: false, reason: 'forged' };
  }
  if (offer === null) return { ok: false, reason: 'off' };
  if (paid.stars !== offer.stars || paid.days !== offer.days) return { ok: false, reason: 'stale' };
  if (paid.telegramId !== checkout.fromId) return { ok: false, reason: 'other-user' };
  if (buyer === null || buyer.telegramId !== checkout.fromId || buyer.status === 'banned') {
    return { ok: false, reason: 'unknown-user' };
  }
  return { ok: true, offer: paid };
}

/** The role and premium end a change leaves the user with. */
export interface PremiumChange {
  role: Role;
  premiumUntil: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * A payment of `days`: from the running end when premium is still running (a renewal extends
 * it), else from now. An admin stays admin (the end is kept, for the record).
 */
export function grantPremium(
  user: Pick<User, 'role' | 'premiumUntil'>,
  days: number,
  now: Date,
): PremiumChange {
  const running = user.premiumUntil !== null && user.premiumUntil > now ? user.premiumUntil : now;
  const premiumUntil = new Date(running.getTime() + days * DAY_MS);
  return { role: user.role === 'admin' ? 'admin' : 'premium', premiumUntil };
}

/**
 * A refunded payment takes its days back off the end; when nothing paid is left, premium ends
 * now and the role is user again (an admin stays admin).
 */
export function revokePremium(
  user: Pick<User, 'role' | 'premiumUntil'>,
  days: number,
  now: Date,
): PremiumChange {
  const left = user.premiumUntil === null ? null : new Date(user.premiumUntil.getTime() - days * DAY_MS);
  if (left !== null && left > now) return { role: user.role, premiumUntil: left };
  return { role: user.role === 'admin' ? 'admin' : 'user', premiumUntil: null };
}

/** The operator's `users premium`: premium until `until`, or (null) back to user; admins keep their role. */
export function setPremium(user: Pick<User, 'role'>, until: Date | null): PremiumChange {
  if (user.role === 'admin') return { role: 'admin', premiumUntil: until };
  return until === null ? { role: 'user', premiumUntil: null } : { role: 'premium', premiumUntil: until };
}

/** Paid premium that has run out: the role goes back to user (services/premium's sweep and identify). */
export function premiumExpired(user: Pick<User, 'role' | 'premiumUntil'>, now: Date): boolean {
  return user.role === 'premium' && user.premiumUntil !== null && user.premiumUntil <= now;
}
