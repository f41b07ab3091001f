// Payments in Telegram Stars: sendInvoice (XTR, no provider), answerPreCheckoutQuery, refundStarPayment.
import type { LabeledPrice, Message } from 'grammy/types';
import { badRequest } from '../errors.js';
import type { MethodHandler } from '../state.js';
import { readChatId } from '../store.js';
import { newBotMessage } from './messages.js';

const byteLength = (value: string): number => Buffer.byteLength(value, 'utf8');

function text(value: unknown, field: string, max: number, unit: 'chars' | 'bytes' = 'chars'): string {
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${field} is empty`);
  const length = unit === 'bytes' ? byteLength(value) : [...value].length;
  if (length > max) throw badRequest(`${field.toUpperCase()}_INVALID`);
  return value;
}

export const paymentMethods: Record<string, MethodHandler> = {
  sendInvoice(params, state) {
    const chatId = readChatId(params.chat_id);
    const title = text(params.title, 'title', 32);
    const description = text(params.description, 'description', 255);
    const payload = text(params.payload, 'payload', 128, 'bytes');
    const currency = params.currency;
    if (typeof currency !== 'string' || currency.length !== 3) throw badRequest('CURRENCY_INVALID');
    if (!Array.isArray(params.prices) || params.prices.length === 0) throw badRequest('prices are empty');
    const prices = params.prices as LabeledPrice[];
    for (const price of prices) {
      if (typeof price.label !== 'string' || !Number.isInteger(price.amount) || price.amount <= 0) {
        throw badRequest('PRICE_INVALID');
      }
    }
    if (currency === 'XTR') {
      // Stars: no payment provider, and exactly one price.
      if (typeof params.provider_token === 'string' && params.provider_token !== '') {
        throw badRequest('PAYMENT_PROVIDER_INVALID');
      }
      if (prices.length !== 1) throw badRequest('STARS_INVOICE_INVALID');
    } else if (typeof params.provider_token !== 'string' || params.provider_token === '') {
      throw badRequest('PAYMENT_PROVIDER_INVALID');
    }
    const total = prices.reduce((sum, p) => sum + p.amount, 0);
    const message = newBotMessage(state, chatId, params) as Message.InvoiceMessage;
    message.invoice = { title, description, start_parameter: '', currency, total_amount: total };
    state.store.record(message, true);
    state.invoices.push({ chatId, messageId: message.message_id, payload, currency, totalAmount: total });
    return message;
  },

  answerPreCheckoutQuery(params, state) {
    const id = params.pre_checkout_query_id;
    if (typeof id !== 'string' || !state.openQueries.has(id)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    if (typeof params.ok !== 'boolean') throw badRequest('ok is not specified');
    const message = params.error_message;
    if (!params.ok && (typeof message !== 'string' || message.length === 0)) {
      throw badRequest('ERROR_MESSAGE_EMPTY');
    }
    state.openQueries.delete(id);
    state.checkoutAnswers.set(id, params.ok ? { ok: true } : { ok: false, errorMessage: message as string });
    return true;
  },

  refundStarPayment(params, state) {
    const chargeId = params.telegram_payment_charge_id;
    if (typeof chargeId !== 'string' || chargeId === '') throw badRequest('CHARGE_ID_EMPTY');
    const charge = state.charges.get(chargeId);
    if (charge === undefined) throw badRequest('CHARGE_NOT_FOUND');
    if (charge.userId !== params.user_id) throw badRequest('USER_ID_INVALID');
    if (charge.refunded) throw badRequest('CHARGE_ALREADY_REFUNDED');
    charge.refunded = true;
    return true;
  },
};
