/**
 * Everything a chatter manages about themselves: settings (menu, /prompt, /language,
 * /timezone), /history, data rights (/privacy, /export, /forget) and /usage. Installed
 * before the chat feature: a pending rename must see the next text message first.
 */
import { Composer } from 'grammy';
import type { HistoryService } from '../../services/history/index.js';
import type { PrivacyService } from '../../services/privacy/index.js';
import type { SettingsService } from '../../services/settings/index.js';
import type { UsageService } from '../../services/access/index.js';
import type { BotContext } from '../context.js';
import { historyFeature } from './history.js';
import { languageFeature } from './language.js';
import { privacyFeature } from './privacy.js';
import { promptFeature } from './prompt.js';
import { settingsFeature } from './settings.js';
import { createSettingsMenus, guardMenuData } from './settings-menu.js';
import { usageFeature } from './usage.js';

export interface AccountServices {
  settings: SettingsService;
  history: HistoryService;
  privacy: PrivacyService;
  usage: UsageService;
}

export function accountFeatures(services: AccountServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const menus = createSettingsMenus(services.settings);
  composer.use(guardMenuData);
  // The root menu first: it renders every menu a later handler sends, and answers their buttons.
  composer.use(menus.root);
  composer.use(
    historyFeature(services),
    settingsFeature({ settings: services.settings, menus }),
    languageFeature({ settings: services.settings, menus }),
    promptFeature(services),
    privacyFeature(services),
    usageFeature(services),
  );
  return composer;
}
