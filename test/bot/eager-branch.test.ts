import { afterEach, describe, expect, it } from 'vitest';
import { Bot, Composer, type Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { useEagerBranch } from '../../src/bot/eager-branch.js';

const grammyBranch = Composer.prototype.branch;

const botInfo: UserFromGetMe = {
  id: 42,
  is_bot: true as const,
  first_name: 'Test',
  username: 'test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

let nextId = 1;
function message(text: string, chat: 'private' | 'group' = 'private'): Update {
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
const callback = (data: string): Update =>
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

/**
 * A bot whose routing uses every shape of branch botctl's features use: command, chatType then
 * on, handlers added to a filtered composer after the branch was made, an async predicate,
 * arrays of middleware on both sides, next() falling through, and a handler that throws.
 */
function scenario(): { run: (updates: Update[]) => Promise<string[]> } {
  const log: string[] = [];
  const bot = new Bot<Context>('1:x', { botInfo });
  bot.command('start', (ctx) => void log.push(`start:${ctx.match}`));
  bot.filter(
    async (ctx) => {
      await new Promise((resolve) => setImmediate(resolve));
      return ctx.msg?.text === 'async';
    },
    (ctx) => void log.push(`async:${ctx.chat?.type}`),
  );
  bot.branch(
    (ctx) => ctx.msg?.text === 'arrays',
    [(_ctx, next) => (log.push('true-1'), next()), () => void log.push('true-2')],
    [(_ctx, next) => (log.push('false-1'), next())],
  );
  bot.callbackQuery(/^b:(\d+)$/, (ctx) => void log.push(`button:${ctx.match[1]}`));
  bot.hears('boom', () => {
    throw new Error('boom');
  });
  const privateChats = bot.chatType('private');
  bot.on('message', (ctx) => void log.push(`fallback:${ctx.chat.type}:${ctx.msg.text ?? ''}`));
  // Added to the filtered composer after its branch and the fallback exist: runs in its place.
  privateChats.on('message:text', async (ctx, next) => {
    if (ctx.msg.text === 'pass') return next();
    log.push(`private:${ctx.msg.text}`);
  });
  return {
    async run(updates) {
      for (const update of updates) {
        await bot
          .handleUpdate(update)
          .catch((error: unknown) => log.push(`error:${(error as Error).message}`));
      }
      return log;
    },
  };
}

const updates = () => [
  message('/start now'),
  message('hello'),
  message('hello', 'group'),
  message('pass'),
  message('async'),
  message('async', 'group'),
  message('arrays'),
  callback('b:12'),
  callback('other'),
  message('boom'),
];

/** Counts Composers built from here on: the constructor's first write of `handler` meets this setter. */
function countComposers(): { built: () => number } {
  let built = 0;
  Object.defineProperty(Composer.prototype, 'handler', {
    configurable: true,
    set(this: object, value: unknown) {
      built += 1;
      Object.defineProperty(this, 'handler', { value, writable: true, configurable: true, enumerable: true });
    },
  });
  return { built: () => built };
}

describe('useEagerBranch (bot/eager-branch.ts)', () => {
  afterEach(() => {
    Composer.prototype.branch = grammyBranch;
    delete (Composer.prototype as unknown as { handler?: unknown }).handler;
  });

  it("routes every update exactly as grammY's own branch does", async () => {
    const expected = await scenario().run(updates());
    useEagerBranch();
    const actual = await scenario().run(updates());
    expect(actual).toEqual(expected);
    // The scenario reached every kind of outcome, so the comparison covers them.
    expect(actual).toEqual([
      'start:now',
      'false-1',
      'private:hello',
      'false-1',
      'fallback:group:hello',
      'false-1',
      'fallback:private:pass',
      'async:private',
      'async:group',
      'true-1',
      'true-2',
      'false-1',
      'button:12',
      'false-1',
      'false-1',
      'error:Error in middleware: boom',
    ]);
  });

  it('builds no Composer per update', async () => {
    const composers = countComposers();
    const grammy = scenario();
    let before = composers.built();
    await grammy.run(updates());
    // grammY's branch builds a Composer for each branch an update reaches (10 updates here).
    expect(composers.built() - before).toBeGreaterThan(30);

    useEagerBranch();
    const eager = scenario();
    before = composers.built();
    await eager.run(updates());
    expect(composers.built() - before).toBe(0);
  });
});
