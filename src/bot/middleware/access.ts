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

/**
 * Guards a model-bound handler: runs it only when the user is admitted right now. `question`
 * (the default) reserves it as one of today's questions (services/access): kept whether it is
 * answered or stored for /retry, given back by releaseQuestion when a handler asks nothing after
 * all. `question: false` for what was counted before or counts on its own quota (an edit, /retry,
 * /image).
 */
export function admitted(
  access: AccessService,
  options: {
    question?: boolean;
    /** Premium is sold (BOTCTL_PREMIUM): a user at the daily quota is told /premium lifts it. */
    premiumOffered?: boolean;
  } = {},
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!user) return;
    const decision = await access.admit(user, {
      updateId: ctx.update.update_id,
      replay: ctx.state.replayed === true,
      question: options.question !== false,
    });
    if (decision.allowed) {
      const { hold } = decision;
      if (hold) ctx.state.releaseQuestion = () => access.release(hold);
      return next();
    }
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
      case 'quota': {
        const exceeded = ctx.t('error-quota-exceeded', {
          resetAt: formatInZone(decision.resetsAt, user.settings.timezone, user.language),
        });
        // Premium has limits of its own: only the user role has more to buy.
        const upgrade = options.premiumOffered === true && user.role === 'user';
        await reply(upgrade ? `${exceeded}\n${ctx.t('error-quota-premium')}` : exceeded);
        return;
      }
    }
  };
}

/**
 * Gives back the question reserved for this update, once: for a media turn that was refused or
 * failed (nothing of it is stored, so nothing of it counts, as /retry cannot answer it).
 */
export async function releaseQuestion(ctx: BotContext): Promise<void> {
  const release = ctx.state.releaseQuestion;
  ctx.state.releaseQuestion = undefined;
  await release?.();
}
