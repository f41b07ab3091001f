// A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, the real wire format (JSON,
// urlencoded and multipart requests; the { ok, result } / { ok: false, error_code, description }
// envelope), long polling and webhooks, with fault injection and inspection.
//
//   const tg = await startFakeTelegram();
//   const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
//   tg.pushUpdate(tg.updates.text({ chatId: 42, userId: 42, text: 'hi' }));
//   await tg.waitForCall('sendMessage');
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import { listen } from './shared/http.js';
import { brief, WaitableLog } from './shared/waiters.js';
import { fakeBotInfo } from './telegram/bot-info.js';
import { createBuilders, type UpdateBuilders } from './telegram/builders.js';
import type { FailureSpec, RateLimit } from './telegram/faults.js';
import { createDispatcher, type TelegramCall } from './telegram/server.js';
import { TelegramState, type ChargeRecord, type DraftRecord, type InvoiceRecord } from './telegram/state.js';
import type { ChatId, FileRecord, StoredMessage } from './telegram/store.js';
import type { WebhookDelivery } from './telegram/updates.js';

export type { UploadedFile, Params } from './telegram/body.js';
export type * from './telegram/builders.js';
export type { FailureSpec, RateLimit } from './telegram/faults.js';
export { SENDING_METHODS, TELEGRAM_RATE_LIMITS } from './telegram/faults.js';
export { fakeBotInfo } from './telegram/bot-info.js';
export type { TelegramCall, Envelope } from './telegram/server.js';
export type { ChargeRecord, DraftRecord, InvoiceRecord } from './telegram/state.js';
export type { ChatId, FileRecord, StoredMessage } from './telegram/store.js';
export type { WebhookDelivery } from './telegram/updates.js';

export const DEFAULT_TOKEN = '123456:TEST-token';

export interface FakeTelegramOptions {
  /** The one valid token (default '123456:TEST-token'); any other gets 401 Unauthorized. */
  token?: string;
  /** getMe fields; id defaults to the token's numeric prefix, username to 'botctl_test_bot'. */
  bot?: Partial<UserFromGetMe>;
  /** Delay before webhook retry n (1-based); default 50 ms doubling, capped at 1 s. */
  webhookRetryDelayMs?: number | ((attempt: number) => number);
  /** Attempts per update before the fake gives up on it (Telegram does too, eventually); default 10. */
  webhookMaxAttempts?: number;
  /** How long the fake waits for the webhook endpoint's answer; default 5000 ms. */
  webhookTimeoutMs?: number;
  /**
   * Deliver webhooks as the Bot API server does (the default): up to max_connections POSTs at once
   * over kept-alive connections, one update per chat at a time. False: one update at a time, in
   * update_id order, each on a new connection (a failing one holds up the rest).
   */
  webhookLikeTelegram?: boolean;
  /** Unknown chat ids get 400 "chat not found" instead of an invented chat; default false. */
  strictChats?: boolean;
  /** getFile refuses bigger files with "file is too big"; default 20 MB like the cloud Bot API. */
  maxDownloadBytes?: number;
  /**
   * How long an idle keep-alive connection stays open; default 1000 ms. Node's http.Agent and undici
   * (fetch) reuse no connection when the server announces under ~2 s, so every call then pays a new TCP
   * connection; benchmarks set a minute, as real servers keep idle connections that long or longer.
   */
  keepAliveTimeoutMs?: number;
}

export interface AddFileInput {
  fileId: string;
  fileUniqueId?: string;
  bytes: Buffer | Uint8Array | string;
  /** Defaults to documents/file_N.<ext>. */
  filePath?: string;
  /** Declared size when it must differ from bytes.length (e.g. a fake 25 MB file). */
  size?: number;
  contentType?: string;
}

export interface FakeTelegram {
  /** Pass as grammY `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  /** What getMe returns. */
  readonly botInfo: UserFromGetMe;
  close(): Promise<void>;

  // ---- updates ----
  /** Assigns update_id when missing, then queues it for getUpdates or POSTs it to the webhook. */
  pushUpdate(update: Partial<Update>): Update;
  readonly updates: UpdateBuilders;
  /** Queued and not yet confirmed (getUpdates offset) or not yet delivered (webhook). */
  readonly pendingUpdates: readonly Update[];
  /** Every webhook POST attempt, including failed ones and retries. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Updates not delivered: filtered by allowed_updates, or given up after webhookMaxAttempts. */
  readonly droppedUpdates: readonly Update[];

  // ---- files ----
  /** Registers a file for getFile and the /file/bot<token>/<file_path> download. */
  addFile(input: AddFileInput): FileRecord;
  file(fileId: string): FileRecord | undefined;

  // ---- faults ----
  /** The next `times` (default 1) calls of `method` ('*' = any) fail with this error. */
  failNext(method: string, spec: FailureSpec): void;
  /** Flood control: over-limit sends get 429 "Too Many Requests: retry after N". null removes it. */
  setRateLimit(limit: RateLimit | null): void;
  /** Ends a flood wait that a `flood: true` failure started (see FailureSpec). */
  endFlood(): void;
  /** Number of 429 answers so far (flood control and injected ones). */
  readonly tooManyRequestsCount: number;
  /** Delay before answering every call, or one method's calls. */
  setLatency(ms: number, method?: string): void;
  /** Sends to this chat get 403 "Forbidden: bot was blocked by the user". */
  blockUser(chatId: ChatId): void;
  unblockUser(chatId: ChatId): void;
  setStrictChats(strict: boolean): void;

  // ---- inspection ----
  /** Every request in arrival order (including 401/404 ones and file downloads as 'downloadFile'). */
  readonly calls: readonly TelegramCall[];
  callsOf(method: string): TelegramCall[];
  /**
   * The texts (or captions) of the bot's messages as the user sees them now: after parse_mode, after the
   * last edit, without deleted ones. Media without caption are left out; see messages() for everything.
   */
  sentMessages(chatId?: ChatId): string[];
  /** All stored messages (incoming and sent, deleted ones flagged), in order. */
  messages(chatId?: ChatId): StoredMessage[];
  /** Invoices the bot sent (sendInvoice), oldest first. */
  invoices(chatId?: ChatId): InvoiceRecord[];
  /** How the bot answered a pre-checkout query (answerPreCheckoutQuery); undefined while unanswered. */
  checkoutAnswer(queryId: string): { ok: true } | { ok: false; errorMessage: string } | undefined;
  /** A Stars charge made by a pushed successful_payment, and whether it was refunded. */
  charge(chargeId: string): ChargeRecord | undefined;
  /** sendMessageDraft calls that succeeded, as shown. */
  drafts(chatId?: ChatId): DraftRecord[];
  /**
   * Resolves with the first answered call matching (calls already made count; getUpdates counts from its
   * arrival, so `waitForCall('getUpdates')` means "the bot is polling").
   */
  waitFor(predicate: (call: TelegramCall) => boolean, timeoutMs?: number): Promise<TelegramCall>;
  waitForCall(
    method: string,
    predicate?: (call: TelegramCall) => boolean,
    timeoutMs?: number,
  ): Promise<TelegramCall>;
  /**
   * Calls `listener` once per call as it completes (its response set), in completion order; returns the
   * unsubscribe function. Unlike waitFor it never scans the log, so a benchmark can count millions of calls.
   */
  onCall(listener: (call: TelegramCall) => void): () => void;
  /** Forgets calls, messages, files, queued updates, webhook, faults. Update ids keep growing. */
  reset(): void;
}

const DEFAULT_WAIT_MS = 5000;

function describeCall(call: TelegramCall): string {
  const outcome =
    call.response === undefined
      ? 'pending'
      : call.response.ok
        ? 'ok'
        : `${call.response.error_code} ${call.response.description}`;
  return `${call.method} ${brief(call.params, 120)} -> ${outcome}`;
}

const messageText = (message: Message): string | undefined =>
  'text' in message && typeof message.text === 'string'
    ? message.text
    : 'caption' in message && typeof message.caption === 'string'
      ? message.caption
      : undefined;

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botId = Number(/^(\d+):/.exec(token)?.[1] ?? 123456);
  const botInfo = fakeBotInfo(botId, options.bot);
  const retry = options.webhookRetryDelayMs ?? ((attempt: number) => Math.min(1000, 50 * 2 ** (attempt - 1)));
  const state = new TelegramState(
    token,
    botInfo,
    options.maxDownloadBytes ?? 20 * 1024 * 1024,
    options.strictChats ?? false,
    {
      retryDelayMs: typeof retry === 'number' ? () => retry : retry,
      maxAttempts: options.webhookMaxAttempts ?? 10,
      timeoutMs: options.webhookTimeoutMs ?? 5000,
      likeTelegram: options.webhookLikeTelegram ?? true,
    },
    // Called only once deliveries run, after `dispatcher` below exists.
    (method, params) => dispatcher.runWebhookReply(method, params),
  );
  // A call is matched once answered, so a woken test sees its effects; a long poll is matched on arrival
  // instead ("the bot is polling"), since it may stay unanswered for its whole timeout.
  const log = new WaitableLog<TelegramCall>(
    describeCall,
    (call) => call.response !== undefined || call.method.toLowerCase() === 'getupdates',
  );
  const listeners = new Set<(call: TelegramCall) => void>();
  const dispatcher = createDispatcher(state, {
    add: (call) => log.add(call),
    notify(call) {
      log.notify(call);
      for (const listener of listeners) listener(call);
    },
  });
  const { handle } = dispatcher;
  const server = await listen((req, res) => handle(req, res, server.origin), options);
  const updates = createBuilders(state.store, () => state.bot);

  const keyMatches = (chatId: ChatId | undefined, other: ChatId): boolean =>
    chatId === undefined || String(chatId) === String(other);

  return {
    apiRoot: server.origin,
    token,
    get botInfo() {
      return state.bot;
    },
    async close() {
      state.queue.close();
      await server.close();
    },

    pushUpdate(input) {
      const update = state.queue.push(input);
      // Remember what Telegram would know: the message (for replies, copies, callbacks) and open queries.
      const message = update.message ?? update.edited_message ?? update.channel_post;
      // Fuzz tests push malformed updates: only a message with a real chat and id is remembered.
      if (isMessageLike(message)) {
        const existing = state.store.find(message.chat.id, message.message_id);
        if (existing !== undefined && update.edited_message !== undefined) existing.message = message;
        else if (existing === undefined) state.store.record(message, false);
      }
      if (typeof update.callback_query?.id === 'string') state.openQueries.add(update.callback_query.id);
      if (typeof update.inline_query?.id === 'string') state.openQueries.add(update.inline_query.id);
      if (typeof update.pre_checkout_query?.id === 'string')
        state.openQueries.add(update.pre_checkout_query.id);
      // A successful payment means Telegram charged the user: the charge can be refunded once.
      const paid = update.message?.successful_payment;
      if (paid !== undefined && update.message?.from !== undefined) {
        state.charges.set(paid.telegram_payment_charge_id, {
          userId: update.message.from.id,
          amount: paid.total_amount,
          refunded: false,
        });
      }
      return update;
    },
    updates,
    get pendingUpdates() {
      return state.queue.pending;
    },
    get webhookDeliveries() {
      return state.queue.deliveries;
    },
    get droppedUpdates() {
      return state.queue.dropped;
    },

    addFile(input) {
      return state.store.addFile({ ...input, kind: 'file' });
    },
    file: (fileId) => state.store.files.get(fileId),

    failNext: (method, spec) => state.faults.failNext(method, spec),
    setRateLimit: (limit) => state.faults.setRateLimit(limit),
    endFlood: () => state.faults.endFlood(),
    get tooManyRequestsCount() {
      return state.faults.tooManyRequestsCount;
    },
    setLatency: (ms, method) => state.faults.setLatency(ms, method),
    blockUser: (chatId) => void state.faults.blocked.add(String(chatId)),
    unblockUser: (chatId) => void state.faults.blocked.delete(String(chatId)),
    setStrictChats(strict) {
      state.strictChats = strict;
    },

    get calls() {
      return log.items;
    },
    callsOf: (method) => log.items.filter((call) => call.method === method),
    sentMessages: (chatId) =>
      state.store.ordered
        .filter((m) => m.fromBot && !m.deleted && keyMatches(chatId, m.chatId))
        .map((m) => messageText(m.message))
        .filter((text): text is string => text !== undefined),
    messages: (chatId) => state.store.ordered.filter((m) => keyMatches(chatId, m.chatId)),
    drafts: (chatId) => state.drafts.filter((d) => keyMatches(chatId, d.chatId)),
    invoices: (chatId) => state.invoices.filter((i) => keyMatches(chatId, i.chatId)),
    checkoutAnswer: (queryId) => state.checkoutAnswers.get(queryId),
    charge: (chargeId) => state.charges.get(chargeId),
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      log.waitFor(predicate, timeoutMs, 'a matching Telegram call'),
    waitForCall: (method, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
      log.waitFor((call) => call.method === method && predicate(call), timeoutMs, `a ${method} call`),
    onCall(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    reset() {
      log.clear();
      state.reset();
    },
  };
}

function isMessageLike(value: unknown): value is Message {
  const message = value as { chat?: { id?: unknown }; message_id?: unknown } | null | undefined;
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.chat === 'object' &&
    message.chat !== null &&
    typeof message.chat.id === 'number' &&
    typeof message.message_id === 'number'
  );
}
