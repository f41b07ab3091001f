/**
 * The command list Telegram shows in the "/" menu, per interface language (setMyCommands with
 * language_code), plus the default list in English for every other language. Descriptions
 * are the locale keys cmd-<command>.
 */
import type { Api } from 'grammy';
import { INTERFACE_LANGUAGES } from '../domain/settings-rules.js';

export const CHAT_COMMANDS = [
  'new',
  'retry',
  'stop',
  'ask',
  'image',
  'history',
  'sources',
  'settings',
  'prompt',
  'language',
  'timezone',
  'usage',
  'premium',
  'export',
  'forget',
  'privacy',
  'help',
  'start',
] as const;

export type Translate = (locale: string, key: string) => string;

/**
 * Commands shown only while their feature is on: /premium while the operator sells premium,
 * /sources when answers may search (searchGrounding not off).
 */
export interface MenuFeatures {
  premium: boolean;
  search: boolean;
}

function commandList(
  t: Translate,
  locale: string,
  features: MenuFeatures,
): { command: string; description: string }[] {
  const shown = (command: string) =>
    (command !== 'premium' || features.premium) && (command !== 'sources' || features.search);
  return CHAT_COMMANDS.filter(shown).map((command) => ({
    command,
    description: t(locale, `cmd-${command}`),
  }));
}

/** Sets the default list (English) and one per interface language. */
export async function setCommandMenus(
  api: Pick<Api, 'setMyCommands'>,
  t: Translate,
  features: MenuFeatures,
): Promise<void> {
  await api.setMyCommands(commandList(t, 'en', features));
  for (const language of INTERFACE_LANGUAGES) {
    await api.setMyCommands(commandList(t, language, features), { language_code: language });
  }
}
