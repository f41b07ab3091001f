/** /prompt set <text> | show | clear: the user's own instructions, sent with every request. */
import { Composer } from 'grammy';
import type { SettingsService } from '../../services/settings/index.js';
import { threadOptions, type BotContext } from '../context.js';

export function promptFeature(deps: { settings: SettingsService }): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('prompt', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const reply = (key: string, params?: Record<string, string | number>) =>
      ctx.reply(ctx.t(key, params), threadOptions(ctx));
    const [, action = '', text = ''] = /^(\S*)\s*([\s\S]*)$/.exec(ctx.match.trim()) ?? [];
    const max = deps.settings.maxPromptChars;
    switch (action.toLowerCase()) {
      case 'set': {
        const change = await deps.settings.setPrompt(user, text);
        if (change.ok) return void (await reply('prompt-saved', { length: text.trim().length }));
        if (change.reason === 'too-long')
          return void (await reply('prompt-too-long', { length: change.length, max }));
        return void (await reply('prompt-usage', { max }));
      }
      case 'show':
        return void (await (user.settings.customPrompt
          ? reply('prompt-show', { prompt: user.settings.customPrompt })
          : reply('prompt-none')));
      case 'clear':
        await deps.settings.clearPrompt(user);
        return void (await reply('prompt-cleared'));
      default:
        await reply('prompt-usage', { max });
    }
  });

  return composer;
}
