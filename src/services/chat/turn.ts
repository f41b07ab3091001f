/**
 * One model turn of a conversation: build the context, ask the model (streaming only the
 * visible answer, never the transcript or suggestion tags), then store the answer and count
 * usage. A new user turn (text, voice, photo, document) is not in the database yet: its parts
 * go with this request, and it is stored together with the answer in one write, so an answer
 * costs one write where a question stored first and its answer after would cost two. A crash
 * meanwhile loses nothing: the update stays pending in the inbox and is answered on replay.
 * When no answer comes (Gemini down, an empty answer, a cancel), a text question is stored on
 * its own so /retry can answer it later; a media turn leaves no row behind (its bytes could not
 * be sent again), and the edge releases its question (bot/middleware/access.ts releaseQuestion).
 */
import type { Message, NewMessage, Role, User } from '../../domain/entities.js';
import type { EventPublisher } from '../events/index.js';
import { BotctlError } from '../../domain/errors.js';
import { envelopeInstruction, parseEnvelope, visibleAnswer } from '../../domain/answer-envelope.js';
import { estimateTokens } from '../../domain/context-window.js';
import type {
  ChatPart,
  ChatResult,
  OnText,
  Repositories,
  UsageRepository,
} from '../../domain/ports/index.js';
import { utcDay, type QuotaLimits } from '../../domain/quota.js';
import { createQuotaHolds, type UsageHold } from '../access/index.js';
import { buildContext, type LoadedConversation } from './context.js';
import { distinctSources, type SearchGroundingMode, type Source } from '../../domain/grounding.js';
import { applyTools } from './tools.js';
import type { ModelCaller } from '../model/index.js';

export interface TurnDeps {
  repos: Pick<Repositories, 'conversations'>;
  caller: ModelCaller;
  config: {
    model: string;
    contextTokens: number;
    personas?: Readonly<Record<string, string>> | undefined;
    searchGrounding?: SearchGroundingMode | undefined;
    /** Daily quotas per role: grounded answers have their own (searchesPerDay). */
    quotas?: Readonly<Record<Role, QuotaLimits>> | undefined;
  };
  /** Where a grounded answer is reserved (absent: searches are not counted, as in unit tests). */
  usage?: Pick<UsageRepository, 'reserve' | 'release' | 'get'> | undefined;
  now: () => Date;
  /** Event webhooks: message.answered goes with the stored answer (ids and counts, never content). */
  events?: EventPublisher;
}

/** An answer that reached the chat, for what follows it (titling the conversation, see delivery.ts). */
export interface AnsweredEvent {
  user: User;
  conversationId: number;
  /** False when the conversation is known to have a title already (no need to look). */
  untitled: boolean;
}

/** A user turn not stored yet: stored with its answer (see above). */
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
  /** The user turn stored with this answer (audio rows of a voice note hang off it); null when it was stored before. */
  userMessageId: number | null;
  transcript: string | null;
  suggestions: string[];
  /** The answer was grounded in Google Search: its sources as shown under it; else empty. */
  sources: Source[];
  /** The question had links and the model has no URL context tool: the user is told (domain/links.ts). */
  linksUnread?: boolean;
  /** Links URL context tried and could not open: named under the answer. */
  unreadUrls?: string[];
  /** Today's grounded answers were used up: this one was answered without a search, and says so. */
  searchesUsedUp?: boolean;
  /** Told once the answer is delivered; null for a replay of an answer stored before a crash. */
  event: AnsweredEvent | null;
}

/** A text question as a turn to store with its answer; kept on its own when no answer comes. */
export function textTurn(text: string): MediaTurn & { keepUnanswered: true } {
  return { parts: [{ text }], transcribe: false, describe: () => text, keepUnanswered: true };
}

export async function runTurn(
  deps: TurnDeps,
  input: {
    user: User;
    conversationId: number;
    signal?: AbortSignal | undefined;
    onText?: OnText | undefined;
    /**
     * The new user turn, sent with this request and stored with its answer; `store: false` when a
     * replay already stored it, `keepUnanswered` to store it even when no answer comes (text).
     */
    pending?: MediaTurn & {
      telegramMessageId: number | null;
      store: boolean;
      keepUnanswered?: boolean;
    };
    /** The conversation and its history as the caller read them. */
    loaded?: LoadedConversation | undefined;
  },
): Promise<Answered> {
  const { repos, caller, config, now } = deps;
  const { user, conversationId, pending } = input;
  const askedAt = now();
  const request = await buildContext({
    conversations: repos.conversations,
    caller,
    conversationId,
    user,
    model: user.settings.model ?? config.model,
    budgetTokens: config.contextTokens,
    now: askedAt,
    personas: config.personas,
    loaded: input.loaded,
    pendingText: pending ? textOf(pending.parts) : undefined,
  });
  const extra = envelopeInstruction({
    transcript: pending?.transcribe ?? false,
    suggestions: user.settings.suggestions,
  });
  if (extra) request.systemInstruction = `${request.systemInstruction ?? ''}\n\n${extra}`;
  if (pending) request.turns.push({ role: 'user', parts: pending.parts });
  const tools = applyTools(
    request,
    user,
    config.searchGrounding,
    pending ? textOf(pending.parts) : undefined,
  );
  const question = (transcript: string | null): NewMessage | undefined => {
    if (!pending?.store) return undefined;
    const content = pending.describe(transcript);
    return {
      conversationId,
      role: 'user',
      content,
      tokensIn: estimateTokens(content),
      telegramMessageId: pending.telegramMessageId,
      createdAt: askedAt,
    };
  };

  const search = await reserveSearch(deps, user, request);

  let shown = '';
  const onText = input.onText ?? (() => undefined);
  const started = Date.now();
  let result: ChatResult;
  let parsed: ReturnType<typeof parseEnvelope>;
  try {
    result = await caller.stream({ ...request, signal: input.signal }, (_delta, soFar, final) => {
      const visible = visibleAnswer(soFar);
      if (visible === shown) return;
      const delta = visible.startsWith(shown) ? visible.slice(shown.length) : visible;
      shown = visible;
      onText(delta, visible, final);
    });
    parsed = parseEnvelope(result.text);
    if (parsed.answer === '') {
      throw new BotctlError('GEMINI_EMPTY', 'Gemini returned only a transcript or suggestions, no answer', {
        params: { reason: result.finishReason ?? 'NONE' },
      });
    }
  } catch (error) {
    if (search.hold) await search.release(search.hold);
    // Its question stays counted (reserved when admitted): /retry answers it without another.
    const unanswered = pending?.keepUnanswered ? question(null) : undefined;
    if (unanswered) await repos.conversations.appendMessage(unanswered);
    throw error;
  }

  // Reserved for a search the model did not run (it answered from what it knew): not billed, given back.
  if (search.hold && !result.grounding) await search.release(search.hold);
  const asked = question(parsed.transcript);
  const sources = result.grounding ? distinctSources(result.grounding.sources) : [];
  const stored = await repos.conversations.appendCounted(
    [
      ...(asked ? [asked] : []),
      {
        conversationId,
        role: 'model',
        content: parsed.answer,
        tokensIn: result.tokensIn,
        tokensOut: result.tokensOut,
        model: result.model,
        latencyMs: Date.now() - started,
        createdAt: now(),
        ...(sources.length > 0 ? { sources } : {}),
      },
    ],
    {
      userId: user.id,
      day: utcDay(now()),
      // The question was counted when admitted (services/access, one conditional statement that
      // instances share); the answer adds what it cost.
      delta: { tokensIn: result.tokensIn, tokensOut: result.tokensOut },
    },
    deps.events?.on('message.answered', (rows: Message[]) => {
      const answer = rows[rows.length - 1]!;
      return {
        user_id: user.id,
        telegram_id: user.telegramId,
        conversation_id: conversationId,
        message_id: answer.id,
        tokens_in: answer.tokensIn,
        tokens_out: answer.tokensOut,
        latency_ms: answer.latencyMs,
        model: answer.model,
        // Only when the operator opted in (eventContent): what the user asked and was told.
        ...(deps.events?.includeContent
          ? { question: rows.length > 1 ? rows[0]!.content : null, answer: answer.content }
          : {}),
      };
    }),
  );
  const answer = stored[stored.length - 1]!;
  return {
    kind: 'answered',
    text: parsed.answer,
    result,
    messageId: answer.id,
    userMessageId: asked ? stored[0]!.id : null,
    transcript: parsed.transcript,
    suggestions: parsed.suggestions,
    sources,
    ...(tools.linksUnread ? { linksUnread: true } : {}),
    ...(result.unreadUrls?.length ? { unreadUrls: result.unreadUrls } : {}),
    ...(search.usedUp ? { searchesUsedUp: true } : {}),
    event: { user, conversationId, untitled: input.loaded?.conversation.title == null },
  };
}

/**
 * A grounded answer costs extra (Gemini bills each grounded request), so it has a daily quota of its
 * own, reserved before the call like a question (one conditional statement, shared by instances).
 * Over it the answer still comes, without the search tool: `usedUp` says so under it.
 */
async function reserveSearch(
  deps: TurnDeps,
  user: User,
  request: { search?: boolean },
): Promise<{ hold?: UsageHold; usedUp?: boolean; release: (hold: UsageHold) => Promise<void> }> {
  const { usage, config } = deps;
  const none = { release: async () => undefined };
  if (!request.search || !usage || !config.quotas) return none;
  const holds = createQuotaHolds({ usage, quotas: config.quotas, now: deps.now });
  const reserved = await holds.reserve(user, { searches: 1 });
  if (reserved.ok) return { hold: reserved.hold, release: holds.release };
  // Never an unreserved search; the note only when it was the searches quota (tokens were
  // checked at admission, and ran out only by a race since).
  delete request.search;
  return reserved.exceeded === 'searches' ? { usedUp: true, release: holds.release } : none;
}

function textOf(parts: readonly ChatPart[]): string {
  return parts.map((part) => ('text' in part ? part.text : '')).join('\n');
}
