/**
 * Shows an answer while the model writes it. When the answer is not in the chat within
 * `typingDelayMs` (below what a reader notices), the typing action shows that it is coming,
 * refreshed every few seconds until the first preview or the answer itself is out, including
 * while the answer waits for its turn under Telegram's limits. A quick answer needs no typing
 * action: Telegram asks bots to send one only when an answer takes noticeable time, and the
 * skipped call is one request fewer on every such answer. Private chats then get
 * `sendMessageDraft` updates; groups get one message edited at most once per interval
 * (Telegram allows ~1 edit/s per chat, 20 messages/min per group). The finished answer is
 * sent as HTML chunks (see send-html.ts); drafts vanish once the real message arrives.
 * A group preview is remembered with its update (onPreview), so a replay after a crash edits
 * it into the answer (previewMessageId) instead of leaving a truncated message behind.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { stripToPlainText } from '../../domain/telegram-html.js';
import { ignoreNotModified, sendAnswer, type SendTarget } from './send-html.js';

export interface StreamOptions {
  privateChat: boolean;
  /** Non-zero id for sendMessageDraft, unique per answer. */
  draftId: number;
  draftIntervalMs: number;
  editIntervalMs: number;
  /** How long an answer may take before the typing action is shown. */
  typingDelayMs: number;
  typingIntervalMs: number;
  onError: (error: unknown) => void;
  /** Groups: the preview an earlier, crashed run of this answer left; edited instead of sending anew. */
  previewMessageId?: number | undefined;
  /** Groups: called once the preview message exists, so a replay after a crash can finish it. */
  onPreview?: ((messageId: number) => Promise<void>) | undefined;
}

const PREVIEW_LIMIT = 4000;

export function createStreamReply(api: Api, target: SendTarget, options: StreamOptions) {
  let latest = '';
  let shown = '';
  let lastPush = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let groupMessageId: number | undefined = options.privateChat ? undefined : options.previewMessageId;
  let closed = false;

  const typing = () =>
    void api
      .sendChatAction(target.chatId, 'typing', { message_thread_id: target.threadId })
      .catch(options.onError);
  let typingTimer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    typing();
    typingTimer = setInterval(typing, options.typingIntervalMs);
  }, options.typingDelayMs);
  // One clearTimeout serves both: Node's timers share the id space.
  const stopTyping = () => clearTimeout(typingTimer);

  const interval = options.privateChat ? options.draftIntervalMs : options.editIntervalMs;

  function push(): void {
    pending = undefined;
    if (closed || latest === shown) return;
    const text = preview(latest);
    if (!text) return;
    shown = latest;
    lastPush = Date.now();
    stopTyping(); // the preview itself now shows progress
    inFlight = inFlight.then(() => show(text)).catch(options.onError);
  }

  async function show(text: string): Promise<void> {
    if (closed) return;
    if (options.privateChat) {
      await api.sendMessageDraft(target.chatId, options.draftId, text, {
        message_thread_id: target.threadId,
      });
      return;
    }
    if (groupMessageId === undefined) {
      const sent = await api.sendMessage(target.chatId, text, {
        message_thread_id: target.threadId,
        reply_parameters: target.replyTo
          ? { message_id: target.replyTo, allow_sending_without_reply: true }
          : undefined,
      });
      groupMessageId = sent.message_id;
      await options.onPreview?.(sent.message_id);
    } else {
      await api.editMessageText(target.chatId, groupMessageId, text).catch(ignoreNotModified);
    }
  }

  return {
    /**
     * Feed with the whole text so far; pushes are throttled to the interval. `final`: the model has
     * finished, the answer itself follows at once, so no preview of it is pushed (one call fewer; a
     * one-piece answer, the common short one, then has no preview at all).
     */
    update(soFar: string, final = false): void {
      latest = soFar;
      if (final) {
        if (pending) clearTimeout(pending);
        pending = undefined;
        return;
      }
      if (pending || closed) return;
      const wait = Math.max(0, lastPush + interval - Date.now());
      pending = setTimeout(push, wait);
    },
    /** Sends the final answer (replacing the group preview); typing goes on until it is out. */
    async finish(
      markdown: string,
      replyMarkup?: InlineKeyboardMarkup,
      footerHtml?: string,
    ): Promise<number[]> {
      closePreview();
      try {
        await inFlight;
        return await sendAnswer(api, target, markdown, groupMessageId, replyMarkup, footerHtml);
      } finally {
        stopTyping();
      }
    },
    /** Stops without an answer (error or /stop); the group preview is left as it is. */
    async abort(): Promise<number | undefined> {
      stop();
      await inFlight;
      return groupMessageId;
    },
  };

  function closePreview(): void {
    closed = true;
    if (pending) clearTimeout(pending);
  }

  function stop(): void {
    closePreview();
    stopTyping();
  }
}

function preview(markdown: string): string {
  const plain = stripToPlainText(markdown).trim();
  return plain.length > PREVIEW_LIMIT ? `${plain.slice(0, PREVIEW_LIMIT)}…` : plain;
}
