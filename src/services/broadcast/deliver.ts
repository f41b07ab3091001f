/**
 * One delivery: record `sending`, send, record what Telegram said. The `sending` row is
 * written (and awaited) before the call, so a crash between the two writes leaves evidence
 * and the next run can refuse to guess (see run.ts). A 429, a refused connection
 * or a bad message puts the row back to `pending`: Telegram provably did not deliver it.
 * The flood wait shared with other senders of the token pauses the pacer like an own 429.
 */
import type { Delivery } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { BroadcastRepository, Messenger, UserRepository } from '../../domain/ports/index.js';
import type { BroadcastContent } from './content.js';
import type { Pacer } from './pacer.js';

/** How long transient failures (refused connection, 5xx) may go on with no send between before the run gives up. */
const MAX_TRANSIENT_MS = 60_000;
/** Per-recipient failures in a row before the run gives up: something is wrong beyond one chat. */
const MAX_FAILED_IN_A_ROW = 25;

export interface DeliveryCounters {
  sent: number;
  blocked: number;
  failed: number;
  rateLimited: number;
  /** Set once: the reason the run must stop (bad message, bad token, Telegram unreachable). */
  fatal: BotctlError | undefined;
}

export interface DeliverDeps {
  broadcastId: string;
  content: BroadcastContent;
  broadcasts: BroadcastRepository;
  users: Pick<UserRepository, 'setStatus'>;
  messenger: Messenger;
  /** Paces the Telegram calls themselves; its pause() must hold every sender. */
  pacer: Pacer;
  counters: DeliveryCounters;
  now: () => number;
  /** Once aborted, a delivery not yet sent goes back to `pending`. */
  signal?: AbortSignal;
}

/** Returns 'retry' when the delivery is pending again and should be queued once more in this run. */
export function createDeliverer(deps: DeliverDeps): (delivery: Delivery) => Promise<'done' | 'retry'> {
  const { broadcastId: id, content, broadcasts, messenger, pacer, counters } = deps;
  // Several sends are in flight at once, so one outage fails several in a row: count time, not failures.
  let transientSince: number | undefined;
  let backoffMs = 500;
  let failedInARow = 0;
  const stop = (error: BotctlError) => {
    counters.fatal ??= error;
  };

  return async (delivery) => {
    const { userId, telegramId } = delivery;
    // A 429 another process got (the daemon, another instance) holds this bot's sends too. Pausing
    // the pacer for it keeps the sends after the wait spaced; left to the messenger's gate alone,
    // every send admitted meanwhile would leave the gate at once when the wait ends.
    const floodWaitMs = await messenger.floodWaitMs();
    if (floodWaitMs > 0) pacer.pause(floodWaitMs);
    await broadcasts.markDelivery(id, userId, 'sending');
    // The write above takes a variable time (a database round trip): pacing the call itself, not
    // only the dispatch, keeps that jitter from bunching sends into one of Telegram's seconds.
    await pacer.take(deps.signal);
    if (deps.signal?.aborted === true) {
      await broadcasts.markDelivery(id, userId, 'pending');
      return 'retry';
    }
    const outcome =
      content.photo === null
        ? await messenger.sendText(telegramId, content.message)
        : await messenger.sendPhoto(telegramId, content.photo, content.message);
    switch (outcome.kind) {
      case 'sent':
        await broadcasts.markDelivery(id, userId, 'sent');
        counters.sent++;
        transientSince = undefined;
        backoffMs = 500;
        failedInARow = 0;
        return 'done';
      case 'blocked':
        await broadcasts.markDelivery(id, userId, 'blocked', { error: outcome.description });
        await deps.users.setStatus(userId, 'blocked');
        counters.blocked++;
        return 'done';
      case 'rate-limited':
        await broadcasts.markDelivery(id, userId, 'pending');
        counters.rateLimited++;
        pacer.pause(outcome.retryAfterSeconds * 1000);
        return 'retry';
      case 'rejected':
        await broadcasts.markDelivery(id, userId, 'pending');
        stop(
          new BotctlError(
            outcome.error.code,
            `Telegram refused the message itself: ${outcome.error.message}`,
            {
              hint: `fix the message and send a new broadcast (botctl broadcast cancel ${id}); if the cause was temporary, botctl broadcast resume ${id}`,
              cause: outcome.error,
            },
          ),
        );
        return 'done';
    }
    const { error, delivered } = outcome;
    if (error.code === 'TELEGRAM_UNAUTHORIZED' || (delivered === 'no' && error.retryable)) {
      await broadcasts.markDelivery(id, userId, 'pending');
      transientSince ??= deps.now();
      if (error.code === 'TELEGRAM_UNAUTHORIZED' || deps.now() - transientSince >= MAX_TRANSIENT_MS) {
        stop(withResumeHint(error, id));
        return 'done';
      }
      backoffMs = Math.min(backoffMs * 2, 16_000);
      pacer.pause(backoffMs);
      return 'retry';
    }
    const prefix = delivered === 'unknown' ? 'delivery unknown: ' : '';
    await broadcasts.markDelivery(id, userId, 'failed', { error: `${prefix}${error.message}` });
    counters.failed++;
    failedInARow++;
    if (failedInARow >= MAX_FAILED_IN_A_ROW) {
      stop(
        withResumeHint(
          new BotctlError(error.code, `${failedInARow} sends failed in a row, last: ${error.message}`),
          id,
        ),
      );
    }
    return 'done';
  };
}

function withResumeHint(error: BotctlError, id: string): BotctlError {
  return new BotctlError(error.code, error.message, {
    hint: `${error.hint ? `${error.hint}; then ` : ''}botctl broadcast resume ${id}`,
    cause: error,
    params: error.params,
  });
}
