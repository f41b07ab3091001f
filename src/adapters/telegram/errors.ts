/** Translates grammY's errors into coded errors at the Telegram boundary. */
import { GrammyError, HttpError } from 'grammy';
import { BotctlError } from '../../domain/errors.js';

export function translateTelegramError(error: unknown): BotctlError {
  if (error instanceof BotctlError) return error;
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 404) {
      return new BotctlError(
        'TELEGRAM_UNAUTHORIZED',
        `Telegram rejected the bot token (${error.error_code} ${error.description})`,
        {
          hint: 'check BOTCTL_TELEGRAM_TOKEN: copy it again from @BotFather',
          cause: error,
        },
      );
    }
    if (error.error_code === 409 && error.method === 'getUpdates') {
      // Telegram serves one getUpdates poller per token (and none while a webhook is set).
      return new BotctlError(
        'TELEGRAM_CONFLICT',
        `Another process is taking this bot's updates (409 ${error.description})`,
        {
          hint: 'run one botctl per bot token: stop the other instance (or the webhook set for this token)',
          cause: error,
        },
      );
    }
    return new BotctlError(
      'TELEGRAM_ERROR',
      `Telegram refused ${error.method}: ${error.error_code} ${error.description}`,
      {
        retryable: error.error_code === 429 || error.error_code >= 500,
        params: error.parameters.retry_after ? { retryAfterSeconds: error.parameters.retry_after } : {},
        cause: error,
      },
    );
  }
  if (error instanceof HttpError) {
    return new BotctlError('TELEGRAM_ERROR', 'Telegram is not reachable (network error)', {
      hint: 'check the network and BOTCTL_TELEGRAM_API_ROOT',
      retryable: true,
      cause: error,
    });
  }
  return new BotctlError('TELEGRAM_ERROR', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
