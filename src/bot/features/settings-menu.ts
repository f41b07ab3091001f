/**
 * The /settings menu (@grammyjs/menu): a summary message with one button per setting, each
 * opening a submenu of choices or toggling; plus the standalone language and timezone menus
 * that /language and /timezone send. All menus share one index, so installing the root
 * menu makes every one of them interactive.
 */
import type { MiddlewareFn } from 'grammy';
import { Menu } from '@grammyjs/menu';
import type { SettingsService } from '../../services/settings/index.js';
import type { BotContext } from '../context.js';
import { adopt, choiceMenu, ignoreNotModified, menuOptions } from './settings-choices.js';
import { choiceSpecs, currentValue, shownUser, SUBMENUS, type SubmenuId } from './settings-specs.js';
import { ack, notice } from './button-answers.js';
import { languageName, onOff, settingsSummary } from './settings-view.js';

export interface SettingsMenus {
  root: Menu<BotContext>;
  language: Menu<BotContext>;
  timezone: Menu<BotContext>;
}

const BUTTON_KEYS: Record<SubmenuId, string> = {
  language: 'settings-btn-language',
  persona: 'settings-btn-persona',
  detail: 'settings-btn-detail',
  timezone: 'settings-btn-timezone',
  voice: 'settings-btn-voice',
  model: 'settings-btn-model',
};
const MENU_IDS = new Set(['settings', 'language', 'timezone', ...SUBMENUS.map((id) => `settings-${id}`)]);

export function createSettingsMenus(settings: SettingsService): SettingsMenus {
  const redraw = async (ctx: BotContext): Promise<void> => {
    await ctx.editMessageText(settingsSummary(ctx, settings, ctx.state.user!)).catch(ignoreNotModified);
  };
  const specs = choiceSpecs(settings);
  const root = new Menu<BotContext>('settings', menuOptions);
  SUBMENUS.forEach((id, index) => {
    if (index > 0 && index % 2 === 0) root.row();
    root.submenu(
      (ctx) => ctx.t(BUTTON_KEYS[id], { value: currentValue(ctx, settings, id) }),
      `settings-${id}`,
      ack,
    );
  });
  const toggle = (key: 'showTranscript' | 'suggestions' | 'search') => async (ctx: BotContext) => {
    if (!ctx.state.user) return notice(ctx, 'menu-invalid');
    adopt(ctx, await settings.toggle(ctx.state.user, key));
    await redraw(ctx);
    await notice(ctx, 'settings-saved');
  };
  root
    .row()
    .text(
      (ctx) =>
        ctx.t('settings-btn-transcript', { value: onOff(ctx, shownUser(ctx).settings.showTranscript) }),
      toggle('showTranscript'),
    )
    .text(
      (ctx) => ctx.t('settings-btn-suggestions', { value: onOff(ctx, shownUser(ctx).settings.suggestions) }),
      toggle('suggestions'),
    );
  if (settings.searchChoice())
    root
      .row()
      .text(
        (ctx) => ctx.t('settings-btn-search', { value: onOff(ctx, shownUser(ctx).settings.search) }),
        toggle('search'),
      );
  root
    .row()
    .text(
      (ctx) => ctx.t('settings-btn-prompt'),
      (ctx) =>
        ctx.answerCallbackQuery({
          text: ctx.t('settings-prompt-help', { max: settings.maxPromptChars }),
          show_alert: true,
        }),
    )
    .text(
      (ctx) => ctx.t('settings-btn-close'),
      async (ctx) => (ctx.menu.close(), ack(ctx)),
    );

  root.register(
    SUBMENUS.map((id) => choiceMenu({ id: `settings-${id}`, ...specs[id], after: 'summary' }, redraw)),
  );
  const language = choiceMenu(
    {
      id: 'language',
      ...specs.language,
      after: (ctx, u) => ctx.t('language-set', { language: languageName(ctx, u.language) }),
    },
    redraw,
  );
  const timezone = choiceMenu(
    {
      id: 'timezone',
      ...specs.timezone,
      after: (ctx, u) => ctx.t('timezone-set', { timezone: u.settings.timezone }),
    },
    redraw,
  );
  root.register([language, timezone]);
  return { root, language, timezone };
}

/**
 * Callback data that names one of these menus must have the menu plugin's shape; the plugin
 * itself would throw on a forged position (e.g. "settings/zz/0"), so such data gets the
 * stale-button notice here instead of an error.
 */
export const guardMenuData: MiddlewareFn<BotContext> = (ctx, next) => {
  const [id = '', row = '', col = ''] = ctx.callbackQuery?.data?.split('/') ?? [];
  if (!MENU_IDS.has(id) || (/^[0-9a-f]{1,2}$/.test(row) && /^[0-9a-f]{1,2}$/.test(col))) return next();
  return notice(ctx, 'button-stale');
};
