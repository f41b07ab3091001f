/**
 * Runs one model answer for a chat: stream reply, cancellation, and the user-facing reply
 * for model failures (unavailable, blocked, empty) in the user's language. Other errors go
 * to the error boundary.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { isBotctlError, type BotctlError } from '../../domain/errors.js';
import type { Answered, AnswerOutcome, ChatService, DeliveryService } from '../../services/chat/index.js';
import type { OnText } from '../../domain/ports/index.js';
import type { InFlight } from '../cancellation.js';
import { chatKeyOf, threadOptions, type BotContext } from '../context.js';
import { createStreamReply } from '../reply/stream-reply.js';
import { releaseQuestion } from '../middleware/access.js';

export interface AnswerDeps {
  chat: ChatService;
  /** Records delivery, so a crash before it replays the answer (services/chat/delivery.ts). */
  delivery: DeliveryService;
  inFlight: InFlight;
  timing: {
    draftIntervalMs: number;
    editIntervalMs: number;
    typingDelayMs: number;
    typingIntervalMs: number;
  };
  /** Side problems (a typing action, a draft): logged, the request goes on. */
  onError: (error: unknown) => void;
  /** The request failed and the user was told so: logged and counted in the daily error counts. */
  failed: (error: unknown) => void;
  /** Transcript, buttons and spoken copy around an answer (reply/answer-extras.ts); absent: plain text. */
  extras?: AnswerExtras;
}

export interface AnswerExtras {
  /** The answer as shown, e.g. with the transcript of a voice question above it. */
  render(ctx: BotContext, outcome: Answered): string;
  keyboard(ctx: BotContext, outcome: Answered): Promise<InlineKeyboardMarkup | undefined>;
  /** Telegram HTML under the answer's text (the sources of a grounded answer), if any. */
  footer(ctx: BotContext, outcome: Answered): string | undefined;
  /** Runs once the text is out (a spoken copy); never throws. */
  after(ctx: BotContext, outcome: Answered, options: RunOptions): Promise<void>;
}

export interface FailureReply {
  key: string;
  params?: Record<string, string | number>;
}

export interface RunOptions {
  /** The question was spoken: voiceReplies 'voice' answers it aloud too. */
  spokenQuestion?: boolean;
  /**
   * The reply for a failure of this kind of question (media: nothing was kept); undefined: the
   * default. Set, a failure before an answer also gives the question back (releaseQuestion): a
   * media turn that is not answered is not stored, so it is not counted either.
   */
  failure?: (error: BotctlError) => FailureReply | undefined;
}

/** Model failures the user is told about in their language (others go to the error boundary). */
export const MODEL_FAILURES: ReadonlySet<string> = new Set([
  'GEMINI_UNAVAILABLE',
  'GEMINI_BUSY',
  'GEMINI_BLOCKED',
  'GEMINI_EMPTY',
  'GEMINI_UNAUTHORIZED',
]);

export async function runAnswer(
  ctx: BotContext,
  deps: AnswerDeps,
  call: (options: { signal: AbortSignal; onText: OnText }) => Promise<AnswerOutcome>,
  options: RunOptions = {},
): Promise<void> {
  const chatKey = chatKeyOf(ctx)!;
  const privateChat = ctx.chat?.type === 'private';
  const updateId = ctx.update.update_id;
  // Only a replay can find a preview left by a crashed run: read it then, never on the hot path.
  const previewMessageId =
    ctx.state.replayed && !privateChat ? ((await deps.delivery.previewOf(updateId)) ?? undefined) : undefined;
  const stream = createStreamReply(
    ctx.api,
    {
      chatId: ctx.chat!.id,
      threadId: threadOptions(ctx).message_thread_id,
      replyTo: privateChat ? undefined : ctx.msg?.message_id,
    },
    {
      privateChat,
      draftId: draftIdFor(updateId),
      ...deps.timing,
      onError: deps.onError,
      previewMessageId,
      onPreview: (messageId) => deps.delivery.rememberPreview(updateId, messageId),
    },
  );
  const controller = deps.inFlight.begin(chatKey);
  let asked = false;
  try {
    const outcome = await call({
      signal: controller.signal,
      onText: (_delta, soFar, final) => stream.update(soFar, final),
    });
    asked = true;
    if (outcome.kind === 'answered') {
      const { extras } = deps;
      const sent = await stream.finish(
        extras ? extras.render(ctx, outcome) : outcome.text,
        await extras?.keyboard(ctx, outcome),
        extras?.footer(ctx, outcome),
      );
      // Only now is the message answered: a crash before this line replays the stored answer.
      // The same write marks the update done (see services/chat/delivery.ts), so the intake does not.
      // A failed record must not turn a delivered answer into an apology: logged, not thrown.
      await deps.delivery
        .delivered(outcome, updateId, sent)
        .then(() => (ctx.state.settled = true), deps.onError);
      await extras?.after(ctx, outcome, options);
    } else if (outcome.kind === 'nothing-to-retry') {
      await stream.abort();
      await ctx.reply(ctx.t('retry-nothing'), threadOptions(ctx));
    } else await stream.abort();
  } catch (error) {
    await stream.abort();
    if (!asked && options.failure) await releaseQuestion(ctx);
    if (controller.signal.aborted) return; // /stop already answered
    const reply = isBotctlError(error)
      ? (options.failure?.(error) ??
        (MODEL_FAILURES.has(error.code) ? { key: error.localeKey, params: error.params } : undefined))
      : undefined;
    if (reply !== undefined) {
      await ctx.reply(ctx.t(reply.key, { ...reply.params }), threadOptions(ctx));
      deps.failed(error);
      return;
    }
    throw error;
  } finally {
    deps.inFlight.end(chatKey, controller);
  }
}

/** sendMessageDraft wants a non-zero 32-bit id, unique per answer: derive it from the update. */
function draftIdFor(updateId: number): number {
  return (updateId % 2_147_483_646) + 1;
}
