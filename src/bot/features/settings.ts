/**
 * /settings (the menu), /timezone (typed, picked from a short list, or from a shared
 * location when the user asked for that) and the location message that answers it.
 */
import { Composer } from 'grammy';
import { isNauticalZone, utcOffset } from '../../domain/timezones.js';
import type { SettingsService } from '../../services/settings/index.js';
import { threadOptions, type BotContext } from '../context.js';
import { adopt } from './settings-choices.js';
import type { SettingsMenus } from './settings-menu.js';
import { settingsSummary } from './settings-view.js';

export function settingsFeature(deps: {
  settings: SettingsService;
  menus: SettingsMenus;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('settings', async (ctx) => {
    if (!ctx.state.user) return;
    await ctx.reply(settingsSummary(ctx, deps.settings, ctx.state.user), {
      ...threadOptions(ctx),
      reply_markup: deps.menus.root,
    });
  });

  composer.command('timezone', async (ctx) => {
    const user = ctx.state.user;
    if (!user) return;
    const input = ctx.match.trim();
    if (input === '') {
      await ctx.reply(ctx.t('timezone-choose', { timezone: user.settings.timezone }), {
        ...threadOptions(ctx),
        reply_markup: deps.menus.timezone,
      });
      return;
    }
    const updated = await deps.settings.setTimezone(user, input);
    if (!updated) {
      await ctx.reply(ctx.t('timezone-invalid', { input: input.slice(0, 64) }), threadOptions(ctx));
      return;
    }
    adopt(ctx, updated);
    await ctx.reply(ctx.t('timezone-set', { timezone: updated.settings.timezone }), threadOptions(ctx));
  });

  // Only a location the user was asked for sets the zone; others go on to later features.
  composer.on('message:location', async (ctx, next) => {
    const user = ctx.state.user;
    const { latitude, longitude } = ctx.msg.location;
    const updated = user ? await deps.settings.locationShared(user, latitude, longitude) : null;
    if (!updated) return next();
    adopt(ctx, updated);
    const timezone = updated.settings.timezone;
    const offset = utcOffset(timezone, new Date());
    const text = isNauticalZone(timezone)
      ? ctx.t('timezone-from-location-sea', { timezone, offset })
      : ctx.t('timezone-from-location', { timezone, offset });
    await ctx.reply(text, {
      ...threadOptions(ctx),
      reply_markup: { remove_keyboard: true },
    });
  });

  return composer;
}
