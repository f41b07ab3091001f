/** /usage: today's usage against the daily quota of the user's role, and when it resets for them. */
import { Composer } from 'grammy';
import { formatInZone } from '../../domain/quota.js';
import type { UsageService } from '../../services/access/index.js';
import { threadOptions, type BotContext } from '../context.js';

export function usageFeature(deps: { usage: UsageService }): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('usage', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const { today, limits, resetsAt, searches } = await deps.usage.today(user);
    const of = (used: number, limit: number) =>
      limit === 0 ? ctx.t('usage-unlimited', { used }) : ctx.t('usage-of', { used, limit });
    const text = ctx.t('usage-report', {
      messages: of(today.messages, limits.messagesPerDay),
      tokens: of(today.tokensIn + today.tokensOut, limits.tokensPerDay),
      images: of(today.images, limits.imagesPerDay),
      audio: of(today.audioSeconds, limits.audioSecondsPerDay),
      // Only where answers may search: a line that can never move would only puzzle.
      searches: searches
        ? ctx.t('usage-searches', { searches: of(today.searches, limits.searchesPerDay) })
        : '',
      resetAt: formatInZone(resetsAt, user.settings.timezone, user.language),
      timezone: user.settings.timezone,
    });
    await ctx.reply(text, threadOptions(ctx));
  });

  return composer;
}
