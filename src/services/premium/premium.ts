/**
 * Premium through Telegram Stars: the offer and its invoice (/premium), the pre-checkout answer,
 * recording a payment with the premium it grants (exactly once per charge id), refunds
 * (`botctl payments refund`), the sweep that returns expired premium to the user role, and the
 * payment list. Every role change drops the user's cached row so the bot applies it at once.
 */
import { CLI_ACTOR, type Actor } from '../../domain/api-access.js';
import type { Payment, Role, User } from '../../domain/entities.js';
import type { QuotaLimits } from '../../domain/quota.js';
import { BotctlError } from '../../domain/errors.js';
import type {
  AuditRepository,
  Cache,
  PaymentRepository,
  StarRefunds,
  UserRepository,
} from '../../domain/ports/index.js';
import {
  checkCheckout,
  grantPremium,
  parsePremiumPayload,
  premiumPayload,
  revokePremium,
  STARS_CURRENCY,
  type Checkout,
  type PremiumOffer,
} from '../../domain/premium.js';
import { cachedUserKeys } from '../access/index.js';

/** What successful_payment carries (Telegram's SuccessfulPayment, the fields we keep). */
export interface SuccessfulPayment {
  chargeId: string;
  currency: string;
  totalAmount: number;
  payload: string;
}

export function createPremiumService(deps: {
  users: UserRepository;
  payments: PaymentRepository;
  audit: AuditRepository;
  /** The configured offer; null: premium is off. */
  offer: PremiumOffer | null;
  /** What premium lifts: the premium role's daily quotas over the user role's. */
  quotas: Readonly<Record<Role, QuotaLimits>>;
  now: () => Date;
  /** Opened on first use: the changed user's cached row is dropped (bot and admin API apply it at once). */
  cache?: () => Promise<Cache>;
  /** refundStarPayment; opened on the first refund (grammY loads only then). */
  refunds?: () => Promise<StarRefunds>;
}) {
  const { users, payments, now } = deps;

  async function dropCached(telegramId: number): Promise<void> {
    const cache = await deps.cache?.();
    if (cache) await Promise.all(cachedUserKeys(telegramId).map((key) => cache.delete(key)));
  }

  return {
    offer: deps.offer,
    /** The daily limits premium gives (0: unlimited), for the offer's text. */
    limits: deps.quotas.premium,

    /** The invoice for this user: the offer and the payload that binds it to them; null when premium is off. */
    invoiceFor(user: Pick<User, 'telegramId'>): { offer: PremiumOffer; payload: string } | null {
      return deps.offer ? { offer: deps.offer, payload: premiumPayload(deps.offer, user.telegramId) } : null;
    },

    /**
     * Whether Telegram may charge: only the current offer, to the user it was sent to, who must be
     * a user of the bot already (the query itself creates none).
     */
    async preCheckout(checkout: Checkout) {
      const buyer = await users.getByTelegramId(checkout.fromId);
      return checkCheckout(checkout, deps.offer, buyer);
    },

    /**
     * Records a payment Telegram reports and grants its days; the same charge id again changes
     * nothing (`recorded` false). The days are the payload's: what the user was offered and paid
     * for, even if the operator changed the offer since the checkout.
     */
    async paid(user: User, payment: SuccessfulPayment) {
      const bought = parsePremiumPayload(payment.payload);
      const days = bought?.days ?? 0;
      const at = now();
      const result = await payments.record(
        {
          chargeId: payment.chargeId,
          userId: user.id,
          amount: payment.totalAmount,
          currency: payment.currency,
          payload: payment.payload,
          periodDays: days,
        },
        // A payload we never made (checked at pre-checkout, so not expected) grants nothing: the operator can refund.
        (current) =>
          days > 0
            ? grantPremium(current, days, at)
            : { role: current.role, premiumUntil: current.premiumUntil },
        at,
      );
      if (result.recorded) {
        await deps.audit.record({
          actor: `user:${user.telegramId}`,
          action: 'premium.paid',
          target: `user:${user.telegramId}`,
          details: {
            charge: payment.chargeId,
            amount: payment.totalAmount,
            currency: payment.currency,
            days,
            until: result.user.premiumUntil?.toISOString() ?? null,
          },
          at,
        });
        await dropCached(user.telegramId);
      }
      return result;
    },

    /**
     * Refunds a payment through Telegram (refundStarPayment), then records it and takes its days
     * back (nothing paid left: the role is user again). NOT_FOUND for an unknown charge, USAGE
     * for one already refunded; a Telegram refusal records nothing.
     */
    async refund(chargeId: string, by: Actor = CLI_ACTOR): Promise<{ payment: Payment; user: User }> {
      const payment = await payments.get(chargeId);
      if (payment === null) {
        throw new BotctlError('NOT_FOUND', `No payment with charge id ${chargeId}`, {
          hint: 'list payments with `botctl payments list`',
        });
      }
      if (payment.refundedAt !== null) {
        throw new BotctlError(
          'USAGE',
          `Payment ${chargeId} was already refunded on ${payment.refundedAt.toISOString()}`,
        );
      }
      if (!deps.refunds) throw new BotctlError('CONFIG_MISSING', 'refunds need the Telegram token');
      await (await deps.refunds()).refund(payment.telegramId, chargeId);
      const at = now();
      const done = await payments.markRefunded(
        chargeId,
        (user, paid) => revokePremium(user, paid.periodDays, at),
        at,
      );
      if (done === null) throw new BotctlError('NOT_FOUND', `No payment with charge id ${chargeId}`);
      await deps.audit.record({
        ...by,
        action: 'premium.refund',
        target: `user:${payment.telegramId}`,
        details: { charge: chargeId, amount: payment.amount, currency: payment.currency },
        at,
      });
      await dropCached(payment.telegramId);
      return { payment: done.payment, user: done.user };
    },

    list: (filter: { userId?: number; limit?: number } = {}) => payments.list(filter),
    get: (chargeId: string) => payments.get(chargeId),

    /** Returns every premium that ran out to the user role (the daemon runs it hourly); how many. */
    async expire(): Promise<number> {
      const changed = await users.expirePremium(now());
      await Promise.all(changed.map((user) => dropCached(user.telegramId)));
      return changed.length;
    },
  };
}

export type PremiumService = ReturnType<typeof createPremiumService>;

export { STARS_CURRENCY };
