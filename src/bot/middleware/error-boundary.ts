/**
 * The first middleware: every handler error is logged with update id and user id, counted
 * by code, and answered with a short apology in the user's language, never a stack trace.
 */
import type { MiddlewareFn } from 'grammy';
import { toBotctlError } from '../../domain/errors.js';
import type { Log, Metrics } from '../../domain/telemetry.js';
import { threadOptions, type BotContext } from '../context.js';

export function errorBoundary(deps: { log: Log; metrics: Metrics }): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const error = toBotctlError(raw);
      deps.metrics.error(error.code);
      deps.log.error(
        { err: raw, code: error.code, updateId: ctx.update.update_id, userId: ctx.from?.id },
        'update handler failed',
      );
      if (!ctx.chat) return;
      const key = error.code === 'INTERNAL' ? 'error-internal' : error.localeKey;
      await ctx
        .reply(ctx.t(key, { ...error.params }), threadOptions(ctx))
        .catch((sendError: unknown) =>
          deps.log.warn({ err: sendError, updateId: ctx.update.update_id }, 'apology not sent'),
        );
    }
  };
}
