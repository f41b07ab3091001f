/**
 * /history: past conversations, 5 a page, each with continue, rename and delete. Buttons
 * carry ids; every id is checked against the user by the history service, so a stale or
 * forged button gets a notice. Renaming waits for the user's next text message in the chat.
 */
import { Composer } from 'grammy';
import type { HistoryService } from '../../services/history/index.js';
import { conversationKeyOf, threadOptions, type BotContext } from '../context.js';
import { conversationView, deleteView, HISTORY_DATA, pageView, titleOf } from './history-view.js';
import { ignoreNotModified } from './settings-choices.js';
import { ack, notice } from './button-answers.js';

export function historyFeature(deps: { history: HistoryService }): Composer<BotContext> {
  const { history } = deps;
  const composer = new Composer<BotContext>();
  const show = (ctx: BotContext, view: ReturnType<typeof pageView>) =>
    ctx.editMessageText(view.text, { reply_markup: view.keyboard }).catch(ignoreNotModified);

  // A pending rename takes the next text message; a command instead cancels it.
  composer.on('message:text', async (ctx, next) => {
    const user = ctx.state.user;
    const pending = user ? await history.pendingRename(user, ctx.chat.id) : null;
    if (pending === null || !user) return next();
    if (ctx.msg.text.startsWith('/')) {
      await history.cancelRename(user);
      return next();
    }
    const title = await history.rename(user, pending, ctx.msg.text);
    await ctx.reply(title ? ctx.t('history-renamed', { title }) : ctx.t('history-gone'), threadOptions(ctx));
  });

  composer.command('history', async (ctx) => {
    const user = ctx.state.user;
    if (!user || !ctx.chat) return;
    const view = pageView(ctx, user, await history.page(user, conversationKeyOf(ctx), 0));
    await ctx.reply(view.text, { ...threadOptions(ctx), reply_markup: view.keyboard });
  });

  composer.callbackQuery(/^hist:/, async (ctx) => {
    const user = ctx.state.user;
    const [, action, rawId = '', rawPage = '0'] = HISTORY_DATA.exec(ctx.callbackQuery.data) ?? [];
    if (!user || !ctx.chat || !action) return notice(ctx, 'button-stale');
    // hist:p:<page>; every other action: hist:<action>:<conversation id>[:<page to return to>].
    if (action === 'p') {
      await show(ctx, pageView(ctx, user, await history.page(user, conversationKeyOf(ctx), Number(rawId))));
      return ack(ctx);
    }
    const id = Number(rawId);
    const page = Number(rawPage);
    const found = await history.details(user, id);
    if (!found) return notice(ctx, 'history-gone');
    const { conversation } = found;
    switch (action) {
      case 'o':
        await show(ctx, conversationView(ctx, user, conversation, found.messages, page));
        return ack(ctx);
      case 'c':
        await history.continueIn(user, conversationKeyOf(ctx), id);
        await ctx.editMessageText(ctx.t('history-continued', { title: titleOf(ctx, conversation) }));
        return notice(ctx, 'history-continued-short');
      case 'r':
        await history.beginRename(user, ctx.chat.id, id);
        await ctx.editMessageText(ctx.t('history-rename-ask', { title: titleOf(ctx, conversation) }));
        return ack(ctx);
      case 'd':
        await show(ctx, deleteView(ctx, conversation, page));
        return ack(ctx);
      default:
        await history.remove(user, id);
        await show(ctx, pageView(ctx, user, await history.page(user, conversationKeyOf(ctx), page)));
        return notice(ctx, 'history-deleted');
    }
  });

  return composer;
}
