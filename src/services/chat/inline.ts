/**
 * Inline mode (`@bot question` in any chat): a short answer as an article. Answers are cached
 * per normalised question and language, so the same question typed again (or by someone else)
 * costs no model call; only a model call counts against the asker's quota and rate limit.
 * Very short queries are not answered: they are mostly someone still typing.
 */
import type { User } from '../../domain/entities.js';
import { languageName } from '../../domain/prompt.js';
import { utcDay } from '../../domain/quota.js';
import type { Cache, UsageRepository } from '../../domain/ports/index.js';
import type { AccessDecision, UsageHold } from '../access/index.js';
import type { ModelCaller } from '../model/index.js';

export const MIN_INLINE_QUERY = 3;
const CACHE_TTL_MS = 60 * 60_000;
/** Telegram's article text limit is 4096; inline answers are meant to be short anyway. */
const MAX_ANSWER_CHARS = 3500;

export type InlineOutcome =
  | { kind: 'hint' }
  | { kind: 'too-short' }
  | { kind: 'answer'; query: string; text: string; cached: boolean }
  | { kind: 'denied'; decision: Exclude<AccessDecision, { allowed: true }> };

export interface InlineDeps {
  caller: ModelCaller;
  cache: Cache;
  usage: UsageRepository;
  admit: (user: User) => Promise<AccessDecision>;
  release: (hold: UsageHold) => Promise<void>;
  config: { model: string };
  now: () => Date;
}

/** Lower case, one space between words, no trailing punctuation: "What is  Rust?" -> "what is rust". */
function normaliseQuery(query: string): string {
  return query
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.…]+$/u, '');
}

export function createInlineService(deps: InlineDeps) {
  async function answer(user: User, query: string, signal?: AbortSignal): Promise<InlineOutcome> {
    const question = query.trim();
    if (question === '') return { kind: 'hint' };
    const normalised = normaliseQuery(question);
    if (normalised.length < MIN_INLINE_QUERY) return { kind: 'too-short' };
    const key = `inline:${user.language}:${normalised}`;
    const hit = await deps.cache.get<string>(key);
    if (hit !== undefined) return { kind: 'answer', query: question, text: hit, cached: true };

    const decision = await deps.admit(user);
    if (!decision.allowed) return { kind: 'denied', decision };
    // The question was reserved when admitted; a call that fails gives it back.
    const result = await generate(user, question, signal).catch(async (error: unknown) => {
      if (decision.hold) await deps.release(decision.hold);
      throw error;
    });
    const text = result.text.trim().slice(0, MAX_ANSWER_CHARS);
    await deps.usage.increment(user.id, utcDay(deps.now()), {
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
    });
    await deps.cache.set(key, text, CACHE_TTL_MS);
    return { kind: 'answer', query: question, text, cached: false };
  }

  function generate(user: User, question: string, signal: AbortSignal | undefined) {
    return deps.caller.generate({
      model: user.settings.model ?? deps.config.model,
      systemInstruction:
        'You answer questions typed inline in a Telegram chat. Answer in at most three short sentences of plain text ' +
        `(no Markdown). Answer in ${languageName(user.language)} unless the question is in another language.`,
      turns: [{ role: 'user', parts: [{ text: question }] }],
      maxOutputTokens: 2048,
      ...(signal ? { signal } : {}),
    });
  }

  return { answer };
}

export type InlineService = ReturnType<typeof createInlineService>;
