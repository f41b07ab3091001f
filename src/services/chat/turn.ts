/**
 * One model turn of a conversation: build the context, ask the model (streaming only the
 * visible answer, never the transcript or suggestion tags), then store the answer and count
 * usage. A media turn (voice, photo, document) is not in the database yet: its parts go with
 * this request only, and its text marker is stored together with the answer, so a failed
 * media turn leaves no row and no usage behind.
 */
import type { User } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import { envelopeInstruction, parseEnvelope, visibleAnswer } from '../../domain/answer-envelope.js';
import { estimateTokens } from '../../domain/context-window.js';
import type { ChatPart, ChatResult, OnText, Repositories } from '../../domain/ports/index.js';
import { utcDay } from '../../domain/quota.js';
import { buildContext, type LoadedConversation } from './context.js';
import type { ModelCaller } from '../model/index.js';

export interface TurnDeps {
  repos: Pick<Repositories, 'conversations'>;
  caller: ModelCaller;
  config: { model: string; contextTokens: number; personas?: Readonly<Record<string, string>> | undefined };
  now: () => Date;
}

/** An answer that reached the chat, for what follows it (titling the conversation, see delivery.ts). */
export interface AnsweredEvent {
  user: User;
  conversationId: number;
  /** False when the conversation is known to have a title already (no need to look). */
  untitled: boolean;
}

/** A user turn carrying media, stored only once it is answered. */
export interface MediaTurn {
  /** Sent with this request only (inline data, file references, the caption or instruction). */
  parts: ChatPart[];
  /** Ask for a transcript of the audio in the same call. */
  transcribe: boolean;
  /** The text the turn is remembered by, e.g. "[voice 0:12] <transcript>". */
  describe(transcript: string | null): string;
}

export interface Answered {
  kind: 'answered';
  text: string;
  /** The model call; null when a replay sends an answer generated before a crash. */
  result: ChatResult | null;
  /** The stored answer (what a speak button points at). */
  messageId: number;
  /** The stored user turn of a media answer (audio rows hang off it); null for text turns. */
  userMessageId: number | null;
  transcript: string | null;
  suggestions: string[];
  /** Told once the answer is delivered; null for a replay of an answer stored before a crash. */
  event: AnsweredEvent | null;
}

export async function runTurn(
  deps: TurnDeps,
  input: {
    user: User;
    conversationId: number;
    signal?: AbortSignal | undefined;
    onText?: OnText | undefined;
    /** A media turn to send and store; `store: false` when a replay already stored it. */
    pending?: MediaTurn & { telegramMessageId: number | null; store: boolean };
    /** The conversation and its history as the caller read them, including the new user turn. */
    loaded?: LoadedConversation | undefined;
  },
): Promise<Answered> {
  const { repos, caller, config, now } = deps;
  const { user, conversationId, pending } = input;
  const request = await buildContext({
    conversations: repos.conversations,
    caller,
    conversationId,
    user,
    model: user.settings.model ?? config.model,
    budgetTokens: config.contextTokens,
    now: now(),
    personas: config.personas,
    loaded: input.loaded,
  });
  const extra = envelopeInstruction({
    transcript: pending?.transcribe ?? false,
    suggestions: user.settings.suggestions,
  });
  if (extra) request.systemInstruction = `${request.systemInstruction ?? ''}\n\n${extra}`;
  if (pending) request.turns.push({ role: 'user', parts: pending.parts });

  let shown = '';
  const onText = input.onText ?? (() => undefined);
  const started = Date.now();
  const result = await caller.stream({ ...request, signal: input.signal }, (_delta, soFar, final) => {
    const visible = visibleAnswer(soFar);
    if (visible === shown) return;
    const delta = visible.startsWith(shown) ? visible.slice(shown.length) : visible;
    shown = visible;
    onText(delta, visible, final);
  });
  const parsed = parseEnvelope(result.text);
  if (parsed.answer === '') {
    throw new BotctlError('GEMINI_EMPTY', 'Gemini returned only a transcript or suggestions, no answer', {
      params: { reason: result.finishReason ?? 'NONE' },
    });
  }

  let userMessageId: number | null = null;
  if (pending?.store) {
    const content = pending.describe(parsed.transcript);
    const stored = await repos.conversations.appendMessage({
      conversationId,
      role: 'user',
      content,
      tokensIn: estimateTokens(content),
      telegramMessageId: pending.telegramMessageId,
      createdAt: now(),
    });
    userMessageId = stored.id;
  }
  const answer = await repos.conversations.appendCounted(
    {
      conversationId,
      role: 'model',
      content: parsed.answer,
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
      model: result.model,
      latencyMs: Date.now() - started,
      createdAt: now(),
    },
    {
      userId: user.id,
      day: utcDay(now()),
      // A media turn is counted with its answer (it was stored just above).
      delta: { messages: pending?.store ? 1 : 0, tokensIn: result.tokensIn, tokensOut: result.tokensOut },
    },
  );
  return {
    kind: 'answered',
    text: parsed.answer,
    result,
    messageId: answer.id,
    userMessageId,
    transcript: parsed.transcript,
    suggestions: parsed.suggestions,
    event: { user, conversationId, untitled: input.loaded?.conversation.title == null },
  };
}
