// What the grammY routing tests share (test/bot/eager-branch.test.ts, lean-use.test.ts): updates as
// Telegram sends them, a bot that needs no getMe, and a run that logs each update's outcome.
import { Bot, type Composer, type Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { fakeBotInfo } from '../fakes/telegram/bot-info.js';

export const routingBotInfo: UserFromGetMe = fakeBotInfo(42, { supports_inline_queries: true });

let nextId = 1;

/** A text message from user 7, a command when it starts with '/'. */
export function textUpdate(text: string, chat: 'private' | 'group' = 'private'): Update {
  const from = { id: 7, is_bot: false, first_name: 'U' };
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]!.length }]
    : [];
  return {
    update_id: nextId++,
    message: {
      message_id: nextId,
      date: 1,
      from,
      chat:
        chat === 'private'
          ? { id: 7, type: 'private', first_name: 'U' }
          : { id: -5, type: 'group', title: 'G' },
      text,
      ...(entities.length ? { entities } : {}),
    },
  } as Update;
}

export const callbackUpdate = (data: string): Update =>
  ({
    update_id: nextId++,
    callback_query: {
      id: String(nextId),
      from: { id: 7, is_bot: false, first_name: 'U' },
      chat_instance: 'c',
      data,
      message: { message_id: 1, date: 1, chat: { id: 7, type: 'private', first_name: 'U' } },
    },
  }) as Update;

/** The updates privateOrFallback routes and every scenario starts with: a command, private and group text, 'pass'. */
export const commonUpdates = (): Update[] => [
  textUpdate('/start now'),
  textUpdate('hello'),
  textUpdate('hello', 'group'),
  textUpdate('pass'),
];

export const routingBot = () => new Bot<Context>('1:x', { botInfo: routingBotInfo });

/**
 * Private text goes to a handler added to the filtered composer after its branch and the fallback
 * exist (it runs in the fallback's place); 'pass' falls through to the fallback.
 */
export function privateOrFallback(composer: Composer<Context>, log: string[]): void {
  const privateChats = composer.chatType('private');
  composer.on('message', (ctx) => void log.push(`fallback:${ctx.chat.type}:${ctx.msg.text ?? ''}`));
  privateChats.on('message:text', async (ctx, next) => {
    if (ctx.msg.text === 'pass') return next();
    log.push(`private:${ctx.msg.text}`);
  });
}

/** Handles the updates one after another; the log gains `error:<message>` for each that failed. */
export async function runLogged(bot: Bot<Context>, log: string[], updates: Update[]): Promise<string[]> {
  for (const update of updates) {
    await bot.handleUpdate(update).catch((error: unknown) => log.push(`error:${(error as Error).message}`));
  }
  return log;
}
