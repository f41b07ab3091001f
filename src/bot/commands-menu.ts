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
  'export',
  'forget',
  'privacy',
  'help',
  'start',
] as const;

export type Translate = (locale: string, key: string) => string;

/** What the menu depends on: /sources only when answers may search (searchGrounding not off). */
export interface MenuOptions {
  search: boolean;
}

function commandList(
  t: Translate,
  locale: string,
  options: MenuOptions,
): { command: string; description: string }[] {
  return CHAT_COMMANDS.filter((command) => command !== 'sources' || options.search).map((command) => ({
    command,
    description: t(locale, `cmd-${command}`),
  }));
}

/** Sets the default list (English) and one per interface language. */
export async function setCommandMenus(
  api: Pick<Api, 'setMyCommands'>,
  t: Translate,
  options: MenuOptions,
): Promise<void> {
  await api.setMyCommands(commandList(t, 'en', options));
  for (const language of INTERFACE_LANGUAGES) {
    await api.setMyCommands(commandList(t, language, options), { language_code: language });
  }
}
