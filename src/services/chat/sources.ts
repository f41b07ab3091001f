/** `/sources`: the web sources of the open conversation's last answer, as stored with it. */
import type { ConversationKey, ConversationRepository } from '../../domain/ports/index.js';
import type { Source } from '../../domain/grounding.js';

export function createSourcesLookup(conversations: Pick<ConversationRepository, 'getActive' | 'getContext'>) {
  return {
    /** Empty when there is no answer yet or the last one was not grounded. */
    async lastSources(key: ConversationKey): Promise<Source[]> {
      const conversation = await conversations.getActive(key);
      if (!conversation) return [];
      const last = (await conversations.getContext(conversation.id, 2)).findLast((m) => m.role === 'model');
      return last?.sources ?? [];
    },
  };
}
