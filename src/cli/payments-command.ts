/** What the `botctl payments` commands share: a payment as JSON and as a table row. */
import type { Payment } from '../domain/entities.js';
import type { JsonShape } from './json-shape.js';

export interface PaymentView {
  chargeId: string;
  telegramId: number;
  amount: number;
  currency: string;
  periodDays: number;
  premiumUntil: string;
  createdAt: string;
  refundedAt: string | null;
}

export const PAYMENT_SHAPE: JsonShape = {
  chargeId: 'string',
  telegramId: 'number',
  amount: 'number',
  currency: 'string',
  periodDays: 'number',
  premiumUntil: 'string',
  createdAt: 'string',
  refundedAt: 'string|null',
};

export function paymentView(p: Payment): PaymentView {
  return {
    chargeId: p.chargeId,
    telegramId: p.telegramId,
    amount: p.amount,
    currency: p.currency,
    periodDays: p.periodDays,
    premiumUntil: p.premiumUntil.toISOString(),
    createdAt: p.createdAt.toISOString(),
    refundedAt: p.refundedAt?.toISOString() ?? null,
  };
}

export const PAYMENT_HEADER = [
  'CREATED'.padEnd(16),
  'CHARGE ID'.padEnd(28),
  'USER'.padEnd(12),
  'AMOUNT'.padEnd(10),
  'DAYS'.padEnd(5),
  'PREMIUM UNTIL'.padEnd(16),
  'REFUNDED',
].join(' ');

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function paymentRow(p: PaymentView): string {
  return [
    minute(p.createdAt).padEnd(16),
    p.chargeId.padEnd(28),
    String(p.telegramId).padEnd(12),
    `${p.amount} ${p.currency}`.padEnd(10),
    String(p.periodDays).padEnd(5),
    minute(p.premiumUntil).padEnd(16),
    p.refundedAt === null ? '-' : minute(p.refundedAt),
  ].join(' ');
}
