/**
 * What a broadcast sends, checked before anyone gets it: Markdown becomes Telegram HTML,
 * and the visible length must fit one message (4096) or one caption (1024). A broadcast is
 * one message per recipient, never split, so a delivery is one send and can be exactly-once.
 */
import type { Broadcast } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { OutgoingMessage } from '../../domain/ports/index.js';
import {
  TELEGRAM_CAPTION_LIMIT,
  TELEGRAM_MESSAGE_LIMIT,
  telegramTextLength,
} from '../../domain/split-message.js';
import { markdownToTelegramHtml } from '../../domain/telegram-html.js';

export type ParseMode = Broadcast['parseMode'];

export interface BroadcastContent {
  message: OutgoingMessage;
  /** Path, file_id or URL; null for a text message. */
  photo: string | null;
}

export function prepareContent(input: {
  text: string;
  parseMode: ParseMode;
  photo: string | null;
}): BroadcastContent {
  const html = input.parseMode === 'Markdown' ? markdownToTelegramHtml(input.text) : input.text;
  const message: OutgoingMessage = { text: html, parseMode: input.parseMode === null ? null : 'HTML' };
  const length = message.parseMode === 'HTML' ? telegramTextLength(html) : html.length;
  const limit = input.photo === null ? TELEGRAM_MESSAGE_LIMIT : TELEGRAM_CAPTION_LIMIT;
  if (input.photo === null && html.trim() === '') {
    throw new BotctlError('USAGE', 'the broadcast text is empty', { hint: 'pass --text, --file or --photo' });
  }
  if (length > limit) {
    const what = input.photo === null ? 'message' : 'photo caption';
    throw new BotctlError(
      'INPUT_TOO_LARGE',
      `the ${what} is ${length} characters; Telegram allows ${limit}`,
      {
        hint:
          input.photo === null ? 'shorten the text' : 'shorten the caption, or send the text without --photo',
        params: { length, limit },
      },
    );
  }
  return { message, photo: input.photo };
}
