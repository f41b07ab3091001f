/**
 * Edits re-ask (services/chat/edits.ts): an edited last question, within 10 minutes and before
 * anything newer was asked, gets a new answer in place of the old one: a one-message answer is
 * edited into the new one, an answer of several messages is deleted and the new one sent. An
 * older edit, or one the bot was never asked (a group message not addressed to it), is ignored
 * without a reply, and is not charged against limits: eligibility is checked before them.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { isBotctlError } from '../../domain/errors.js';
import type { Answered, Editable } from '../../services/chat/index.js';
import { chatKeyOf, conversationKeyOf, threadOptions, type BotContext } from '../context.js';
import { sendAnswer } from '../reply/send-html.js';
import { MODEL_FAILURES, type AnswerDeps } from './answer.js';
import { addressedText } from './chat.js';
import { replyOf } from './reply-context.js';

export function editsFeature(
  deps: AnswerDeps & { admittedAgain: MiddlewareFn<BotContext> },
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('edited_message:text', async (ctx) => {
    const user = ctx.state.user;
    const message = ctx.editedMessage;
    const text = ctx.chat.type === 'private' ? plainText(message.text) : addressedText(ctx);
    if (!user || text === undefined) return;
    const editedAt = new Date((message.edit_date ?? message.date) * 1000);
    const editable = await deps.chat.findEditable(conversationKeyOf(ctx), message.message_id, text, editedAt);
    if (!editable) return;
    // One question in all: the edited one was counted when first asked.
    await deps.admittedAgain(ctx, () => reask(ctx, deps, editable, text));
  });
  return composer;
}

function plainText(text: string): string | undefined {
  return text.startsWith('/') ? undefined : text;
}

async function reask(ctx: BotContext, deps: AnswerDeps, editable: Editable, text: string): Promise<void> {
  const chatKey = chatKeyOf(ctx)!;
  const controller = deps.inFlight.begin(chatKey);
  const typing = () =>
    void ctx.api.sendChatAction(ctx.chat!.id, 'typing', threadOptions(ctx)).catch(deps.onError);
  const timer = setTimeout(typing, deps.timing.typingDelayMs);
  let outcome: Answered;
  try {
    outcome = await deps.chat.reask({
      user: ctx.state.user!,
      editable,
      text,
      reply: replyOf(ctx),
      signal: controller.signal,
    });
  } catch (error) {
    if (controller.signal.aborted) return; // /stop already answered
    if (isBotctlError(error) && MODEL_FAILURES.has(error.code)) {
      await ctx.reply(ctx.t(error.localeKey, { ...error.params }), threadOptions(ctx));
      deps.failed(error);
      return;
    }
    throw error;
  } finally {
    clearTimeout(timer);
    deps.inFlight.end(chatKey, controller);
  }
  const sent = await replaceAnswer(ctx, deps, editable.answer?.sentMessageIds ?? [], outcome);
  await deps.delivery
    .delivered(outcome, ctx.update.update_id, sent)
    .then(() => (ctx.state.settled = true), deps.onError);
  await deps.extras?.after(ctx, outcome, {});
}

/** One old message is edited into the new answer; several are deleted and the answer sent anew. */
async function replaceAnswer(
  ctx: BotContext,
  deps: AnswerDeps,
  old: readonly number[],
  outcome: Answered,
): Promise<number[]> {
  const chatId = ctx.chat!.id;
  if (old.length > 1) for (const id of old) await ctx.api.deleteMessage(chatId, id).catch(deps.onError);
  const { extras } = deps;
  return sendAnswer(
    ctx.api,
    {
      chatId,
      threadId: threadOptions(ctx).message_thread_id,
      replyTo: ctx.chat!.type === 'private' ? undefined : ctx.editedMessage!.message_id,
    },
    extras ? extras.render(ctx, outcome) : outcome.text,
    old.length === 1 ? old[0] : undefined,
    await extras?.keyboard(ctx, outcome),
    extras?.footer(ctx, outcome),
  );
}
