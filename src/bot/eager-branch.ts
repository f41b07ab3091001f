/**
 * grammY's Composer.branch, which on, command, chatType, callbackQuery, hears and filter are
 * built on, is `lazy` (grammy 1.x, out/composer.js): for every update that reaches it, it builds a
 * new Composer around the side the predicate picked and runs that. 37 of them lie in the path of
 * every text message through botctl's features, so each answer built 37 Composers and their
 * closures: about 6% of what a burst allocated (a sampling heap profile: 1,720 -> 1,640 MB over
 * 2,500 answers without them), and three promises per branch.
 *
 * This gives branch the same decision without the wrapper, once per process: the predicate runs
 * once per update (awaited only when it returns a promise), and the side it picks gets (ctx, next)
 * exactly as the lazy Composer passed them on. A side that is a Composer is asked for its
 * middleware at each update, as before, so handlers added to it after the branch was made (filter
 * returns it to add them) still run. Every e2e suite runs the daemon through it;
 * test/bot/eager-branch.test.ts pins the semantics.
 */
import { Composer, type Context, type Middleware, type MiddlewareFn } from 'grammy';

type Branch = Composer<Context>['branch'];

/**
 * One middleware function for what grammY accepts as middleware. A Composer is asked for its
 * middleware at each update, so what is added to it later still runs (lean-use.ts relies on it too).
 */
export function flatten<C extends Context>(middleware: Middleware<C> | Middleware<C>[]): MiddlewareFn<C> {
  if (Array.isArray(middleware)) return flatten(new Composer<C>(...middleware));
  if (typeof middleware === 'function') return middleware;
  return (ctx, next) => middleware.middleware()(ctx, next);
}

function eagerBranch<C extends Context>(
  this: Composer<C>,
  predicate: (ctx: C) => boolean | Promise<boolean>,
  trueMiddleware: Middleware<C> | Middleware<C>[],
  falseMiddleware: Middleware<C> | Middleware<C>[],
): Composer<C> {
  const onTrue = flatten(trueMiddleware);
  const onFalse = flatten(falseMiddleware);
  // Not an async function: the predicates in the way of a text message are synchronous, and
  // each await here was a promise per branch per update (grammY's concat awaits what this returns).
  return this.use((ctx, next) => {
    const picked = predicate(ctx);
    if (typeof picked === 'boolean') return picked ? onTrue(ctx, next) : onFalse(ctx, next);
    return picked.then((yes) => (yes ? onTrue(ctx, next) : onFalse(ctx, next)));
  });
}

/** Idempotent; createBot calls it before any feature registers a handler. */
export function useEagerBranch(): void {
  Composer.prototype.branch = eagerBranch as unknown as Branch;
}
