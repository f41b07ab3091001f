/**
 * The chat use case: build the context (running summary plus the newest turns that fit the
 * token budget, summarising what no longer fits), ask the model with retries and a circuit
 * breaker, then store the user's turn with the answer and count usage, in one write.
 *
 * When no answer comes (Gemini down), the user's message is stored on its own, so /retry
 * answers it later (see turn.ts). A replayed update (after a crash) is recognised
 * by its Telegram message id: answered once its answer was delivered (nothing is sent again),
 * while an answer stored but never delivered is handed back to be sent (see delivery.ts).
 * Media turns (voice, photos, documents) are the exception: their bytes cannot be replayed
 * by /retry, so they are stored only together with their answer (see turn.ts).
 */
import type { Conversation, Message, Role, User } from '../../domain/entities.js';
import type { QuotaLimits } from '../../domain/quota.js';
import type { ConversationKey, OnText, Repositories, UsageRepository } from '../../domain/ports/index.js';
import { runTurn, textTurn, type Answered, type MediaTurn } from './turn.js';
import { HISTORY_WINDOW, loadConversation } from './context.js';
import type { ModelCaller } from '../model/index.js';
import { createEdits } from './edits.js';
import { createSourcesLookup } from './sources.js';
import type { SearchGroundingMode } from '../../domain/grounding.js';
import { conversationForReply, questionWithQuote, type ReplyInput } from './replies.js';
import type { EventPublisher } from '../events/index.js';

export type { Answered, AnsweredEvent, MediaTurn } from './turn.js';
export type { ReplyInput } from './replies.js';
export type { Editable } from './edits.js';

export interface ChatConfig {
  model: string;
  contextTokens: number;
  /** Operator-defined personas (config `personas`): id -> prompt. */
  personas?: Readonly<Record<string, string>>;
  /** Google Search grounding: off, the user's choice (auto), or always (domain/grounding.ts). */
  searchGrounding?: SearchGroundingMode;
  /** Daily quotas per role: a grounded answer is reserved on searchesPerDay (turn.ts). */
  quotas?: Readonly<Record<Role, QuotaLimits>>;
}

export interface AnswerInput {
  user: User;
  key: ConversationKey;
  text: string;
  telegramMessageId: number | null;
  /**
   * The update was left pending by a crashed run: its turn and answer may already be stored.
   * A fresh update cannot have been seen (intake drops repeated update ids), so only a replay
   * looks for them.
   */
  replayed: boolean;
  signal?: AbortSignal;
  onText?: OnText;
  /** Voice, photo or document: sent with this turn only, stored (as its marker) with the answer. */
  media?: MediaTurn;
  /** The message replied to (text questions): quoted, and its conversation continued (replies.ts). */
  reply?: ReplyInput | undefined;
}

export type AnswerOutcome =
  | Answered
  /** A replay of an update whose answer Telegram already accepted. */
  | { kind: 'already-answered'; text: string }
  | { kind: 'nothing-to-retry' };

export function createChatService(deps: {
  repos: Pick<Repositories, 'conversations'>;
  caller: ModelCaller;
  config: ChatConfig;
  /** Where grounded answers are reserved (turn.ts); absent: not counted. */
  usage?: Pick<UsageRepository, 'reserve' | 'release' | 'get'>;
  now: () => Date;
  /** Event webhooks (message.answered). */
  events?: EventPublisher;
}) {
  const { repos, now } = deps;
  const conversations = repos.conversations;
  const turnDeps = deps;

  /** conversation.started, written with the new conversation (undefined: no endpoint takes it). */
  const startedBy = (user: Pick<User, 'id' | 'telegramId'>) =>
    deps.events?.on('conversation.started', (c: Conversation) => ({
      conversation_id: c.id,
      user_id: user.id,
      telegram_id: user.telegramId,
      chat_id: c.chatId,
      thread_id: c.threadId,
    }));

  async function answer(input: AnswerInput): Promise<AnswerOutcome> {
    const onStarted = startedBy(input.user);
    const replied = input.reply
      ? await conversationForReply(conversations, input.key, input.reply, now(), onStarted)
      : null;
    const conversation =
      replied?.conversation ?? (await conversations.getOrStart(input.key, now(), onStarted));
    // One read serves both the replay check and the model's context.
    const loaded = await loadConversation(conversations, conversation);
    const replayed = input.replayed
      ? findReplay(await replayWindow(conversation.id, loaded.history), input.telegramMessageId)
      : undefined;
    if (replayed?.answer) {
      if (replayed.answer.deliveredAt) return { kind: 'already-answered', text: replayed.answer.content };
      return undelivered(replayed.answer);
    }
    if (input.media) {
      const pending = { ...input.media, telegramMessageId: input.telegramMessageId, store: !replayed };
      const { signal, onText } = input;
      return runTurn(turnDeps, {
        user: input.user,
        conversationId: conversation.id,
        signal,
        onText,
        pending,
        loaded,
      });
    }
    // A new question is stored with its answer in one write (turn.ts); a replay's is stored already.
    const { signal, onText } = input;
    const pending = replayed
      ? undefined
      : {
          ...textTurn(
            input.reply
              ? questionWithQuote(input.text, input.reply, replied!.continued, loaded.history)
              : input.text,
          ),
          telegramMessageId: input.telegramMessageId,
          store: true,
        };
    return runTurn(turnDeps, {
      user: input.user,
      conversationId: conversation.id,
      signal,
      onText,
      pending,
      loaded,
    });
  }

  /**
   * The newest turns, where a replayed update's message would be. The unsummarised history
   * already holds them unless it filled its window (then newer turns lie beyond it).
   */
  async function replayWindow(conversationId: number, history: Message[]): Promise<Message[]> {
    return history.length < HISTORY_WINDOW ? history : conversations.getContext(conversationId, 20);
  }

  /** Regenerates the last answer, or answers a message left unanswered while Gemini was down. */
  async function retry(
    input: Omit<AnswerInput, 'text' | 'telegramMessageId' | 'replayed'>,
  ): Promise<AnswerOutcome> {
    const conversation = await conversations.getActive(input.key);
    if (!conversation) return { kind: 'nothing-to-retry' };
    const [last] = (await conversations.getContext(conversation.id, 1)).slice(-1);
    if (!last) return { kind: 'nothing-to-retry' };
    if (last.role === 'model') await conversations.deleteMessage(last.id);
    return generate(input.user, conversation.id, input);
  }

  /** Builds the context, asks the model, stores the answer and counts usage (see turn.ts). */
  function generate(
    user: User,
    conversationId: number,
    input: Pick<AnswerInput, 'signal' | 'onText'>,
  ): Promise<AnswerOutcome> {
    return runTurn(turnDeps, { user, conversationId, signal: input.signal, onText: input.onText });
  }

  async function startNew(key: ConversationKey, user: Pick<User, 'id' | 'telegramId'>): Promise<void> {
    await conversations.start(key, now(), startedBy(user));
  }

  return { answer, retry, startNew, ...createEdits(turnDeps), ...createSourcesLookup(conversations) };
}

export type ChatService = ReturnType<typeof createChatService>;

/**
 * An answer stored before a crash but never delivered: sent as it was generated (no second model
 * call). What lived only in memory is gone: the suggestions and the transcript shown above it.
 */
function undelivered(answer: Message): Answered {
  return {
    kind: 'answered',
    text: answer.content,
    result: null,
    messageId: answer.id,
    userMessageId: null,
    transcript: null,
    suggestions: [],
    sources: answer.sources ?? [],
    event: null,
  };
}

/** The stored user turn for this Telegram message and the answer that followed it, if any. */
function findReplay(recent: Message[], telegramMessageId: number | null) {
  if (telegramMessageId === null) return undefined;
  const index = recent.findIndex((m) => m.role === 'user' && m.telegramMessageId === telegramMessageId);
  if (index < 0) return undefined;
  const next = recent[index + 1];
  return { user: recent[index]!, answer: next?.role === 'model' ? next : undefined };
}
