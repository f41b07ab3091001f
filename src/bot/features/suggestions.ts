/**
 * Follow-up suggestion buttons (settings.suggestions): pressing one asks that question in the
 * same conversation. Button data is signed (callback-data.ts); a forged, expired or someone
 * else's button gets a short notice on the button instead of an answer.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import type { SuggestionService } from '../../services/chat/index.js';
import type { CallbackSigner } from '../callback-data.js';
import { conversationKeyOf, threadOptions, type BotContext } from '../context.js';
import { runAnswer, type AnswerDeps } from './answer.js';
import { notice } from './button-answers.js';

export function suggestionsFeature(
  deps: AnswerDeps & {
    admitted: MiddlewareFn<BotContext>;
    suggestions: SuggestionService;
    signer: CallbackSigner;
  },
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.callbackQuery(/^sg:/, async (ctx) => {
    const user = ctx.state.user;
    const data = deps.signer.verify(ctx.callbackQuery.data);
    const match = data === undefined ? null : /^sg:(\d+):(\d)$/.exec(data);
    if (!user || !match || !ctx.chat) return notice(ctx, 'callback-invalid');
    const recalled = await deps.suggestions.recall(Number(match[1]), Number(match[2]), user.id);
    if (recalled.kind === 'expired') return notice(ctx, 'suggestion-expired');
    if (recalled.kind === 'not-yours') return notice(ctx, 'suggestion-not-yours');
    await ctx.answerCallbackQuery().catch(deps.onError);
    const question = recalled.question;
    await deps.admitted(ctx, async () => {
      // The question is shown as the user's, so the answer below it reads as a reply.
      await ctx.reply(`❓ ${question}`, threadOptions(ctx));
      await runAnswer(ctx, deps, ({ signal, onText }) =>
        deps.chat.answer({
          user,
          key: conversationKeyOf(ctx),
          text: question,
          telegramMessageId: null,
          replayed: false,
          signal,
          onText,
        }),
      );
    });
  });

  return composer;
}
