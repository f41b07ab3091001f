/** /language: pick the interface language from buttons, or name it (/language ru). */
import { Composer } from 'grammy';
import { INTERFACE_LANGUAGES } from '../../domain/settings-rules.js';
import type { SettingsService } from '../../services/settings/index.js';
import { threadOptions, type BotContext } from '../context.js';
import { adopt } from './settings-choices.js';
import type { SettingsMenus } from './settings-menu.js';
import { languageName } from './settings-view.js';

export function languageFeature(deps: {
  settings: SettingsService;
  menus: SettingsMenus;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('language', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const code = ctx.match.trim().toLowerCase();
    if (code === '') {
      await ctx.reply(ctx.t('language-choose'), { ...threadOptions(ctx), reply_markup: deps.menus.language });
      return;
    }
    const updated = await deps.settings.setLanguage(user, code);
    if (!updated) {
      await ctx.reply(
        ctx.t('language-unknown', { languages: INTERFACE_LANGUAGES.join(', ') }),
        threadOptions(ctx),
      );
      return;
    }
    adopt(ctx, updated);
    await ctx.reply(
      ctx.t('language-set', { language: languageName(ctx, updated.language) }),
      threadOptions(ctx),
    );
  });

  return composer;
}
