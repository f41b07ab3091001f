/**
 * Answers to a pressed inline button. Telegram shows a spinner until the callback query is
 * answered; an answer that fails (the query expired) changes nothing for the user, so it is
 * never an error.
 */
import type { BotContext } from '../context.js';

/** A short notice on the pressed button (stale, forged or refused input). */
export async function notice(
  ctx: BotContext,
  key: string,
  params?: Record<string, string | number>,
): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key, params) }).catch(() => undefined);
}

/** Answers a pressed button without a text (stops the client's spinner). */
export async function ack(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery().catch(() => undefined);
}
