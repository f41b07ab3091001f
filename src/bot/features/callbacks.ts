/**
 * The last callback handler: a button no feature recognised (an old message, a removed
 * feature, forged data) gets a short notice instead of a spinner that never stops.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { notice } from './button-answers.js';

export function unhandledCallbacks(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query', (ctx) => notice(ctx, 'button-stale'));
  return composer;
}
