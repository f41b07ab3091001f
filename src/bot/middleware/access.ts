/**
 * Identifies the sender and applies access rules before any feature runs. Banned users get
 * one polite notice and then silence; over-limit users are told when they may continue.
 * Only messages that would reach the model are admitted against limits (`admitted`).
 */
import type { MiddlewareFn } from 'grammy';
import { formatInZone } from '../../domain/quota.js';
import type { AccessService } from '../../services/access/index.js';
import { threadOptions, type BotContext } from '../context.js';

export function identify(access: AccessService): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    // A pre-checkout query makes no user: it is answered only for users the bot already knows.
    if (from && !from.is_bot && !ctx.preCheckoutQuery) {
      ctx.state.user = await access.identify({
        telegramId: from.id,
        username: from.username ?? null,
        firstName: from.first_name ?? null,
        lastName: from.last_name ?? null,
        languageCode: from.language_code ?? null,
      });
      await ctx.i18n.renegotiateLocale();
    }
    await next();
  };
}

/** Guards a model-bound handler: runs it only when the user is admitted right now. */
export function admitted(access: AccessService): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!user) return;
    const decision = await access.admit(user, { replay: ctx.state.replayed === true });
    if (decision.allowed) return next();
    const reply = (text: string) => ctx.reply(text, threadOptions(ctx));
    switch (decision.reason) {
      case 'banned':
        if (decision.firstNotice) await reply(ctx.t('access-banned'));
        return;
      case 'not-allowed':
        await reply(ctx.t('access-not-allowed', { id: user.telegramId }));
        return;
      case 'rate-limited':
        await reply(ctx.t('error-rate-limited', { seconds: decision.retryAfterSeconds }));
        return;
      case 'quota':
        await reply(
          ctx.t('error-quota-exceeded', {
            resetAt: formatInZone(decision.resetsAt, user.settings.timezone, user.language),
          }),
        );
        return;
    }
  };
}
