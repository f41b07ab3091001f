/** The payment row as both dialects select it (joined with its user for the Telegram id). */
import type { Payment } from '../../../domain/entities.js';

interface PaymentTable {
  id: unknown;
  telegramChargeId: unknown;
  userId: unknown;
  amount: unknown;
  currency: unknown;
  payload: unknown;
  periodDays: unknown;
  premiumUntil: unknown;
  createdAt: unknown;
  refundedAt: unknown;
}

/** The columns to select; the same property names as Payment. */
export function paymentColumns<P extends PaymentTable, U extends { telegramId: unknown }>(p: P, u: U) {
  return {
    id: p.id,
    chargeId: p.telegramChargeId,
    userId: p.userId,
    telegramId: u.telegramId,
    amount: p.amount,
    currency: p.currency,
    payload: p.payload,
    periodDays: p.periodDays,
    premiumUntil: p.premiumUntil,
    createdAt: p.createdAt,
    refundedAt: p.refundedAt,
  } as {
    id: P['id'];
    chargeId: P['telegramChargeId'];
    userId: P['userId'];
    telegramId: U['telegramId'];
    amount: P['amount'];
    currency: P['currency'];
    payload: P['payload'];
    periodDays: P['periodDays'];
    premiumUntil: P['premiumUntil'];
    createdAt: P['createdAt'];
    refundedAt: P['refundedAt'];
  };
}

export function toPayment(row: Payment): Payment {
  return { ...row, telegramId: Number(row.telegramId) };
}
