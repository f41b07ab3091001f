/**
 * Telegram Stars refunds over grammY's bare Api (`botctl payments refund`): refundStarPayment
 * returns the Stars to the user. A refusal (an unknown or already refunded charge) becomes a
 * coded error with Telegram's description, so the command records nothing and says why.
 */
import { Api } from 'grammy';
import type { StarRefunds } from '../../domain/ports/index.js';
import { translateTelegramError } from './errors.js';

export function createStarRefunds(options: { token: string; apiRoot: string }): StarRefunds {
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 30 });
  return {
    async refund(telegramId, chargeId) {
      try {
        await api.refundStarPayment(telegramId, chargeId);
      } catch (error) {
        throw translateTelegramError(error);
      }
    },
  };
}
