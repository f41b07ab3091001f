// Bot-level methods: identity, chats, commands, menu button, query answers, update delivery.
import type { BotCommand } from 'grammy/types';
import { badRequest } from '../errors.js';
import type { MethodHandler } from '../state.js';
import { readChatId } from '../store.js';

const commandsKey = (scope: unknown, languageCode: unknown): string =>
  `${JSON.stringify(scope ?? { type: 'default' })}|${typeof languageCode === 'string' ? languageCode : ''}`;

export const botMethods: Record<string, MethodHandler> = {
  getMe: (_params, state) => state.bot,

  getChat(params, state) {
    const chat = state.store.chat(readChatId(params.chat_id));
    return { ...chat, accent_color_id: 0, max_reaction_count: 11 };
  },

  setMyCommands(params, state) {
    if (!Array.isArray(params.commands)) throw badRequest('commands is empty');
    if (params.commands.length > 100) throw badRequest('too many commands');
    const commands = params.commands as BotCommand[];
    for (const c of commands) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw badRequest('BOT_COMMAND_INVALID');
      }
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    state.commands.set(commandsKey(params.scope, params.language_code), commands);
    return true;
  },

  getMyCommands: (params, state) => state.commands.get(commandsKey(params.scope, params.language_code)) ?? [],

  deleteMyCommands(params, state) {
    state.commands.delete(commandsKey(params.scope, params.language_code));
    return true;
  },

  setChatMenuButton(params, state) {
    const key = params.chat_id === undefined ? 'default' : String(readChatId(params.chat_id));
    state.menuButtons.set(key, params.menu_button ?? { type: 'default' });
    return true;
  },

  getChatMenuButton(params, state) {
    const key = params.chat_id === undefined ? 'default' : String(readChatId(params.chat_id));
    return state.menuButtons.get(key) ?? state.menuButtons.get('default') ?? { type: 'commands' };
  },

  answerCallbackQuery(params, state) {
    answerQuery(state.openQueries, params.callback_query_id);
    if (typeof params.text === 'string' && params.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    return true;
  },

  answerInlineQuery(params, state) {
    if (!Array.isArray(params.results)) throw badRequest('results is empty');
    const ids = new Set<string>();
    for (const result of params.results as { id?: unknown; type?: unknown }[]) {
      if (typeof result.type !== 'string' || typeof result.id !== 'string') {
        throw badRequest("can't parse inline query result");
      }
      if (ids.has(result.id)) throw badRequest('RESULT_ID_DUPLICATE');
      ids.add(result.id);
    }
    answerQuery(state.openQueries, params.inline_query_id);
    return true;
  },

  getUpdates: (params, state, io) => state.queue.getUpdates(params, (cancel) => io.onAbort(cancel)),
  setWebhook: (params, state) => state.queue.setWebhook(params),
  deleteWebhook: (params, state) => state.queue.deleteWebhook(params),
  getWebhookInfo: (_params, state) => state.queue.webhookInfo(),
};

/** A query can be answered once, and only if Telegram delivered it (it was pushed as an update). */
function answerQuery(open: Set<string>, id: unknown): void {
  if (typeof id !== 'string' || !open.has(id)) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  open.delete(id);
}
