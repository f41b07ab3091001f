/**
 * What each settings submenu offers: its choices, which one is current, and the service call
 * that stores a pick. The timezone submenu also asks for a location.
 */
import { Keyboard, type MiddlewareFn } from 'grammy';
import type { Menu } from '@grammyjs/menu';
import { DEFAULT_USER_SETTINGS, DETAIL_LEVELS, VOICE_REPLY_MODES, type User } from '../../domain/entities.js';
import { INTERFACE_LANGUAGES } from '../../domain/settings-rules.js';
import { QUICK_ZONES } from '../../domain/timezones.js';
import type { SettingsService } from '../../services/settings/index.js';
import type { BotContext } from '../context.js';
import type { ChoiceSpec } from './settings-choices.js';
import { ack, notice } from './button-answers.js';
import { languageName, modelName, personaName } from './settings-view.js';

export const SUBMENUS = ['language', 'persona', 'detail', 'timezone', 'voice', 'model'] as const;
export type SubmenuId = (typeof SUBMENUS)[number];

/** The user a menu renders for; a stranger (no user) sees the defaults. */
export const shownUser = (ctx: BotContext): Pick<User, 'language' | 'settings'> =>
  ctx.state.user ?? { language: 'en', settings: DEFAULT_USER_SETTINGS };

export function choiceSpecs(settings: SettingsService): Record<SubmenuId, Omit<ChoiceSpec, 'id' | 'after'>> {
  const askLocation: MiddlewareFn<BotContext> = async (ctx) => {
    if (!ctx.state.user) return notice(ctx, 'menu-invalid');
    await settings.awaitLocation(ctx.state.user);
    await ack(ctx);
    const keyboard = new Keyboard().requestLocation(ctx.t('timezone-location-button')).oneTime().resized();
    await ctx.reply(ctx.t('timezone-location-ask'), { reply_markup: keyboard });
  };
  return {
    language: {
      perRow: 2,
      choices: (ctx) => INTERFACE_LANGUAGES.map((code) => ({ value: code, label: languageName(ctx, code) })),
      current: (user) => user.language,
      apply: settings.setLanguage,
    },
    persona: {
      perRow: 2,
      choices: (ctx) =>
        settings.personas().map((id) => ({ value: id, label: personaName(ctx, settings, id) })),
      current: (user) => user.settings.persona,
      apply: settings.setPersona,
    },
    detail: {
      perRow: 3,
      choices: (ctx) => DETAIL_LEVELS.map((level) => ({ value: level, label: ctx.t(`detail-${level}`) })),
      current: (user) => user.settings.detailLevel,
      apply: settings.setDetailLevel,
    },
    timezone: {
      perRow: 3,
      choices: () => QUICK_ZONES.map((zone) => ({ value: zone, label: zone })),
      current: (user) => user.settings.timezone,
      apply: settings.setTimezone,
      extra: (menu: Menu<BotContext>) =>
        menu.row().text((ctx) => ctx.t('timezone-location-button'), askLocation),
    },
    voice: {
      perRow: 3,
      choices: (ctx) => VOICE_REPLY_MODES.map((mode) => ({ value: mode, label: ctx.t(`spoken-${mode}`) })),
      current: (user) => user.settings.voiceReplies,
      apply: settings.setVoiceReplies,
    },
    model: {
      perRow: 1,
      choices: (ctx) =>
        settings.models().map((model) => ({ value: model, label: modelName(ctx, settings, model) })),
      current: (user) => user.settings.model ?? settings.defaultModel,
      apply: settings.setModel,
    },
  };
}

/** The current value shown on each submenu's button in the main menu. */
export function currentValue(ctx: BotContext, settings: SettingsService, id: SubmenuId): string {
  const { language, settings: s } = shownUser(ctx);
  switch (id) {
    case 'language':
      return languageName(ctx, language);
    case 'persona':
      return personaName(ctx, settings, s.persona);
    case 'detail':
      return ctx.t(`detail-${s.detailLevel}`);
    case 'timezone':
      return s.timezone;
    case 'voice':
      return ctx.t(`spoken-${s.voiceReplies}`);
    case 'model':
      return modelName(ctx, settings, s.model);
  }
}
