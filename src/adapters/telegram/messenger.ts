/**
 * Messenger over grammY's bare Api (no Bot, no updates): sends and classifies what Telegram
 * answered into a SendOutcome, so a broadcast can record every result instead of catching.
 * A photo given as a file path is uploaded once; later sends reuse Telegram's file_id.
 * With a flood gate, sends wait out the flood wait every process sharing the token has learnt of.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import { BotctlError } from '../../domain/errors.js';
import type { Messenger, OutgoingMessage, SendOutcome } from '../../domain/ports/index.js';
import { translateTelegramError } from './errors.js';
import type { FloodGate } from './flood-gate.js';

export interface TelegramMessengerOptions {
  token: string;
  /** Bot API server root, e.g. https://api.telegram.org. */
  apiRoot: string;
  /** Per-call timeout; a timed-out send counts as "delivery unknown". Default 30. */
  timeoutSeconds?: number;
  /** The flood wait shared with the daemon (and other processes using the token); none by default. */
  floodGate?: FloodGate;
}

/** 400s about the message itself, not the recipient: resending to others cannot succeed either. */
const CONTENT_ERROR =
  /can't parse|too long|file identifier|HTTP URL|IMAGE_|PHOTO_|web page content|must be non-empty|text is empty|wrong remote file|wrong type/i;

/** Connection errors raised before any byte reached Telegram: the message was certainly not sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function createTelegramMessenger(options: TelegramMessengerOptions): Messenger {
  const api = new Api(options.token, {
    apiRoot: options.apiRoot,
    timeoutSeconds: options.timeoutSeconds ?? 30,
  });
  const gate = options.floodGate;
  // No auto-retry or pacer here: the broadcast paces and retries itself.
  if (gate) api.config.use(gate.inner);
  const uploaded = new Map<string, string>();

  async function attempt(send: () => Promise<Message>): Promise<SendOutcome> {
    try {
      const message = await send();
      return { kind: 'sent', messageId: message.message_id };
    } catch (error) {
      return outcomeOf(error);
    }
  }

  return {
    floodWaitMs: () => gate?.waitMs() ?? Promise.resolve(0),
    sendText(chatId, message) {
      return attempt(() => api.sendMessage(chatId, message.text, formatting(message)));
    },
    async sendPhoto(chatId, photo, caption) {
      const isPath = path.isAbsolute(photo);
      const known = isPath ? uploaded.get(photo) : photo;
      if (isPath && known === undefined && !fs.existsSync(photo)) {
        return { kind: 'rejected', error: new BotctlError('NOT_FOUND', `photo ${photo} does not exist`) };
      }
      const outcome = await attempt(async () => {
        const sent = await api.sendPhoto(chatId, known ?? new InputFile(photo), {
          caption: caption.text,
          ...(caption.parseMode ? { parse_mode: caption.parseMode } : {}),
        });
        const fileId = sent.photo?.at(-1)?.file_id;
        if (isPath && known === undefined && fileId !== undefined) uploaded.set(photo, fileId);
        return sent;
      });
      return outcome;
    },
  };
}

function formatting(message: OutgoingMessage): { parse_mode?: 'HTML' } {
  return message.parseMode ? { parse_mode: message.parseMode } : {};
}

/** GrammyError 429/403/400 and HttpError -> SendOutcome; the coded error keeps the description. */
export function outcomeOf(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return { kind: 'rate-limited', retryAfterSeconds: Math.max(1, error.parameters.retry_after ?? 1) };
    }
    if (error.error_code === 403) return { kind: 'blocked', description: error.description };
    const coded = translateTelegramError(error);
    if (error.error_code === 400 && CONTENT_ERROR.test(error.description))
      return { kind: 'rejected', error: coded };
    // A 5xx may come from a proxy after Telegram took the message: not provably undelivered.
    return { kind: 'failed', error: coded, delivered: error.error_code >= 500 ? 'unknown' : 'no' };
  }
  const coded = translateTelegramError(error);
  const neverSent = error instanceof HttpError && NEVER_SENT.has(errnoOf(error.error) ?? '');
  return { kind: 'failed', error: coded, delivered: neverSent ? 'no' : 'unknown' };
}

function errnoOf(error: unknown): string | undefined {
  const withCode = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = withCode?.code ?? withCode?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}
