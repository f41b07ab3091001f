/**
 * Builds the model request for a conversation: system instruction from the user's settings,
 * the running summary, and the newest turns that fit the token budget. Turns that no longer
 * fit are first folded into the summary by a model call, so context is never dropped
 * silently; if summarising fails, those turns stay unsummarised and are tried again next time.
 */
import type { Conversation, Message, User } from '../../domain/entities.js';
import type { ChatRequest, ChatTurn, ConversationRepository } from '../../domain/ports/index.js';
import {
  buildSummaryPrompt,
  estimateTokens,
  MESSAGE_OVERHEAD_TOKENS,
  planContext,
} from '../../domain/context-window.js';
import { buildSystemInstruction, maxOutputTokensFor, resolvePersona } from '../../domain/prompt.js';
import type { ModelCaller } from '../model/index.js';

/** Upper bound of unsummarised turns read per request; older ones are summarised first. */
export const HISTORY_WINDOW = 200;

/** A conversation and its unsummarised turns, as the caller already read them. */
export interface LoadedConversation {
  conversation: Conversation;
  history: Message[];
}

/** Reads the conversation and the turns its summary does not cover yet. */
export async function loadConversation(
  conversations: ConversationRepository,
  conversation: Conversation,
): Promise<LoadedConversation> {
  const history = await conversations.messagesAfter(
    conversation.id,
    conversation.summaryUpToMessageId ?? 0,
    HISTORY_WINDOW,
  );
  return { conversation, history };
}

export async function buildContext(input: {
  conversations: ConversationRepository;
  caller: ModelCaller;
  conversationId: number;
  user: User;
  model: string;
  budgetTokens: number;
  now: Date;
  personas?: Readonly<Record<string, string>>;
  /** Already read by the caller (saves two queries on the hot path); read here when absent. */
  loaded?: LoadedConversation | undefined;
  /** The text of a new user turn sent after the history (not stored yet), when there is one. */
  pendingText?: string | undefined;
}): Promise<Omit<ChatRequest, 'signal'>> {
  const { conversations, user } = input;
  const loaded = input.loaded ?? (await loadById(conversations, input.conversationId));
  let summary = loaded?.conversation.summary ?? null;
  const history = loaded?.history ?? [];
  const persona = personaFor(user.settings.persona, input.personas);
  const systemInstruction = buildSystemInstruction({
    persona,
    customPrompt: user.settings.customPrompt,
    detailLevel: user.settings.detailLevel,
    language: user.language,
    timezone: user.settings.timezone,
    now: input.now,
  });
  const plan = planContext({
    summary,
    messages: history,
    budgetTokens: input.budgetTokens,
    systemTokens:
      estimateTokens(systemInstruction) +
      (input.pendingText === undefined ? 0 : estimateTokens(input.pendingText) + MESSAGE_OVERHEAD_TOKENS),
    // The question asked is always sent: the pending turn, or else the newest stored one.
    keepAtLeast: input.pendingText === undefined ? 1 : 0,
  });
  if (plan.toSummarise.length > 0) {
    summary = await summarise(input, summary, plan.toSummarise);
  }
  return {
    model: input.model,
    systemInstruction: summary
      ? `${systemInstruction}\n\nSummary of the earlier conversation:\n${summary}`
      : systemInstruction,
    turns: plan.include.map(toTurn),
    maxOutputTokens: maxOutputTokensFor(user.settings.detailLevel),
  };
}

async function loadById(conversations: ConversationRepository, id: number) {
  const conversation = await conversations.getById(id);
  return conversation ? loadConversation(conversations, conversation) : undefined;
}

async function summarise(
  input: {
    conversations: ConversationRepository;
    caller: ModelCaller;
    conversationId: number;
    model: string;
    user: User;
  },
  previous: string | null,
  messages: Message[],
): Promise<string | null> {
  try {
    const prompt = buildSummaryPrompt(previous, messages, input.user.language);
    const result = await input.caller.generate({
      model: input.model,
      turns: [{ role: 'user', parts: [{ text: prompt }] }],
    });
    const last = messages[messages.length - 1]!;
    await input.conversations.setSummary(input.conversationId, result.text, last.id);
    return result.text;
  } catch {
    return previous;
  }
}

/** Operator-defined personas (config) first, then the built-in ones; unknown ids fall back to the assistant. */
function personaFor(id: string, extra: Readonly<Record<string, string>> | undefined) {
  return extra && Object.hasOwn(extra, id) ? { id, prompt: extra[id]! } : resolvePersona(id);
}

function toTurn(message: Message): ChatTurn {
  return { role: message.role, parts: [{ text: message.content }] };
}
