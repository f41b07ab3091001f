/** /start, /help, /new, /retry and /stop. */
import { Composer, type MiddlewareFn } from 'grammy';
import { chatKeyOf, conversationKeyOf, threadOptions, type BotContext } from '../context.js';
import { runAnswer, type AnswerDeps } from './answer.js';

export function commandsFeature(
  deps: AnswerDeps & { admittedAgain: MiddlewareFn<BotContext> },
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const reply = (ctx: BotContext, key: string, params?: Record<string, string | number>) =>
    ctx.reply(ctx.t(key, params), { ...threadOptions(ctx), parse_mode: 'HTML' });

  composer.command('start', (ctx) => reply(ctx, 'start-welcome', { name: ctx.from?.first_name ?? '' }));
  composer.command('help', (ctx) => reply(ctx, 'help'));

  composer.command('new', async (ctx) => {
    if (!ctx.state.user) return;
    await deps.chat.startNew(conversationKeyOf(ctx), ctx.state.user);
    await reply(ctx, 'new-started');
  });

  composer.command('retry', async (ctx) => {
    if (!ctx.state.user) return;
    // The question it answers again was counted when asked: only tokens count now.
    await deps.admittedAgain(ctx, () =>
      runAnswer(ctx, deps, ({ signal, onText }) =>
        deps.chat.retry({ user: ctx.state.user!, key: conversationKeyOf(ctx), signal, onText }),
      ),
    );
  });

  composer.command('stop', async (ctx) => {
    const stopped = await deps.inFlight.stop(chatKeyOf(ctx) ?? '');
    await reply(ctx, stopped ? 'stop-done' : 'stop-nothing');
  });

  return composer;
}
