/**
 * The first middleware: every handler error is logged with update id and user id, counted
 * by code, and answered with a short apology in the user's language, never a stack trace.
 *
 * Except a send refused by a long Telegram flood wait: no apology could be sent either, and the
 * answer is not lost, only late. It leaves as FloodDeferred, for the intake to run the update
 * again when the wait ends (domain/flood-wait.ts); so does an apology such a wait refuses.
 */
import { GrammyError, type MiddlewareFn } from 'grammy';
import { toBotctlError } from '../../domain/errors.js';
import { FloodDeferred, isLongFloodWait } from '../../domain/flood-wait.js';
import type { Log, Metrics } from '../../domain/telemetry.js';
import { threadOptions, type BotContext } from '../context.js';

export function errorBoundary(deps: { log: Log; metrics: Metrics }): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const retryAfter = longFloodWaitOf(raw);
      if (retryAfter !== undefined) throw new FloodDeferred(retryAfter, { cause: raw });
      const error = toBotctlError(raw);
      deps.metrics.error(error.code);
      deps.log.error(
        { err: raw, code: error.code, updateId: ctx.update.update_id, userId: ctx.from?.id },
        'update handler failed',
      );
      if (!ctx.chat) return;
      const key = error.code === 'INTERNAL' ? 'error-internal' : error.localeKey;
      await ctx.reply(ctx.t(key, { ...error.params }), threadOptions(ctx)).catch((sendError: unknown) => {
        // Refused by a long flood wait: the whole update runs again after it, apology included.
        const wait = longFloodWaitOf(sendError);
        if (wait !== undefined) throw new FloodDeferred(wait, { cause: sendError });
        deps.log.warn({ err: sendError, updateId: ctx.update.update_id }, 'apology not sent');
      });
    }
  };
}

/** The `retry_after` of a send Telegram (or the flood gate) refused for longer than a handler waits. */
function longFloodWaitOf(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  const seconds = error.parameters.retry_after;
  return isLongFloodWait(seconds) ? seconds : undefined;
}
