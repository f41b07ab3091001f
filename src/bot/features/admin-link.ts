/**
 * /admin: a one-time sign-in link to the web panel, for the ids in config `admins` only (the
 * rule lives in the sessions service). Not in the command menu: chatters never see it. The
 * link's token is in its fragment, so Telegram's link preview could not spend it; previews are
 * off anyway.
 */
import { Composer } from 'grammy';
import type { AdminSessionsService } from '../../services/admin-api/index.js';
import { threadOptions, type BotContext } from '../context.js';

export function adminLinkFeature(deps: {
  adminSessions: Pick<AdminSessionsService, 'linkForChat'>;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType('private').command('admin', async (ctx) => {
    const link = await deps.adminSessions.linkForChat(ctx.from.id);
    if (link === null) {
      await ctx.reply(ctx.t('admin-link-refused'), threadOptions(ctx));
      return;
    }
    await ctx.reply(ctx.t('admin-link', { url: link.url, minutes: 10 }), {
      ...threadOptions(ctx),
      link_preview_options: { is_disabled: true },
    });
  });
  return composer;
}
