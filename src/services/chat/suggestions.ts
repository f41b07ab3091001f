/**
 * Follow-up suggestions under an answer. Callback data holds 64 bytes, too few for a question,
 * so the questions wait in the cache under the answer's message id and the button carries only
 * the id and an index (signed by the bot edge). Whoever asked may press them for a week; after
 * that, or after a restart with the in-memory cache, a button is reported as expired.
 */
import type { Cache } from '../../domain/ports/index.js';

const TTL_MS = 7 * 24 * 3600_000;

interface Stored {
  userId: number;
  questions: string[];
}

export type Recalled = { kind: 'ok'; question: string } | { kind: 'expired' } | { kind: 'not-yours' };

export function createSuggestionService(deps: { cache: Cache }) {
  const key = (messageId: number) => `suggest:${messageId}`;
  return {
    async remember(messageId: number, userId: number, questions: string[]): Promise<void> {
      await deps.cache.set<Stored>(key(messageId), { userId, questions }, TTL_MS);
    },
    async recall(messageId: number, index: number, userId: number): Promise<Recalled> {
      const stored = await deps.cache.get<Stored>(key(messageId));
      const question = stored?.questions[index];
      if (!stored || question === undefined) return { kind: 'expired' };
      if (stored.userId !== userId) return { kind: 'not-yours' };
      return { kind: 'ok', question };
    },
  };
}

export type SuggestionService = ReturnType<typeof createSuggestionService>;
