/**
 * Each user's newest inline query, for the inline feature's debounce. Installed before
 * per-chat ordering: a user's queries are handled one after another, so the handler of an
 * older query can only learn that a newer one exists if arrivals are recorded up front.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';

/** Remembers each user's newest inline query. Installed before per-chat ordering, so it sees arrivals at once. */
export function createInlineTracker() {
  const latest = new Map<number, { id: string; at: number }>();
  const track: MiddlewareFn<BotContext> = (ctx, next) => {
    const query = ctx.inlineQuery;
    if (query) latest.set(query.from.id, { id: query.id, at: Date.now() });
    return next();
  };
  return {
    track,
    /** Milliseconds this query has stood unchanged, or undefined when a newer one superseded it. */
    age(userId: number, queryId: string): number | undefined {
      const entry = latest.get(userId);
      return entry?.id === queryId ? Date.now() - entry.at : undefined;
    },
    done(userId: number, queryId: string): void {
      if (latest.get(userId)?.id === queryId) latest.delete(userId);
    },
  };
}

export type InlineTracker = ReturnType<typeof createInlineTracker>;
