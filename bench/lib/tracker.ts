/**
 * Counts what a bot sends, as the fake Telegram completes each call (its onCall hook), with
 * O(1) work per call: no scan of the ever-growing call log, so the fake's process stays
 * idle enough not to slow the bot it measures.
 */
import { SENDING_METHODS, type FakeTelegram, type TelegramCall } from '../../test/fakes/telegram.js';

interface ChatLog {
  /** Texts of the successful sendMessage calls, in completion order. */
  answers: string[];
  /** performance.now() at each answer. */
  answeredAt: number[];
  /** performance.now() at each visible sign of work (typing action or draft). */
  signsAt: number[];
  /** Each successful draft: its text and performance.now(). */
  drafts: Array<{ text: string; at: number }>;
}

export interface Tracker {
  chat(chatId: number): Readonly<ChatLog>;
  /** Successful sendMessage calls so far, all chats. */
  readonly answered: number;
  /** Bot API calls that failed (any method): a clean run has none. */
  readonly failed: number;
  /** Flood-controlled calls (the fake's SENDING_METHODS) made, answered or refused. */
  readonly sends: number;
  /** Calls answered 429. */
  readonly tooMany: number;
  /**
   * Resolves once `check()` holds, re-checked after every answer; rejects when no answer came for
   * `stallMs` (a slow machine makes a burst slow, not lost: only silence means lost).
   */
  until(check: () => boolean, what: string, stallMs?: number): Promise<void>;
  close(): void;
}

const SIGNS = new Set(['sendChatAction', 'sendMessageDraft']);
const SENDING = new Set(SENDING_METHODS);

export function track(telegram: FakeTelegram): Tracker {
  const chats = new Map<number, ChatLog>();
  const waiters = new Set<() => void>();
  let answered = 0;
  let failed = 0;
  let sends = 0;
  let tooMany = 0;
  const chat = (chatId: number): ChatLog => {
    let log = chats.get(chatId);
    if (log === undefined)
      chats.set(chatId, (log = { answers: [], answeredAt: [], signsAt: [], drafts: [] }));
    return log;
  };

  const unsubscribe = telegram.onCall((call: TelegramCall) => {
    const now = performance.now();
    if (SENDING.has(call.method)) sends += 1;
    if (call.response?.ok !== true) {
      failed += 1;
      if (call.response?.error_code === 429) tooMany += 1;
      return;
    }
    if (call.method === 'sendMessage') {
      const log = chat(Number(call.params.chat_id));
      log.answers.push(String(call.params.text));
      log.answeredAt.push(now);
      answered += 1;
      for (const wake of [...waiters]) wake();
    } else if (SIGNS.has(call.method)) {
      const log = chat(Number(call.params.chat_id));
      log.signsAt.push(now);
      if (call.method === 'sendMessageDraft') log.drafts.push({ text: String(call.params.text), at: now });
    }
  });

  return {
    chat,
    get answered() {
      return answered;
    },
    get failed() {
      return failed;
    },
    get sends() {
      return sends;
    },
    get tooMany() {
      return tooMany;
    },
    until(check, what, stallMs = 30_000) {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const stalled = () => {
          waiters.delete(wake);
          reject(
            new Error(`no answer for ${stallMs} ms while waiting for ${what} (${answered} answers so far)`),
          );
        };
        let timer = setTimeout(stalled, stallMs);
        const wake = () => {
          clearTimeout(timer);
          if (!check()) {
            timer = setTimeout(stalled, stallMs);
            return;
          }
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    close: unsubscribe,
  };
}
