import { afterEach, describe, expect, it } from 'vitest';
import { Composer, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import { useEagerBranch } from '../../src/bot/eager-branch.js';
import { useLeanUse } from '../../src/bot/lean-use.js';
import {
  commonUpdates,
  privateOrFallback,
  routingBot,
  runLogged,
  textUpdate as message,
} from '../helpers/routing.js';

const grammyUse = Composer.prototype.use;
const grammyBranch = Composer.prototype.branch;

/**
 * Every way botctl's middleware meets the chain: a plugin-like middleware around the rest (awaits
 * next, then logs), composers extended after they were used, sync middleware that returns nothing,
 * one that returns next()'s promise and chains on it, falling through with next, next called twice,
 * a synchronous throw and a rejection, and an error boundary around some of it.
 */
function scenario(): { run: (updates: Update[]) => Promise<string[]> } {
  const log: string[] = [];
  const bot = routingBot();
  bot.use(async (ctx, next) => {
    log.push(`in:${ctx.msg?.text ?? ''}`);
    await next();
    log.push(`out:${ctx.msg?.text ?? ''}`);
  });
  bot.use((_ctx, next) => next().then(() => void log.push('then')));
  const features = new Composer<Context>();
  bot.use(features);
  features.command('start', (ctx) => void log.push(`start:${ctx.match}`));
  features.use((ctx, next) => {
    if (ctx.msg?.text === 'sync') {
      log.push('sync');
      return;
    }
    return next();
  });
  features.hears('twice', async (_ctx, next) => {
    await next();
    await next();
  });
  features.hears('throw', () => {
    throw new Error('thrown');
  });
  features.hears('reject', () => Promise.reject(new Error('rejected')));
  const bounded = features.errorBoundary(
    (error) => void log.push(`caught:${(error.error as Error).message}`),
  );
  bounded.hears('inside', () => {
    throw new Error('inside');
  });
  privateOrFallback(features, log);
  return { run: (updates) => runLogged(bot, log, updates) };
}

const updates = () => [
  ...commonUpdates(),
  message('sync'),
  message('twice'),
  message('throw'),
  message('reject'),
  message('inside'),
];

describe('useLeanUse (bot/lean-use.ts)', () => {
  afterEach(() => {
    Composer.prototype.use = grammyUse;
    Composer.prototype.branch = grammyBranch;
  });

  it("runs every update exactly as grammY's own use does, alone and with the eager branch", async () => {
    const expected = await scenario().run(updates());
    useLeanUse();
    expect(await scenario().run(updates())).toEqual(expected);
    useEagerBranch();
    expect(await scenario().run(updates())).toEqual(expected);
    // The scenario reached every kind of outcome, so the comparison covers them.
    expect(expected).toEqual([
      'in:/start now',
      'start:now',
      'then',
      'out:/start now',
      'in:hello',
      'private:hello',
      'then',
      'out:hello',
      'in:hello',
      'fallback:group:hello',
      'then',
      'out:hello',
      'in:pass',
      'fallback:private:pass',
      'then',
      'out:pass',
      'in:sync',
      'sync',
      'then',
      'out:sync',
      'in:twice',
      'private:twice',
      'error:Error in middleware: `next` already called before!',
      'in:throw',
      'error:Error in middleware: thrown',
      'in:reject',
      'error:Error in middleware: rejected',
      'in:inside',
      'caught:inside',
      'then',
      'out:inside',
    ]);
  });

  it('hands every middleware a promise from next and returns one, even around sync middleware', async () => {
    useLeanUse();
    const composer = new Composer<Context>();
    const seen: string[] = [];
    composer.use((_ctx, next) => {
      const result = next();
      seen.push(result instanceof Promise ? 'promise' : typeof result);
      return result;
    });
    composer.use(() => undefined);
    const ran = composer.middleware()({} as Context, () => Promise.resolve());
    expect(ran).toBeInstanceOf(Promise);
    await ran;
    expect(seen).toEqual(['promise']);
  });

  it('settles a long chain in a few microtasks, not several per layer', async () => {
    /** Microtask turns until a chain of 100 middleware that each pass on has settled. */
    const turns = async () => {
      const composer = new Composer<Context>();
      for (let i = 0; i < 100; i++) composer.use((_ctx, next) => next());
      let settled = false;
      let count = 0;
      const tick = () => {
        count += 1;
        if (!settled) queueMicrotask(tick);
      };
      queueMicrotask(tick);
      await composer.middleware()({} as Context, () => Promise.resolve());
      settled = true;
      return count;
    };
    const grammy = await turns();
    useLeanUse();
    const lean = await turns();
    expect(grammy).toBeGreaterThan(200);
    expect(lean).toBeLessThan(10);
  });
});
