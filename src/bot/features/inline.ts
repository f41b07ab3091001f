/**
 * Inline mode: `@bot question` in any chat. Clients send a query per keystroke, so a query is
 * answered only once it has stood unchanged for `debounceMs` (a newer one from the same user
 * supersedes it and the old one is left to expire); queries shorter than three characters are
 * never sent to the model. An empty query shows a hint button instead of results.
 */
import { createHash } from 'node:crypto';
import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { MIN_INLINE_QUERY, type InlineService } from '../../services/chat/index.js';
import type { BotContext } from '../context.js';
import type { InlineTracker } from '../middleware/inline-tracker.js';

/** How long Telegram may cache an answer for the same query text (seconds). */
const CACHE_TIME = 300;
const TITLE_CHARS = 64;

export function inlineFeature(deps: {
  inline: InlineService;
  tracker: InlineTracker;
  debounceMs: number;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('inline_query', async (ctx) => {
    const { id, query, from } = ctx.inlineQuery;
    const user = ctx.state.user;
    if (!user) return;
    try {
      if (!(await settled(deps, from.id, id, query))) return;
      const outcome = await deps.inline.answer(user, query);
      const hint = (key: string) =>
        ctx.answerInlineQuery([], {
          cache_time: 0,
          is_personal: true,
          button: { text: ctx.t(key), start_parameter: 'inline' },
        });
      switch (outcome.kind) {
        case 'hint':
        case 'too-short':
          return await hint('inline-hint');
        case 'denied':
          return await hint(outcome.decision.reason === 'quota' ? 'inline-quota' : 'inline-refused');
        case 'answer':
          return await ctx.answerInlineQuery([article(outcome.query, outcome.text)], {
            cache_time: CACHE_TIME,
          });
      }
    } finally {
      deps.tracker.done(from.id, id);
    }
  });

  return composer;
}

/** Waits out the debounce; false when a newer query from the same user arrived meanwhile. */
async function settled(
  deps: { tracker: InlineTracker; debounceMs: number },
  userId: number,
  queryId: string,
  query: string,
): Promise<boolean> {
  if (query.trim().length < MIN_INLINE_QUERY) return true;
  const age = deps.tracker.age(userId, queryId);
  if (age === undefined) return false;
  if (age < deps.debounceMs) await new Promise((resolve) => setTimeout(resolve, deps.debounceMs - age));
  return deps.tracker.age(userId, queryId) !== undefined;
}

function article(query: string, text: string): InlineQueryResultArticle {
  return {
    type: 'article',
    id: createHash('sha256').update(query).digest('hex').slice(0, 32),
    title: query.length > TITLE_CHARS ? `${query.slice(0, TITLE_CHARS - 1)}…` : query,
    description: text.slice(0, 200),
    input_message_content: { message_text: `❓ ${query}\n\n${text}`.slice(0, 4096) },
  };
}
