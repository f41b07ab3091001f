// Everything one fake Telegram instance holds, shared by the method handlers.
import type { BotCommand, MessageEntity, UserFromGetMe } from 'grammy/types';
import type { Params } from './body.js';
import { Faults } from './faults.js';
import { Store, type ChatId } from './store.js';
import { UpdateQueue, type WebhookOptions } from './updates.js';

export interface DraftRecord {
  chatId: ChatId;
  draftId: number;
  /** The draft as the user sees it (after parse_mode). */
  text: string;
  entities: MessageEntity[];
  threadId?: number;
  at: number;
}

/** Per-request hooks a handler may need beyond its parameters. */
export interface RequestIo {
  /** Registers a callback for when the client goes away before the answer (an aborted long poll). */
  onAbort(cancel: () => void): void;
}

/** An invoice the bot sent (sendInvoice). */
export interface InvoiceRecord {
  chatId: ChatId;
  messageId: number;
  payload: string;
  currency: string;
  totalAmount: number;
}

/** A Stars charge Telegram made (a pushed successful_payment), refundable once. */
export interface ChargeRecord {
  userId: number;
  amount: number;
  refunded: boolean;
}

export type MethodHandler = (params: Params, state: TelegramState, io: RequestIo) => unknown;

export class TelegramState {
  readonly store: Store;
  readonly queue: UpdateQueue;
  readonly faults = new Faults();
  readonly drafts: DraftRecord[] = [];
  /** setMyCommands lists by `scope|language_code`. */
  readonly commands = new Map<string, BotCommand[]>();
  readonly menuButtons = new Map<string, unknown>();
  /** Callback and inline query ids pushed in updates and not yet answered. */
  readonly openQueries = new Set<string>();
  readonly invoices: InvoiceRecord[] = [];
  /** answerPreCheckoutQuery answers by query id. */
  readonly checkoutAnswers = new Map<string, { ok: true } | { ok: false; errorMessage: string }>();
  /** Charges by telegram_payment_charge_id. */
  readonly charges = new Map<string, ChargeRecord>();
  strictChats: boolean;

  constructor(
    readonly token: string,
    public bot: UserFromGetMe,
    readonly maxDownloadBytes: number,
    strictChats: boolean,
    webhook: WebhookOptions,
    onWebhookReply: (method: string, params: Params) => Promise<void>,
  ) {
    this.strictChats = strictChats;
    this.store = new Store(() => this.strictChats);
    this.queue = new UpdateQueue(webhook, onWebhookReply);
  }

  isGroup(chatId: ChatId): boolean {
    const chat = this.store.chats.get(String(chatId));
    if (chat !== undefined) return chat.type === 'group' || chat.type === 'supergroup';
    return typeof chatId === 'number' && chatId < 0;
  }

  reset(): void {
    this.store.clear();
    this.queue.reset();
    this.faults.reset();
    this.drafts.length = 0;
    this.commands.clear();
    this.menuButtons.clear();
    this.openQueries.clear();
    this.invoices.length = 0;
    this.checkoutAnswers.clear();
    this.charges.clear();
  }
}
