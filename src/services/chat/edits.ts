/**
 * Edits re-ask: a user who fixes a typo by editing their last question gets the answer to the
 * edited one. Only the newest question qualifies, within 10 minutes of asking it: an older one
 * has answers and questions after it that relied on it, so its edit changes nothing (and says
 * nothing). The old question and its answer are deleted and the edited question is asked and
 * stored in their place (the history keeps only the edited turn); it is not counted as another
 * question (the edge admits it without reserving one), though the new answer's tokens are. The bot replaces the old answer's messages
 * (bot/features/edits.ts). Only an edit pays for this: two reads, never a plain message.
 */
import type { Message, User } from '../../domain/entities.js';
import type { ConversationKey, OnText, Repositories } from '../../domain/ports/index.js';
import { runTurn, textTurn, type Answered, type TurnDeps } from './turn.js';
import { withQuote } from '../../domain/quote.js';
import type { ReplyInput } from './replies.js';

/** How long after asking a question its edit re-asks it. */
export const EDIT_WINDOW_MS = 10 * 60_000;

/** The question an edit replaces, and its answer when there is one. */
export interface Editable {
  conversationId: number;
  question: Message;
  answer: Message | null;
}

export function createEdits(deps: TurnDeps & { repos: Pick<Repositories, 'conversations'> }) {
  const conversations = deps.repos.conversations;
  return {
    /**
     * The newest question of the open conversation when it is Telegram message `telegramMessageId`,
     * asked at most EDIT_WINDOW_MS before `editedAt` and changed by the edit; else null (ignored).
     */
    async findEditable(
      key: ConversationKey,
      telegramMessageId: number,
      text: string,
      editedAt: Date,
    ): Promise<Editable | null> {
      const conversation = await conversations.getActive(key);
      if (!conversation) return null;
      const last = await conversations.getContext(conversation.id, 2);
      const answer = last.at(-1)?.role === 'model' ? last.at(-1)! : null;
      const question = answer ? last.at(-2) : last.at(-1);
      if (question?.role !== 'user' || question.telegramMessageId !== telegramMessageId) return null;
      if (editedAt.getTime() - question.createdAt.getTime() > EDIT_WINDOW_MS) return null;
      // Telegram also sends an edit when only formatting changed; a replay after a crash finds it done.
      if (question.content === text && answer !== null) return null;
      return { conversationId: conversation.id, question, answer };
    },

    /** Replaces the question and its answer with the edited question and a new answer. */
    async reask(input: {
      user: User;
      editable: Editable;
      text: string;
      reply?: ReplyInput | undefined;
      signal?: AbortSignal;
      onText?: OnText;
    }): Promise<Answered> {
      const { editable } = input;
      if (editable.answer) await conversations.deleteMessage(editable.answer.id);
      await conversations.deleteMessage(editable.question.id);
      const question = withQuote(input.text, input.reply?.quote);
      return runTurn(deps, {
        user: input.user,
        conversationId: editable.conversationId,
        signal: input.signal,
        onText: input.onText,
        pending: {
          ...textTurn(question),
          telegramMessageId: editable.question.telegramMessageId,
          store: true,
        },
      });
    },
  };
}
