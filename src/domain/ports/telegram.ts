/** Outbound Telegram messages outside an update (broadcasts, notices) and what each send came to. */
import type { BotctlError } from '../errors.js';

/**
 * What one Telegram send came to. Only `sent` means the user got it; `rate-limited` and a
 * `failed` with delivered 'no' mean Telegram did not deliver, so resending is safe.
 */
export type SendOutcome =
  | { kind: 'sent'; messageId: number }
  /** 403: the user blocked the bot, deleted the account, or never started it. */
  | { kind: 'blocked'; description: string }
  /** 429: Telegram wants every send from this token paused this long. */
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  /** 400 about the message itself (markup, length, photo): every recipient would fail alike. */
  | { kind: 'rejected'; error: BotctlError }
  /** Anything else; `delivered: 'unknown'` when the request may have reached Telegram (timeout, reset). */
  | { kind: 'failed'; error: BotctlError; delivered: 'no' | 'unknown' };

export interface OutgoingMessage {
  /** Already Telegram HTML when parseMode is 'HTML'. */
  text: string;
  parseMode: 'HTML' | null;
}

/**
 * Outbound Telegram messages outside an update (broadcasts, notices). Never throws for a
 * Telegram answer: every outcome is a SendOutcome, so callers can record it.
 */
export interface Messenger {
  /**
   * Milliseconds until Telegram takes sends from this bot again, as far as every process sharing
   * the token has learnt from 429s (0: now). A broadcast pauses its pacing for it.
   */
  floodWaitMs(): Promise<number>;
  sendText(chatId: number, message: OutgoingMessage): Promise<SendOutcome>;
  /** photo: an absolute file path (uploaded once, then reused by file_id), a file_id or an http(s) URL. */
  sendPhoto(chatId: number, photo: string, caption: OutgoingMessage): Promise<SendOutcome>;
}

/**
 * Telegram Stars refunds (refundStarPayment): the Stars go back to the user. Throws a coded error
 * (TELEGRAM_ERROR with Telegram's description) when Telegram refuses, e.g. a charge already refunded.
 */
export interface StarRefunds {
  refund(telegramId: number, chargeId: string): Promise<void>;
}
