import { afterEach, describe, expect, it } from 'vitest';
import { Composer } from 'grammy';
import type { Update } from 'grammy/types';
import { useEagerBranch } from '../../src/bot/eager-branch.js';
import {
  callbackUpdate as callback,
  commonUpdates,
  privateOrFallback,
  routingBot,
  runLogged,
  textUpdate as message,
} from '../helpers/routing.js';

const grammyBranch = Composer.prototype.branch;

/**
 * A bot whose routing uses every shape of branch botctl's features use: command, chatType then
 * on, handlers added to a filtered composer after the branch was made, an async predicate,
 * arrays of middleware on both sides, next() falling through, and a handler that throws.
 */
function scenario(): { run: (updates: Update[]) => Promise<string[]> } {
  const log: string[] = [];
  const bot = routingBot();
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
  privateOrFallback(bot, log);
  return { run: (updates) => runLogged(bot, log, updates) };
}

const updates = () => [
  ...commonUpdates(),
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
