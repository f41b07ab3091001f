/**
 * grammY's Composer.use chains middleware with `concat` (grammy 1.x, out/composer.js), an async
 * function: every layer an update passes costs two promises and two suspensions, and every layer
 * an update skips (a filter that does not match calls next) costs the same. A text message passes
 * about 250 layers on its way through botctl's features: grammY's chain allocated 66 KB an update
 * where the bare bot's allocated 19 (a sampling heap profile over 2,000 answers), and an empty
 * composer's first layer is grammY's `pass`, a layer that only calls next.
 *
 * This gives use the same chain without the async wrapper (see chain()): the same order, the same
 * promises to the caller (resolved when the rest of the chain is, rejected when a middleware throws),
 * calling next twice fails the same way, and a composer that had no middleware yet takes the new
 * middleware as its chain instead of chaining it behind `pass`. test/bot/lean-use.test.ts runs the
 * same routing through grammY's use and this one.
 */
import { Composer, type Context, type Middleware, type MiddlewareFn, type NextFunction } from 'grammy';
import { flatten } from './eager-branch.js';

type Use = Composer<Context>['use'];

/** What an empty Composer's chain is: grammY's `pass` (the module does not export it). */
const PASS: MiddlewareFn<Context> = new Composer<Context>().middleware();

/**
 * grammY's concat without the async function: both the layer and the next it hands on still return a
 * promise, rejected when the middleware throws (Promise.resolve of a promise is that promise, so
 * nothing is allocated for a middleware that returns one).
 */
function chain<C extends Context>(first: MiddlewareFn<C>, andThen: MiddlewareFn<C>): MiddlewareFn<C> {
  return (ctx, next) => {
    let nextCalled = false;
    const inner: NextFunction = () => {
      if (nextCalled) return Promise.reject(new Error('`next` already called before!'));
      nextCalled = true;
      try {
        return Promise.resolve(andThen(ctx, next)) as Promise<void>;
      } catch (error) {
        return Promise.reject(error as Error);
      }
    };
    try {
      return Promise.resolve(first(ctx, inner));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
}

function leanUse<C extends Context>(this: Composer<C>, ...middleware: Array<Middleware<C>>): Composer<C> {
  const composer = new Composer<C>(...middleware);
  const self = this as unknown as { handler: MiddlewareFn<C> };
  self.handler = self.handler === PASS ? flatten(composer) : chain(self.handler, flatten(composer));
  return composer;
}

/** Idempotent; createBot calls it before any feature registers a handler. */
export function useLeanUse(): void {
  Composer.prototype.use = leanUse as unknown as Use;
}
