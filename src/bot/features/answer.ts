/**
 * Runs one model answer for a chat: stream reply, cancellation, and the user-facing reply
 * for model failures (unavailable, blocked, empty) in the user's language. Other errors go
 * to the error boundary.
 */
import { isBotctlError } from '../../domain/errors.js';
import type { AnswerOutcome, ChatService } from '../../services/chat.js';
import type { InFlight } from '../cancellation.js';
import { chatKeyOf, threadOptions, type BotContext } from '../context.js';
import { createStreamReply } from '../reply/stream-reply.js';

export interface AnswerDeps {
  chat: ChatService;
  inFlight: InFlight;
  timing: { draftIntervalMs: number; editIntervalMs: number; typingIntervalMs: number };
  onError: (error: unknown) => void;
}

const MODEL_FAILURES = new Set(['GEMINI_UNAVAILABLE', 'GEMINI_BLOCKED', 'GEMINI_EMPTY', 'GEMINI_UNAUTHORIZED']);

export async function runAnswer(
  ctx: BotContext,
  deps: AnswerDeps,
  call: (options: { signal: AbortSignal; onText: (delta: string, soFar: string) => void }) => Promise<AnswerOutcome>,
): Promise<void> {
  const chatKey = chatKeyOf(ctx)!;
  const privateChat = ctx.chat?.type === 'private';
  const stream = createStreamReply(
    ctx.api,
    {
      chatId: ctx.chat!.id,
      threadId: threadOptions(ctx).message_thread_id,
      replyTo: privateChat ? undefined : ctx.msg?.message_id,
    },
    { privateChat, draftId: draftIdFor(ctx.update.update_id), ...deps.timing, onError: deps.onError },
  );
  const controller = deps.inFlight.begin(chatKey);
  try {
    const outcome = await call({ signal: controller.signal, onText: (_delta, soFar) => stream.update(soFar) });
    if (outcome.kind === 'answered') await stream.finish(outcome.text);
    else if (outcome.kind === 'nothing-to-retry') {
      await stream.abort();
      await ctx.reply(ctx.t('retry-nothing'), threadOptions(ctx));
    } else await stream.abort();
  } catch (error) {
    await stream.abort();
    if (controller.signal.aborted) return; // /stop already answered
    if (isBotctlError(error) && MODEL_FAILURES.has(error.code)) {
      await ctx.reply(ctx.t(error.localeKey, { ...error.params }), threadOptions(ctx));
      deps.onError(error);
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

