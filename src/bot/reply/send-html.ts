/**
 * Sends a model answer: Markdown -> Telegram HTML -> chunks of at most 4096 characters,
 * split at paragraph or code-block boundaries. If Telegram still rejects the markup
 * ("can't parse entities"), the chunk is sent again as plain text: a send never fails on markup.
 */
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { markdownToTelegramHtml } from '../../domain/telegram-html.js';
import { htmlToText, splitTelegramHtml } from '../../domain/split-message.js';

export interface SendTarget {
  chatId: number;
  threadId?: number | undefined;
  replyTo?: number | undefined;
}

function renderAnswer(markdown: string): string[] {
  const html = markdownToTelegramHtml(markdown);
  return splitTelegramHtml(html, 4096);
}

/**
 * Sends every chunk; when `editFirst` is given, the first chunk replaces that message instead
 * (sent anew when that message is gone, e.g. a replay finds its preview deleted).
 * `replyMarkup` (buttons under the answer) goes on the last chunk; `footerHtml` (the sources of a
 * grounded answer, already Telegram HTML) under the text of the last chunk, or alone when it does
 * not fit there.
 */
export async function sendAnswer(
  api: Api,
  target: SendTarget,
  markdown: string,
  editFirst?: number,
  replyMarkup?: InlineKeyboardMarkup,
  footerHtml?: string,
): Promise<number[]> {
  const chunks = renderAnswer(markdown);
  if (footerHtml) withFooter(chunks, footerHtml);
  const ids: number[] = [];
  for (const [index, html] of chunks.entries()) {
    const reply_markup = index === chunks.length - 1 ? replyMarkup : undefined;
    if (index === 0 && editFirst !== undefined) {
      const edited = await withPlainFallback(html, (text, parse_mode) =>
        api.editMessageText(target.chatId, editFirst, text, {
          parse_mode,
          link_preview_options: { is_disabled: true },
          reply_markup,
        }),
      ).then(
        () => true,
        (error: unknown) => (isGone(error) ? false : (ignoreNotModified(error), true)),
      );
      if (edited) {
        ids.push(editFirst);
        continue;
      }
    }
    const sent = await withPlainFallback(html, (text, parse_mode) =>
      api.sendMessage(target.chatId, text, {
        parse_mode,
        message_thread_id: target.threadId,
        link_preview_options: { is_disabled: true },
        reply_markup,
        reply_parameters:
          index === 0 && target.replyTo !== undefined
            ? { message_id: target.replyTo, allow_sending_without_reply: true }
            : undefined,
      }),
    );
    ids.push(sent.message_id);
  }
  return ids;
}

async function withPlainFallback<T>(
  html: string,
  send: (text: string, parseMode: 'HTML' | undefined) => Promise<T>,
) {
  try {
    return await send(html, 'HTML');
  } catch (error) {
    if (!(error instanceof GrammyError) || !/can't parse entities/i.test(error.description)) throw error;
    return send(htmlToText(html), undefined);
  }
}

function withFooter(chunks: string[], footer: string): void {
  const last = chunks.length - 1;
  if (last >= 0 && chunks[last]!.length + 2 + footer.length <= 4096) chunks[last] += `\n\n${footer}`;
  else chunks.push(footer);
}

function isGone(error: unknown): boolean {
  return error instanceof GrammyError && /message to edit not found/i.test(error.description);
}

export function ignoreNotModified(error: unknown): void {
  if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
  throw error;
}
