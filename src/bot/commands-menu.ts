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

function commandList(t: Translate, locale: string): { command: string; description: string }[] {
  return CHAT_COMMANDS.map((command) => ({ command, description: t(locale, `cmd-${command}`) }));
}

/** Sets the default list (English) and one per interface language. */
export async function setCommandMenus(api: Pick<Api, 'setMyCommands'>, t: Translate): Promise<void> {
  await api.setMyCommands(commandList(t, 'en'));
  for (const language of INTERFACE_LANGUAGES) {
    await api.setMyCommands(commandList(t, language), { language_code: language });
  }
}
