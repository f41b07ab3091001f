/**
 * Long polling through @grammyjs/runner with our own update supplier: the getUpdates offset
 * only moves past a batch after the batch is stored in the inbox, so Telegram never drops
 * an update we have not recorded. The concurrent sink runs handlers (ordered per chat by
 * the bot's sequentialize) and applies backpressure at `concurrency`.
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { BotctlError } from '../domain/errors.js';
import { translateTelegramError } from '../adapters/telegram/errors.js';
import { networkRetryDelay } from '../adapters/telegram/network.js';
import type { Update } from 'grammy/types';
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner';
import type { Log } from '../domain/telemetry.js';
import type { Intake } from './intake.js';

export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'inline_query',
  'my_chat_member',
  // Premium through Telegram Stars: the question before a charge (successful_payment is a message).
  'pre_checkout_query',
] as const;

export function startPolling(options: {
  bot: { api: Api };
  intake: Intake;
  log: Log;
  concurrency: number;
  pollTimeoutSeconds?: number;
  /**
   * A 409 from getUpdates: another poller (or a webhook) has this token. Two pollers would
   * take turns stealing each other's updates, so this one gives up: the daemon stops.
   */
  onConflict: (error: BotctlError) => void;
  /** Called whenever a getUpdates round ends, with updates, empty or failed (readiness: not stalled). */
  onPolled?: () => void;
}): RunnerHandle {
  const { bot, intake, log } = options;
  let offset = 0;
  let failures = 0;
  let delivered = false;
  const source = createSource<Update>({
    // The runner types its signal with an old shim; at run time it is Node's AbortSignal.
    async supply(batchSize, shimSignal) {
      const signal = shimSignal as unknown as AbortSignal;
      // The runner asks for the next batch as soon as it has the last one, in the same tick as
      // the handlers start. The long poll has nothing to do until Telegram has a new update, so it
      // leaves after what the handlers send first (see afterHandlersSent).
      if (delivered) await afterHandlersSent();
      delivered = false;
      try {
        const updates = await bot.api.getUpdates(
          {
            offset,
            limit: Math.max(1, Math.min(batchSize, 100)),
            timeout: options.pollTimeoutSeconds ?? 30,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          shimSignal,
        );
        options.onPolled?.();
        const fresh = await intake.record(updates);
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
        failures = 0;
        delivered = fresh.length > 0;
        return fresh;
      } catch (error) {
        if (signal.aborted) throw error;
        options.onPolled?.();
        if (error instanceof GrammyError && error.error_code === 409) {
          options.onConflict(translateTelegramError(error));
          await sleep(60_000, signal); // until the daemon stops the runner
          return [];
        }
        // Network failures are logged once per outage by the Telegram network transformer, and
        // retried on its short backoff: answers resume within seconds of the network's return.
        const delay = networkRetryDelay(failures);
        failures += 1;
        if (!(error instanceof HttpError))
          log.error({ err: error, retryInMs: delay }, 'fetching updates failed');
        await sleep(delay, signal);
        return [];
      }
    },
  });
  const sink = createConcurrentSink<Update>(
    { consume: (update) => intake.dispatch(update) },
    async (error) => log.error({ err: error }, 'update sink error'),
    { concurrency: options.concurrency },
  );
  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}

/**
 * Resolves after the event loop's next three check phases. A text update's model request is
 * written by the second check phase after its handler starts: in the first the group commit writes
 * the quota reservation (adapters/db/sqlite/group-commit.ts) and the handler builds the request
 * when that resolves; undici queues the write itself for the next. Building the getUpdates request
 * costs a quarter of a millisecond: made in either of those phases it delayed every answer's model
 * request by that much; made in the third, it runs while the model answers. A handler with more
 * waits than these does not hold the long poll up any longer: this only orders what is ready at once.
 */
async function afterHandlersSent(): Promise<void> {
  for (let phase = 0; phase < 3; phase++) await new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(); // stopped already: an abort event will not come again
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
