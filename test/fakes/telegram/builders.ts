// Builders of realistic incoming updates. They allocate message ids from the chat's counter (shared with
// the bot's sends, as in Telegram) and register media files so getFile and downloads work on them.
// They only build: pass the result to pushUpdate().
import type { Chat, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';
import type { Store } from './store.js';

export type ChatType = 'private' | 'group' | 'supergroup';

export interface MessageInput {
  chatId: number;
  /** Defaults to chatId in private chats, 1001 elsewhere. */
  userId?: number;
  chatType?: ChatType;
  /** Forum topic: sets message_thread_id and is_topic_message (and makes the chat a forum). */
  threadId?: number;
  /** message_id of a message in the same chat this one replies to. */
  replyTo?: number;
  languageCode?: string;
  username?: string;
  firstName?: string;
  chatTitle?: string;
  /** Unix seconds; defaults to now. */
  date?: number;
  /** Defaults to the chat's next id. */
  messageId?: number;
}

export interface TextInput extends MessageInput {
  text: string;
  entities?: MessageEntity[];
  /**
   * With replyTo: the part of the replied message the user selected (Telegram's `quote`, TextQuote);
   * it must occur in that message's text, as Telegram only quotes what is there.
   */
  quote?: string;
}

export interface EditInput {
  chatId: number;
  /** The user's message being edited: it must have been pushed before. */
  messageId: number;
  text: string;
  /** The new text's entities (a mention, a command); the old ones are dropped. */
  entities?: MessageEntity[];
  /** Unix seconds; defaults to now. */
  editDate?: number;
}

export interface CommandInput extends MessageInput {
  /** With or without the leading slash: 'start' or '/start'. */
  command: string;
  args?: string;
  /** Appends @bot_username, as clients do in groups. */
  mention?: boolean;
}

export interface VoiceInput extends MessageInput {
  fileId?: string;
  /** Registered for getFile and download; defaults to a few bytes of an OGG header. */
  bytes?: Buffer;
  duration?: number;
  mimeType?: string;
  /** Declared size (e.g. > 20 MB to provoke "file is too big" without allocating it). */
  size?: number;
  caption?: string;
}

export interface PhotoInput extends MessageInput {
  fileId?: string;
  bytes?: Buffer;
  width?: number;
  height?: number;
  size?: number;
  caption?: string;
}

export interface DocumentInput extends MessageInput {
  fileId?: string;
  bytes?: Buffer;
  fileName?: string;
  mimeType?: string;
  size?: number;
  caption?: string;
}

export interface CallbackInput {
  data: string;
  /** The bot message carrying the inline keyboard. */
  messageId: number;
  chatId: number;
  userId?: number;
  chatType?: ChatType;
  username?: string;
  languageCode?: string;
}

export interface InlineInput {
  query: string;
  /** Default 1001. */
  userId?: number;
  offset?: string;
  chatType?: 'sender' | 'private' | 'group' | 'supergroup' | 'channel';
  username?: string;
  languageCode?: string;
}

export interface PreCheckoutInput {
  userId: number;
  /** The invoice's payload, as the bot sent it (or a forged one). */
  payload: string;
  totalAmount: number;
  /** Default 'XTR' (Telegram Stars). */
  currency?: string;
  languageCode?: string;
}

export interface PaymentInput extends MessageInput {
  payload: string;
  totalAmount: number;
  /** Default 'XTR'. */
  currency?: string;
  /** Telegram's telegram_payment_charge_id; a fresh one by default. */
  chargeId?: string;
}

export type UpdateInput = Omit<Update, 'update_id'> & { update_id?: number };

export interface UpdateBuilders {
  text(input: TextInput): UpdateInput;
  command(input: CommandInput): UpdateInput;
  voice(input: VoiceInput): UpdateInput;
  photo(input: PhotoInput): UpdateInput;
  document(input: DocumentInput): UpdateInput;
  callback(input: CallbackInput): UpdateInput;
  inline(input: InlineInput): UpdateInput;
  /** `edited_message`: the stored message with its new text (and entities) and `edit_date`. */
  edit(input: EditInput): UpdateInput;
  /** `pre_checkout_query`: the user confirmed an invoice; the bot must answer within 10 s. */
  preCheckout(input: PreCheckoutInput): UpdateInput;
  /** A service message with `successful_payment`: Telegram charged the user (pushing it records the charge). */
  payment(input: PaymentInput): UpdateInput;
}

// "OggS" capture pattern + version 0 + BOS flag: enough for a sniffing check, not a playable file.
const OGG_STUB = Buffer.from('4f67675300020000000000000000', 'hex');
// JPEG SOI + APP0 marker start.
const JPEG_STUB = Buffer.from('ffd8ffe000104a464946', 'hex');

let queryCounter = 0;
const queryId = (): string => `${Date.now()}${String(++queryCounter).padStart(4, '0')}`;

export function createBuilders(store: Store, bot: () => UserFromGetMe): UpdateBuilders {
  const user = (input: {
    chatId: number;
    userId?: number;
    chatType?: ChatType | string;
    username?: string;
    firstName?: string;
    languageCode?: string;
  }): User => {
    const u: User = {
      id:
        input.userId ?? (input.chatType === undefined || input.chatType === 'private' ? input.chatId : 1001),
      is_bot: false,
      first_name: input.firstName ?? 'Test',
    };
    if (input.username !== undefined) u.username = input.username;
    u.language_code = input.languageCode ?? 'en';
    return u;
  };

  const chat = (input: MessageInput, from: User): Chat => {
    const type = input.chatType ?? 'private';
    if (type === 'private') {
      const c: Chat.PrivateChat = { id: input.chatId, type: 'private', first_name: from.first_name };
      if (from.username !== undefined) c.username = from.username;
      return c;
    }
    const title = input.chatTitle ?? (type === 'group' ? 'Test group' : 'Test supergroup');
    if (type === 'group') return { id: input.chatId, type: 'group', title };
    const known = store.chats.get(String(input.chatId));
    const forum = input.threadId !== undefined || (known?.type === 'supergroup' && known.is_forum === true);
    return forum
      ? { id: input.chatId, type: 'supergroup', title, is_forum: true }
      : { id: input.chatId, type: 'supergroup', title };
  };

  const base = (input: MessageInput): Message => {
    const from = user(input);
    const c = chat(input, from);
    const message = {
      message_id: input.messageId ?? store.nextMessageId(input.chatId),
      from,
      chat: c,
      date: input.date ?? Math.floor(Date.now() / 1000),
    } as Message;
    if (input.threadId !== undefined) {
      message.message_thread_id = input.threadId;
      message.is_topic_message = true;
    }
    const replied =
      input.replyTo !== undefined ? store.find(input.chatId, input.replyTo)?.message : undefined;
    if (input.replyTo !== undefined) {
      // As Telegram does, the replied message comes without its own reply_to_message.
      const { reply_to_message: _nested, ...shallow } = (replied ?? {}) as Message & {
        reply_to_message?: unknown;
      };
      message.reply_to_message = (replied
        ? shallow
        : {
            message_id: input.replyTo,
            date: message.date,
            chat: c,
            from: bot(),
            text: '…',
          }) as Message.CommonMessage as never;
    } else if (input.threadId !== undefined && c.type === 'supergroup') {
      // In forums, a topic message that replies to nothing still carries the topic's creation message.
      message.reply_to_message = {
        message_id: input.threadId,
        date: message.date,
        chat: c,
        from,
        message_thread_id: input.threadId,
        is_topic_message: true,
        forum_topic_created: { name: `Topic ${input.threadId}`, icon_color: 7322096 },
      } as never;
    }
    return message;
  };

  const wrap = (message: Message): UpdateInput => ({ message }) as UpdateInput;

  return {
    text(input) {
      const message = base(input) as Message.TextMessage;
      message.text = input.text;
      if (input.entities !== undefined && input.entities.length > 0) message.entities = input.entities;
      if (input.quote !== undefined) {
        const replied = message.reply_to_message as Message | undefined;
        const source = replied?.text ?? replied?.caption ?? '';
        const position = source.indexOf(input.quote);
        if (replied === undefined || position < 0)
          throw new Error('a quote must be part of the replied message');
        message.quote = { text: input.quote, position, is_manual: true };
      }
      return wrap(message);
    },

    edit(input) {
      const stored = store.find(input.chatId, input.messageId)?.message as Message.TextMessage | undefined;
      if (stored === undefined || stored.text === undefined)
        throw new Error(`no text message ${input.messageId} in chat ${input.chatId} to edit`);
      const { entities: _dropped, ...rest } = stored;
      const edited: Message.TextMessage = {
        ...rest,
        text: input.text,
        edit_date: input.editDate ?? Math.floor(Date.now() / 1000),
      };
      if (input.entities !== undefined && input.entities.length > 0) edited.entities = input.entities;
      return { edited_message: edited } as UpdateInput;
    },

    command(input) {
      const name = input.command.replace(/^\//, '');
      const head = `/${name}${input.mention === true ? `@${bot().username}` : ''}`;
      const message = base(input) as Message.TextMessage;
      message.text = input.args !== undefined && input.args !== '' ? `${head} ${input.args}` : head;
      message.entities = [{ type: 'bot_command', offset: 0, length: head.length }];
      return wrap(message);
    },

    voice(input) {
      const bytes = input.bytes ?? OGG_STUB;
      const file = store.addFile({
        ...(input.fileId !== undefined ? { fileId: input.fileId } : {}),
        ...(input.size !== undefined ? { size: input.size } : {}),
        bytes,
        kind: 'voice',
        contentType: input.mimeType ?? 'audio/ogg',
      });
      const message = base(input) as Message.VoiceMessage;
      message.voice = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        duration: input.duration ?? 2,
        mime_type: input.mimeType ?? 'audio/ogg',
        file_size: file.size,
      };
      if (input.caption !== undefined) message.caption = input.caption;
      return wrap(message);
    },

    photo(input) {
      const bytes = input.bytes ?? JPEG_STUB;
      const width = input.width ?? 1280;
      const height = input.height ?? 960;
      const message = base(input) as Message.PhotoMessage;
      // Telegram sends several sizes, smallest first; the last one is the original.
      message.photo = [90, 320, Math.max(width, height)].map((side, index, all) => {
        const last = index === all.length - 1;
        const file = store.addFile({
          ...(last && input.fileId !== undefined ? { fileId: input.fileId } : {}),
          ...(last && input.size !== undefined ? { size: input.size } : {}),
          bytes,
          kind: 'photo',
          contentType: 'image/jpeg',
        });
        const scale = side / Math.max(width, height);
        return {
          file_id: file.fileId,
          file_unique_id: file.fileUniqueId,
          width: Math.round(width * scale),
          height: Math.round(height * scale),
          file_size: file.size,
        };
      });
      if (input.caption !== undefined) message.caption = input.caption;
      return wrap(message);
    },

    document(input) {
      const bytes = input.bytes ?? Buffer.from('%PDF-1.4\n%fake\n');
      const fileName = input.fileName ?? 'document.pdf';
      const mimeType = input.mimeType ?? 'application/pdf';
      const file = store.addFile({
        ...(input.fileId !== undefined ? { fileId: input.fileId } : {}),
        ...(input.size !== undefined ? { size: input.size } : {}),
        bytes,
        kind: 'document',
        contentType: mimeType,
        filename: fileName,
      });
      const message = base(input) as Message.DocumentMessage;
      message.document = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        file_name: fileName,
        mime_type: mimeType,
        file_size: file.size,
      };
      if (input.caption !== undefined) message.caption = input.caption;
      return wrap(message);
    },

    callback(input) {
      const from = user({ ...input });
      const stored = store.find(input.chatId, input.messageId)?.message;
      const fallbackChat = chat(
        { chatId: input.chatId, ...(input.chatType ? { chatType: input.chatType } : {}) },
        from,
      );
      const message = stored ?? {
        message_id: input.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: fallbackChat,
        from: bot(),
        text: '…',
      };
      return {
        callback_query: {
          id: queryId(),
          from,
          message: message as Message,
          chat_instance: `${Math.abs(input.chatId) * 7919}`,
          data: input.data,
        },
      } as UpdateInput;
    },

    preCheckout(input) {
      const from = user({
        chatId: input.userId,
        userId: input.userId,
        languageCode: input.languageCode ?? 'en',
      });
      return {
        pre_checkout_query: {
          id: queryId(),
          from,
          currency: input.currency ?? 'XTR',
          total_amount: input.totalAmount,
          invoice_payload: input.payload,
        },
      } as UpdateInput;
    },

    payment(input) {
      const message = base(input) as Message.SuccessfulPaymentMessage;
      message.successful_payment = {
        currency: input.currency ?? 'XTR',
        total_amount: input.totalAmount,
        invoice_payload: input.payload,
        telegram_payment_charge_id: input.chargeId ?? `stxch_${queryId()}`,
        provider_payment_charge_id: '',
      };
      return wrap(message);
    },

    inline(input) {
      const from = user({ ...input, chatId: input.userId ?? 1001, chatType: 'private' });
      const inlineQuery: NonNullable<Update['inline_query']> = {
        id: queryId(),
        from,
        query: input.query,
        offset: input.offset ?? '',
      };
      inlineQuery.chat_type = input.chatType ?? 'sender';
      return { inline_query: inlineQuery } as UpdateInput;
    },
  };
}
