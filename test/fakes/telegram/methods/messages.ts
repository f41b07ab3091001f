// Text message methods: send, draft, edit, delete, copy, chat actions.
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { Params } from '../body.js';
import { badRequest } from '../errors.js';
import { formatDraft, formatMessageText } from '../format/index.js';
import type { MethodHandler, TelegramState } from '../state.js';
import { readChatId, type ChatId, type StoredMessage } from '../store.js';

const now = (): number => Math.floor(Date.now() / 1000);

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** Only inline keyboards are part of a Message; reply keyboards are client-side state. */
function inlineMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  const markup = value as { inline_keyboard?: unknown } | undefined;
  return markup !== undefined && markup !== null && Array.isArray(markup.inline_keyboard)
    ? (markup as InlineKeyboardMarkup)
    : undefined;
}

function readMessageId(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw badRequest('message identifier is not specified');
}

/**
 * The common part of a message the bot sends: chat, id, sender, date, topic and reply. Validates the
 * reply target before allocating an id, so a refused send leaves no gap.
 */
export function newBotMessage(state: TelegramState, chatId: ChatId, params: Params): Message {
  const chat = state.store.chat(chatId);
  const reply = params.reply_parameters as
    { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  const replyId = typeof reply?.message_id === 'number' ? reply.message_id : params.reply_to_message_id;
  let replied: StoredMessage | undefined;
  if (typeof replyId === 'number') {
    replied = state.store.find(chatId, replyId);
    const lenient =
      reply?.allow_sending_without_reply === true || params.allow_sending_without_reply === true;
    if (replied === undefined && !lenient) throw badRequest('message to be replied not found');
  }
  const message = {
    message_id: state.store.nextMessageId(chatId),
    from: state.bot,
    chat,
    date: now(),
  } as Message;
  if (typeof params.message_thread_id === 'number') {
    message.message_thread_id = params.message_thread_id;
    if (chat.type !== 'group') message.is_topic_message = true;
  }
  if (replied !== undefined) {
    const { reply_to_message: _nested, ...shallow } = replied.message as Message & {
      reply_to_message?: unknown;
    };
    message.reply_to_message = shallow as never;
  }
  const markup = inlineMarkup(params.reply_markup);
  if (markup !== undefined) message.reply_markup = markup;
  return message;
}

function findOwnMessage(state: TelegramState, params: Params, missing: string): StoredMessage {
  const chatId = readChatId(params.chat_id);
  const stored = state.store.find(chatId, readMessageId(params.message_id));
  if (stored === undefined) throw badRequest(missing);
  if (!stored.fromBot) throw badRequest("message can't be edited");
  return stored;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage(params, state) {
    const chatId = readChatId(params.chat_id);
    const formatted = formatMessageText(params.text, params.parse_mode, params.entities);
    const message = newBotMessage(state, chatId, params) as Message.TextMessage;
    message.text = formatted.text;
    if (formatted.entities.length > 0) message.entities = formatted.entities;
    state.store.record(message, true);
    return message;
  },

  sendMessageDraft(params, state) {
    const chatId = readChatId(params.chat_id);
    if (typeof params.draft_id !== 'number' || params.draft_id === 0)
      throw badRequest('draft_id must be non-zero');
    // Drafts exist only in private chats (the message field is the fake's wording).
    if (state.store.chat(chatId).type !== 'private')
      throw badRequest('drafts can be sent only to private chats');
    const formatted = formatDraft(params.text, params.parse_mode, params.entities);
    state.drafts.push({
      chatId,
      draftId: params.draft_id,
      text: formatted.text,
      entities: formatted.entities,
      ...(typeof params.message_thread_id === 'number' ? { threadId: params.message_thread_id } : {}),
      at: Date.now(),
    });
    return true;
  },

  editMessageText(params, state) {
    const formatted = formatMessageText(params.text, params.parse_mode, params.entities);
    if (typeof params.inline_message_id === 'string') return true;
    const stored = findOwnMessage(state, params, 'message to edit not found');
    const current = stored.message as Message.TextMessage;
    if (typeof current.text !== 'string') throw badRequest('there is no text in the message to edit');
    const markup = inlineMarkup(params.reply_markup);
    if (
      current.text === formatted.text &&
      same(current.entities ?? [], formatted.entities) &&
      same(current.reply_markup, markup)
    ) {
      throw badRequest(NOT_MODIFIED);
    }
    stored.history.push(current.text);
    const { entities: _e, reply_markup: _r, ...rest } = current;
    const edited = { ...rest, text: formatted.text, edit_date: now() } as Message.TextMessage;
    if (formatted.entities.length > 0) edited.entities = formatted.entities;
    // Without reply_markup, Telegram drops the inline keyboard on edit.
    if (markup !== undefined) edited.reply_markup = markup;
    stored.message = edited;
    return edited;
  },

  editMessageReplyMarkup(params, state) {
    if (typeof params.inline_message_id === 'string') return true;
    const stored = findOwnMessage(state, params, 'message to edit not found');
    const markup = inlineMarkup(params.reply_markup);
    if (same(stored.message.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
    const { reply_markup: _r, ...rest } = stored.message;
    const edited = { ...rest, edit_date: now() } as Message;
    if (markup !== undefined) edited.reply_markup = markup;
    stored.message = edited;
    return edited;
  },

  deleteMessage(params, state) {
    const chatId = readChatId(params.chat_id);
    const stored = state.store.find(chatId, readMessageId(params.message_id));
    if (stored === undefined) throw badRequest('message to delete not found');
    stored.deleted = true;
    return true;
  },

  copyMessage(params, state) {
    const chatId = readChatId(params.chat_id);
    const fromChatId = readChatId(params.from_chat_id, 'from_chat_id');
    const source = state.store.find(fromChatId, readMessageId(params.message_id));
    if (source === undefined) throw badRequest('message to copy not found');
    const message = newBotMessage(state, chatId, params);
    const content = source.message as unknown as Record<string, unknown>;
    for (const field of [
      'text',
      'entities',
      'caption',
      'caption_entities',
      'voice',
      'audio',
      'photo',
      'document',
    ]) {
      if (content[field] !== undefined)
        (message as unknown as Record<string, unknown>)[field] = content[field];
    }
    if (typeof params.caption === 'string') (message as Message.CaptionableMessage).caption = params.caption;
    state.store.record(message, true);
    return { message_id: message.message_id };
  },

  sendChatAction(params, state) {
    state.store.chat(readChatId(params.chat_id));
    if (typeof params.action !== 'string' || !CHAT_ACTIONS.has(params.action)) {
      throw badRequest('wrong parameter action in request');
    }
    return true;
  },
};
