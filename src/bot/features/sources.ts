/** `/sources`: repeats the sources under the last answer (a grounded one), or says it had none. */
import { Composer } from 'grammy';
import { sourcesHtml } from '../../domain/grounding.js';
import type { ChatService } from '../../services/chat/index.js';
import { conversationKeyOf, threadOptions, type BotContext } from '../context.js';

export function sourcesFeature(deps: { chat: ChatService }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('sources', async (ctx) => {
    if (!ctx.state.user) return;
    const sources = await deps.chat.lastSources(conversationKeyOf(ctx));
    if (sources.length === 0) {
      await ctx.reply(ctx.t('sources-none'), threadOptions(ctx));
      return;
    }
    await ctx.reply(sourcesHtml(ctx.t('sources-heading'), sources), {
      ...threadOptions(ctx),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  });
  return composer;
}
